import CEpoll
import Glibc

/// A level-triggered epoll set plus an eventfd that other threads use to wake the waiting
/// one. Owned by one event-loop thread; only `wake()` may be called from others.
public final class Poller: @unchecked Sendable {
    public struct Readiness: Sendable, Equatable {
        public let fd: Int32
        public let readable: Bool
        public let writable: Bool
        /// The peer hung up or the socket failed: reading will say how.
        public let hangup: Bool
    }

    private let epoll: Int32
    private let wakeFD: Int32
    private var buffer: [epoll_event]

    public init(capacity: Int = 256) throws {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw ConfigurationError("epoll_create1 failed: errno \(errno)") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            Glibc.close(epoll)
            throw ConfigurationError("eventfd failed: errno \(errno)")
        }
        buffer = Array(repeating: epoll_event(), count: capacity)
        try add(wakeFD, writable: false)
    }

    deinit {
        Glibc.close(wakeFD)
        Glibc.close(epoll)
    }

    /// Watches `fd` for reading (always) and writing (when asked).
    public func add(_ fd: Int32, writable: Bool) throws {
        guard control(EPOLL_CTL_ADD, fd, writable: writable) else {
            throw ConfigurationError("epoll_ctl ADD \(fd) failed: errno \(errno)")
        }
    }

    /// Turns write interest on or off (a socket is writable nearly always: ask only when a
    /// write could not finish).
    public func setWritable(_ fd: Int32, _ writable: Bool) {
        _ = control(EPOLL_CTL_MOD, fd, writable: writable)
    }

    /// Watches only for writing (the peer closed its side; reading would report it forever).
    public func watchWritesOnly(_ fd: Int32) {
        var event = epoll_event()
        event.events = EPOLLOUT.rawValue
        event.data.fd = fd
        _ = epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event)
    }

    /// Stops watching `fd`; call before closing it.
    public func remove(_ fd: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, &event)
    }

    /// Wakes `wait` from another thread.
    public func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and returns the ready descriptors;
    /// `woken` tells whether `wake()` was called since the last wait.
    public func wait(timeoutMilliseconds: Int32) -> (ready: [Readiness], woken: Bool) {
        let count = buffer.withUnsafeMutableBufferPointer { events -> Int32 in
            while true {
                let n = epoll_wait(epoll, events.baseAddress, Int32(events.count), timeoutMilliseconds)
                if n >= 0 || errno != EINTR { return max(n, 0) }
            }
        }
        var ready: [Readiness] = []
        ready.reserveCapacity(Int(count))
        var woken = false
        for i in 0..<Int(count) {
            let event = buffer[i]
            let fd = event.data.fd
            if fd == wakeFD {
                var value: UInt64 = 0
                _ = Glibc.read(wakeFD, &value, 8)
                woken = true
                continue
            }
            let flags = event.events
            ready.append(Readiness(
                fd: fd, readable: flags & EPOLLIN.rawValue != 0, writable: flags & EPOLLOUT.rawValue != 0,
                hangup: flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0))
        }
        return (ready, woken)
    }

    private func control(_ op: Int32, _ fd: Int32, writable: Bool) -> Bool {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | (writable ? EPOLLOUT.rawValue : 0)
        event.data.fd = fd
        return epoll_ctl(epoll, op, fd, &event) == 0
    }
}
