import FoundationEssentials
import Dispatch
import HotlineCore

/// One client connection as the event loop sees it: bytes in, the parser, where it is in a
/// request, and the bytes waiting to go out. Only the loop thread touches it.
struct HTTPConnection {
    enum Phase {
        /// Between requests, since the given time (the idle timeout counts from it).
        case idle(since: UInt64)
        /// Part of a request head arrived at the given time (the header timeout counts from it).
        case head(started: UInt64)
        /// The head was read; the body is arriving.
        case body(Pending)
        /// The handler is running; pipelined bytes wait in the parser.
        case handling(InFlight)
        /// Send what is queued, then close.
        case closing
    }

    /// A request whose body is still arriving.
    struct Pending {
        var request: HTTPRequest
        let match: Router.Match
        let bodyLimit: Int
        let keepAlive: Bool
        /// When the head was read: the body deadline and the request's latency count from it.
        let started: UInt64
        var lastByte: UInt64
    }

    /// What the answer of a running handler needs.
    struct InFlight {
        let method: String
        let route: String
        let keepAlive: Bool
        let started: UInt64
    }

    let id: Int
    let fd: Int32
    let peer: String
    var parser: HTTPRequestParser
    var out: OutboundQueue
    var phase: Phase
    /// The client closed its sending side: answer what was asked, then close.
    var inputClosed = false
    /// When queued bytes last moved (a client that stops reading is cut off).
    var lastWriteProgress: UInt64

    init(id: Int, fd: Int32, peer: String, limits: HTTPLimits, now: UInt64) {
        self.id = id
        self.fd = fd
        self.peer = peer
        parser = HTTPRequestParser(limits: limits)
        out = OutboundQueue(limit: 64 << 20)
        phase = .idle(since: now)
        lastWriteProgress = now
    }

    /// In a request (its head was read): a stop lets it finish.
    var isBusy: Bool {
        switch phase {
        case .body, .handling: return true
        case .idle, .head, .closing: return false
        }
    }

    var isClosing: Bool {
        if case .closing = phase { return true }
        return false
    }
}

/// Monotonic nanoseconds for the loop's timeouts.
func monotonicNanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

extension TimeInterval {
    var nanoseconds: UInt64 { self <= 0 ? 0 : UInt64(min(self, 1e9) * 1e9) }
}
