import FoundationEssentials
import Glibc
import Dispatch
import HotlineCore
import Synchronization

/// Writes queued lines to a socket from its own thread, so that callers never block on a
/// slow peer. Bounded: beyond `maxQueuedBytes` droppable lines are dropped and other lines
/// close the connection (the peer is not reading).
///
/// The writer owns the descriptor's closing: its thread closes it once the owner calls
/// `close()`, and only then, so the number can never be reused by another socket while its
/// owner may still read it or shut it down. A failed write shuts the socket down (the owner's
/// reader sees the end) but leaves the descriptor open until then.
public final class LineWriter: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var queuedBytes = 0
        /// The owner asked to stop: the thread closes the descriptor and ends.
        var closed = false
        /// A write failed: nothing more is sent; the descriptor stays open until `closed`.
        var failed = false
        var dropped = 0
    }
    private let state = Mutex(State())
    private let signal = DispatchSemaphore(value: 0)
    private let fd: Int32
    public let maxQueuedBytes: Int

    public init(fd: Int32, name: String, maxQueuedBytes: Int = 16 << 20) {
        self.fd = fd
        self.maxQueuedBytes = maxQueuedBytes
        Socket.setSendTimeout(fd, seconds: 30)
        NamedThread.start(name) { [self] in self.loop() }
    }

    public enum Outcome: Sendable, Equatable { case queued, dropped, overflow, closed }

    /// Queues one line (terminator included).
    @discardableResult
    public func enqueue(_ bytes: [UInt8], droppable: Bool = false) -> Outcome {
        let outcome = state.withLock { s -> Outcome in
            if s.closed || s.failed { return .closed }
            if s.queuedBytes + bytes.count > maxQueuedBytes {
                if droppable {
                    s.dropped += 1
                    return .dropped
                }
                if s.queuedBytes + bytes.count > 2 * maxQueuedBytes { return .overflow }
            }
            s.chunks.append(bytes)
            s.queuedBytes += bytes.count
            return .queued
        }
        if outcome == .queued { signal.signal() }
        return outcome
    }

    /// How many droppable lines were dropped so far.
    public var droppedCount: Int { state.withLock { $0.dropped } }

    /// Stops the writer thread (unsent lines are discarded); the thread then closes the socket.
    /// Shut the socket down first if the writer may be blocked in `send`.
    public func close() {
        state.withLock { $0.closed = true }
        signal.signal()
    }

    private func loop() {
        defer { Glibc.close(fd) }
        while true {
            signal.wait()
            let (batch, closed) = state.withLock { s -> ([[UInt8]], Bool) in
                let b = s.chunks
                s.chunks.removeAll()
                s.queuedBytes = 0
                return (b, s.closed)
            }
            if closed { return }
            if batch.isEmpty || state.withLock({ $0.failed }) { continue }
            // One vectored send per batch of queued lines (the socket blocks, so flush writes all).
            var queue = OutboundQueue(limit: .max)
            for chunk in batch { _ = queue.enqueue(chunk, droppable: false) }
            if queue.flush(to: fd) != .empty {
                state.withLock { $0.failed = true }
                Socket.shutdown(fd)
            }
        }
    }
}
