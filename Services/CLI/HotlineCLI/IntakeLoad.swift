import Foundation
import Glibc
import HotlineCore

/// The intake benchmark's load generator: every keep-alive connection driven from one thread
/// with poll(2) (a few dozen descriptors), so that on a 2-core machine the generator takes as
/// little CPU and as few thread switches as possible from the service it measures.
///
/// Closed loop: each connection sends its next ticket as soon as the previous answer is in.
/// Open loop (`rate`): ticket i is due at start + i/rate and goes out on the first idle
/// connection; its latency counts from when it was due, so queueing cannot hide.
struct IntakeLoad: Sendable {
    let port: Int
    let connections: Int
    let tickets: Int
    let rate: Double?
    /// The statuses that count as success (intake creates: 201; dispatch's actions: 200).
    var success: Set<Int> = [201]
    /// The complete request for ticket `i` (1-based).
    let request: @Sendable (Int) -> [UInt8]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Outcome: Sendable {
        var latenciesMs: [Double] = []
        var failures = 0
        /// How many answers had each status (0: the connection failed).
        var statuses: [Int: Int] = [:]
        var seconds = 0.0
        /// Answers slower than `slowMs`, by the second of the run they were due (or sent) in:
        /// a tail spread over the run is queueing, one crowded into a second or two is a stall.
        var slowBySecond: [Int: Int] = [:]
        static let slowMs = 20.0

        /// "none", or how many answers were slower than `slowMs` and the seconds that held most
        /// of them: "412 (2.1%), most in seconds 3 (380), 7 (32)".
        var slowSummary: String {
            let slow = slowBySecond.values.reduce(0, +)
            guard slow > 0 else { return "none" }
            let worst = slowBySecond.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3)
            return String(format: "%d (%.1f%%), most in second%@ ", slow, 100 * Double(slow) / Double(max(1, latenciesMs.count)),
                          worst.count > 1 ? "s" : "") + worst.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
        }

        /// The latency at quantile `q` (0.5: the median) in milliseconds; 0 with no answers.
        func percentile(_ q: Double) -> Double {
            let sorted = latenciesMs.sorted()
            return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
        }
    }

    private struct Connection {
        var fd: Int32 = -1
        var buffer: [UInt8] = []
        /// Since when the ticket in flight counts (nanoseconds of uptime), if one is.
        var inFlightSince: UInt64?
    }

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func run() throws -> Outcome {
        var conns = [Connection](repeating: Connection(), count: connections)
        var polled = [pollfd](repeating: pollfd(fd: -1, events: Int16(POLLIN), revents: 0), count: connections)
        func open(_ i: Int) throws {
            let fd = try Socket.connectTCP(host: "127.0.0.1", port: port)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            conns[i] = Connection(fd: fd)
            polled[i].fd = fd
        }
        for i in 0..<connections { try open(i) }
        defer { for c in conns where c.fd >= 0 { close(c.fd) } }

        var outcome = Outcome()
        outcome.latenciesMs.reserveCapacity(tickets)
        var sent = 0
        var answered = 0
        var idle = Array((0..<connections).reversed())
        let started = Self.now()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)

        func send(on i: Int, since: UInt64) {
            sent += 1
            let bytes = request(sent)
            conns[i].inFlightSince = since
            if !Socket.writeAll(conns[i].fd, bytes) { finish(i, status: 0) }
        }
        func finish(_ i: Int, status: Int) {
            guard let since = conns[i].inFlightSince else { return }
            let latency = Double(Self.now() - since) / 1e6
            outcome.latenciesMs.append(latency)
            if latency > Outcome.slowMs { outcome.slowBySecond[Int((since &- started) / 1_000_000_000), default: 0] += 1 }
            if !success.contains(status) { outcome.failures += 1 }
            outcome.statuses[status, default: 0] += 1
            conns[i].inFlightSince = nil
            answered += 1
            idle.append(i)
        }

        while answered < tickets {
            // Hand out due tickets to idle connections.
            var timeout: Int32 = 1000
            while sent < tickets, let i = idle.last {
                if let rate {
                    let due = started + UInt64(Double(sent) / rate * 1e9)
                    let current = Self.now()
                    if due > current {
                        let wait = due - current
                        if wait >= 1_000_000 {
                            timeout = Int32(min(1000, wait / 1_000_000))
                            break
                        }
                        // poll(2) counts in milliseconds: sleep the sub-millisecond rest rather
                        // than spin (an answer arriving meanwhile is read late, which can only
                        // make the measured latency worse, never better).
                        usleep(UInt32(wait / 1000))
                        timeout = 0  // collect answers that came in meanwhile, then send it
                        break
                    }
                    idle.removeLast()
                    send(on: i, since: due)
                } else {
                    idle.removeLast()
                    send(on: i, since: Self.now())
                }
            }
            let n = poll(&polled, nfds_t(polled.count), timeout)
            if n < 0 && errno != EINTR { throw Failure(description: "poll failed: errno \(errno)") }
            for i in polled.indices where n > 0 && polled[i].revents != 0 {
                polled[i].revents = 0
                let got = chunk.withUnsafeMutableBytes { Socket.read(conns[i].fd, into: $0.baseAddress!, count: $0.count) }
                if got <= 0 {
                    // The server closed the connection: the ticket in flight failed; reconnect.
                    close(conns[i].fd)
                    // (An idle connection is on the idle list already; `finish` puts a busy one there.)
                    if conns[i].inFlightSince != nil { finish(i, status: 0) }
                    try open(i)
                    continue
                }
                conns[i].buffer.append(contentsOf: chunk[0..<got])
                while let (status, length, closes) = Self.completeResponse(conns[i].buffer) {
                    conns[i].buffer.removeFirst(length)
                    finish(i, status: status)
                    if closes {
                        // The server ends the connection after this answer (a server without
                        // keep-alive): open the next one now, as a browser or a channel would.
                        close(conns[i].fd)
                        try open(i)
                        break
                    }
                }
            }
        }
        outcome.seconds = Double(Self.now() - started) / 1e9
        return outcome
    }

    /// The status and total length of the first complete response in `buffer`, if there is
    /// one, and whether it closes the connection. Both servers measured send Content-Length,
    /// so that is all this reads.
    static func completeResponse(_ buffer: [UInt8]) -> (status: Int, length: Int, closes: Bool)? {
        guard buffer.count >= 16 else { return nil }
        var headEnd = -1
        var i = 12
        while i + 3 < buffer.count {
            if buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
                headEnd = i + 4
                break
            }
            i += 1
        }
        guard headEnd > 0 else { return nil }
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        let status = Int(head.dropFirst(9).prefix(3)) ?? 0
        var bodyLength = 0
        var closes = false
        for line in head.split(separator: "\r\n") {
            let lower = line.lowercased()
            if lower.hasPrefix("content-length:") {
                bodyLength = Int(line.dropFirst("content-length:".count).trimmingWhitespace()) ?? 0
            } else if lower.hasPrefix("connection:") && lower.contains("close") {
                closes = true
            }
        }
        guard buffer.count >= headEnd + bodyLength else { return nil }
        return (status, headEnd + bodyLength, closes)
    }
}
