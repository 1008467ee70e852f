import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// A socket failure, with the call that failed and `errno`.
public struct SocketError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let errno: Int32
    public init(_ operation: String, errno: Int32 = Glibc.errno) {
        self.operation = operation
        self.errno = errno
    }
    public var description: String { "\(operation) failed: \(String(cString: strerror(errno)))" }
}

/// Thin, blocking wrappers over BSD sockets. Each socket is owned by exactly one thread at a
/// time (a connection's reader or writer), so there is no locking here.
public enum Socket {
    /// Creates, binds and listens on a Unix socket at `path` with file mode `mode`.
    /// A stale socket file from a crashed process is removed first.
    public static func listenUnix(path: String, mode: mode_t = 0o660, backlog: Int32 = 128) throws -> Int32 {
        guard path.utf8.count < 108 else { throw SocketError("socket path longer than 107 bytes", errno: ENAMETOOLONG) }
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        var address = unixAddress(path)
        // Bind under a restrictive umask so the file never exists with wider permissions.
        let oldMask = umask(0o777 & ~mode)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(oldMask)
        guard rc == 0 else {
            let e = SocketError("bind \(path)")
            close(fd)
            throw e
        }
        chmod(path, mode)
        guard listen(fd, backlog) == 0 else {
            let e = SocketError("listen")
            close(fd)
            throw e
        }
        return fd
    }

    /// Connects to a Unix socket.
    public static func connectUnix(path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        var address = unixAddress(path)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else {
            let e = SocketError("connect \(path)")
            close(fd)
            throw e
        }
        return fd
    }

    /// Listens on TCP `host:port` (port 0 picks a free port); returns the fd and the bound port.
    public static func listenTCP(host: String, port: Int, backlog: Int32 = 1024) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            throw SocketError("bad IPv4 address \(host)", errno: EINVAL)
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let e = SocketError("bind \(host):\(port)")
            close(fd)
            throw e
        }
        guard listen(fd, backlog) == 0 else {
            let e = SocketError("listen")
            close(fd)
            throw e
        }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: bound.sin_port)))
    }

    /// Connects to TCP `host:port`.
    public static func connectTCP(host: String, port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let e = SocketError("connect \(host):\(port)")
            close(fd)
            throw e
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    /// Accepts one connection; `nil` when the listener was closed.
    public static func accept(_ listener: Int32) -> Int32? {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            if fd >= 0 {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE {
                if errno == EMFILE || errno == ENFILE { usleep(10_000) }
                continue
            }
            return nil
        }
    }

    /// Waits until `fd` is readable or `timeout` passes. `nil` timeout waits forever.
    /// - Returns: `false` on timeout.
    public static func waitReadable(_ fd: Int32, timeout: TimeInterval?) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = timeout.map { Int32(max(0, min($0 * 1000, Double(Int32.max)))) } ?? -1
        while true {
            let rc = poll(&p, 1, ms)
            if rc > 0 { return true }
            if rc == 0 { return false }
            if errno != EINTR { return true }  // let the following read report the error
        }
    }

    /// Reads up to `count` bytes; 0 means end of stream, negative an error.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        while true {
            let n = recv(fd, buffer, count, 0)
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    /// Writes all bytes (blocking). - Returns: `false` if the peer went away.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Sends small answers at once (no Nagle delay).
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Makes `fd` non-blocking and close-on-exec (for sockets driven by a `Poller`).
    public static func setNonBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
    }

    /// Sets a send timeout so that a peer that stops reading cannot block a writer forever.
    public static func setSendTimeout(_ fd: Int32, seconds: Int) {
        var tv = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The peer's credentials on a Unix socket (SO_PEERCRED).
    public static func peerCredentials(_ fd: Int32) -> PeerCredentials? {
        var credentials = PeerCredentials(pid: 0, uid: 0, gid: 0)
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return nil }
        return credentials
    }

    /// The IPv4 address of a TCP peer, `unix:UID` for a local peer on a Unix socket (the user
    /// it runs as: per-peer caps and rate limits count each local user as one address), or ""
    /// when unknown.
    public static func peerAddress(_ fd: Int32) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard rc == 0 else { return "" }
        switch Int32(storage.ss_family) {
        case AF_INET:
            var address = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee } }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(INET_ADDRSTRLEN))
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        case AF_UNIX:
            return peerCredentials(fd).map { "unix:\($0.uid)" } ?? "unix"
        default:
            return ""
        }
    }

    /// Closes the read and write sides, waking any thread blocked on the socket.
    public static func shutdown(_ fd: Int32) { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    private static func unixAddress(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes.prefix(raw.count - 1))
            raw[min(bytes.count, raw.count - 1)] = 0
        }
        return address
    }
}

/// Layout-compatible with Linux `struct ucred` (Glibc hides it behind _GNU_SOURCE).
public struct PeerCredentials: Sendable, Equatable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32
}

/// Splits a byte stream into `\n`-terminated lines with a maximum line length.
public struct LineBuffer: Sendable {
    public enum Next: Equatable, Sendable {
        case line([UInt8])
        case needMore
        case tooLong
    }

    private var storage: [UInt8] = []
    private var start = 0
    private var scanned = 0
    public let maxLineLength: Int

    public init(maxLineLength: Int) { self.maxLineLength = maxLineLength }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0 && start >= storage.count / 2 {
            storage.removeFirst(start)
            scanned -= start
            start = 0
        }
        storage.append(contentsOf: bytes)
    }

    /// The next complete line without its terminator (and without a trailing `\r`).
    public mutating func next() -> Next {
        switch locateNext() {
        case .line(let range): return .line(Array(storage[range]))
        case .needMore: return .needMore
        case .tooLong: return .tooLong
        }
    }

    /// What `nextLine` found.
    public enum Scan: Equatable, Sendable {
        case line, needMore, tooLong
    }

    /// Like `next`, but lends the line to `body` where it lies instead of copying it out. A bus
    /// client reads lines of up to megabytes, each once: copying every one was a large
    /// allocation per line, which made the allocator sweep its small free chunks each time.
    public mutating func nextLine(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Scan {
        switch locateNext() {
        case .line(let range):
            storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
            return .line
        case .needMore: return .needMore
        case .tooLong: return .tooLong
        }
    }

    private enum Located {
        case line(Range<Int>), needMore, tooLong
    }

    /// Finds the next complete line in `storage` and moves past it.
    private mutating func locateNext() -> Located {
        let from = max(scanned, start)
        let end = storage.count
        let newline: Int? = storage.withUnsafeBufferPointer { all in
            guard from < end, let hit = memchr(all.baseAddress! + from, 0x0a, end - from) else { return nil }
            return all.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        guard let i = newline else {
            scanned = end
            return end - start > maxLineLength ? .tooLong : .needMore
        }
        var lineEnd = i
        if lineEnd > start && storage[lineEnd - 1] == 0x0d { lineEnd -= 1 }
        let lineStart = start
        start = i + 1
        scanned = start
        if lineEnd - lineStart > maxLineLength { return .tooLong }
        return .line(lineStart..<lineEnd)
    }
}
