import CEpoll
import Glibc

/// Bytes waiting to go out on one non-blocking socket: whole chunks as they were queued (a
/// fanned-out line is shared, not copied) and written many per system call (`sendmsg` with a vector).
/// Bounded by bytes: beyond `limit`, droppable chunks are dropped and others overflow.
public struct OutboundQueue: Sendable {
    public enum Enqueued: Sendable, Equatable {
        case queued
        /// A droppable chunk did not fit: the consumer catches up another way.
        case dropped
        /// Over twice the limit even for a chunk that must not be dropped: the peer is not
        /// reading and should be disconnected.
        case overflow
    }

    public enum Flushed: Sendable, Equatable {
        case empty
        /// The socket's buffer is full: wait until it is writable.
        case blocked
        case failed
    }

    public let limit: Int
    private var chunks: [[UInt8]] = []
    /// Chunks before this index were written.
    private var first = 0
    /// Bytes of `chunks[first]` already written.
    private var offset = 0
    public private(set) var queuedBytes = 0
    /// Whether the poller reports this socket writable (asked only while bytes wait).
    public private(set) var watchingWrites = false
    /// The peer closed its side: the poller watches writes only.
    private var readsClosed = false

    public init(limit: Int) { self.limit = limit }

    public var isEmpty: Bool { queuedBytes == 0 }

    public mutating func enqueue(_ bytes: [UInt8], droppable: Bool) -> Enqueued {
        if bytes.isEmpty { return .queued }
        if queuedBytes + bytes.count > limit {
            if droppable { return .dropped }
            if queuedBytes + bytes.count > 2 * limit { return .overflow }
        }
        chunks.append(bytes)
        queuedBytes += bytes.count
        return .queued
    }

    /// Writes as much as the socket takes now.
    public mutating func flush(to fd: Int32) -> Flushed {
        let maxVectors = 64
        while first < chunks.count {
            let count = min(maxVectors, chunks.count - first)
            let written = withVectors(count: count) { vectors in
                // sendmsg rather than writev: MSG_NOSIGNAL, so a vanished peer is an error, not SIGPIPE.
                var message = msghdr()
                message.msg_iov = vectors.baseAddress
                message.msg_iovlen = vectors.count
                return sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                return errno == EAGAIN || errno == EWOULDBLOCK ? .blocked : .failed
            }
            consume(written)
        }
        return .empty
    }

    /// Flushes and keeps `poller`'s write interest in step: on while bytes wait (the socket
    /// was full), off once they are gone — a socket is writable nearly always, so asking all
    /// the time would wake the loop for nothing.
    public mutating func flush(to fd: Int32, poller: Poller) -> Flushed {
        let result = flush(to: fd)
        switch result {
        case .blocked where !watchingWrites:
            poller.setWritable(fd, true)
            watchingWrites = true
        case .empty where watchingWrites && !readsClosed:
            poller.setWritable(fd, false)
            watchingWrites = false
        default:
            break
        }
        return result
    }

    /// The peer will send nothing more: watch the socket for writing only (reading would
    /// report the end again and again).
    public mutating func stopReading(_ fd: Int32, poller: Poller) {
        poller.watchWritesOnly(fd)
        readsClosed = true
        watchingWrites = true
    }

    /// Drops everything queued (the connection is closing).
    public mutating func discard() {
        chunks.removeAll()
        first = 0
        offset = 0
        queuedBytes = 0
    }

    private mutating func consume(_ written: Int) {
        var left = written
        queuedBytes -= written
        while left > 0 {
            let remaining = chunks[first].count - offset
            if left >= remaining {
                left -= remaining
                first += 1
                offset = 0
            } else {
                offset += left
                left = 0
            }
        }
        if first == chunks.count {
            chunks.removeAll(keepingCapacity: chunks.count < 4096)
            first = 0
        } else if first > 1024 {
            chunks.removeFirst(first)
            first = 0
        }
    }

    /// Calls `body` with iovecs over the next `count` unwritten chunks. The chunks cannot move
    /// meanwhile: the queue is not mutated until `body` returns.
    private func withVectors(count: Int, _ body: (UnsafeMutableBufferPointer<iovec>) -> Int) -> Int {
        var vectors = [iovec](repeating: iovec(), count: count)
        return vectors.withUnsafeMutableBufferPointer { out in
            func fill(_ k: Int) -> Int {
                if k == count { return body(out) }
                return chunks[first + k].withUnsafeBytes { raw in
                    let skip = k == 0 ? offset : 0
                    out[k] = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress! + skip), iov_len: raw.count - skip)
                    return fill(k + 1)
                }
            }
            return fill(0)
        }
    }
}
