import FoundationEssentials
import Glibc
import HotlineCore

/// A small keep-alive HTTP/1.1 client for the CLI, tests and benchmarks.
///
/// `send` blocks the calling thread; `request` runs it on a thread of its own so async
/// callers never block the cooperative pool.
public final class HTTPClient: @unchecked Sendable {
    // @unchecked: one connection, used by one caller at a time (documented contract).
    public let host: String
    public let port: Int
    /// A Unix socket the server also listens on (same host): no TCP stack on either side.
    public let unixSocket: String?
    private var fd: Int32 = -1
    private var parser = ResponseParser()
    /// What each read fills: allocated once, not per response. A stored property, not `lazy`:
    /// a lazy one has no in-place access, so every read copied all 64 KB of it first (a tenth
    /// of the simulation's CPU).
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    public var timeout: TimeInterval = 30

    public struct Response: Sendable {
        public let status: Int
        public let headers: [(name: String, value: String)]
        public let body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.name == name.lowercased() }?.value
        }

        public var text: String { String(decoding: body, as: UTF8.self) }

        public func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: Data(body)) }
    }

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
        unixSocket = nil
    }

    /// A client of the server listening on the Unix socket at `path` (`Host: localhost`).
    public init(unixSocket path: String) {
        host = "localhost"
        port = 0
        unixSocket = path
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Sends one request and reads its response, reconnecting once if a kept-alive
    /// connection had been closed by the server (never after a fresh connection failed).
    public func send(_ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = [])
        throws -> Response
    {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(unixSocket == nil ? "\(host):\(port)" : host)\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + body
        for _ in 0..<2 {
            // Only a kept-alive connection may have been closed by the server before it saw the
            // request; a failure on a fresh one is real, and resending could do the work twice.
            let reused = fd >= 0
            if !reused {
                fd = try unixSocket.map { try Socket.connectUnix(path: $0) } ?? Socket.connectTCP(host: host, port: port)
                parser = ResponseParser()
            }
            if Socket.writeAll(fd, bytes), let response = try readResponse(method: method) { return response }
            close()
            if !reused { break }
        }
        throw SocketError("HTTP exchange with \(host):\(port)", errno: ECONNRESET)
    }

    /// Async wrapper over `send`.
    public func request(_ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = [])
        async throws -> Response
    {
        try await withCheckedThrowingContinuation { continuation in
            NamedThread.start("http.client") { [self] in
                continuation.resume(with: Result { try send(method, target, headers: headers, body: body) })
            }
        }
    }

    private func readResponse(method: String) throws -> Response? {
        while true {
            if let r = try parser.next(headOnly: method == "HEAD") {
                if r.header("connection")?.lowercased() == "close" { close() }
                return r
            }
            guard Socket.waitReadable(fd, timeout: timeout) else {
                throw SocketError("HTTP response timeout", errno: ETIMEDOUT)
            }
            let n = readBuffer.withUnsafeMutableBytes { Socket.read(fd, into: $0.baseAddress!, count: $0.count) }
            if n <= 0 { return nil }
            parser.append(readBuffer[0..<n])
        }
    }

    /// Parses responses with Content-Length bodies (all this project's servers send), on the
    /// bytes: the simulation's clients read hundreds of thousands of responses, and splitting
    /// each head as Foundation strings was a third of their CPU.
    struct ResponseParser {
        private var buffer: [UInt8] = []
        /// Where the unread bytes start (consumed bytes are dropped only when the buffer is
        /// refilled, not after every response).
        private var start = 0
        /// How far the search for the head's end got, so a head arriving in pieces is scanned once.
        private var searched = 0

        mutating func append(_ bytes: ArraySlice<UInt8>) {
            if start > 0 {
                buffer.removeFirst(start)
                searched -= start
                start = 0
            }
            buffer.append(contentsOf: bytes)
        }

        mutating func next(headOnly: Bool) throws -> Response? {
            guard let end = findHeadEnd() else { return nil }
            let (status, headers) = try Self.parseHead(buffer[start..<end])
            if status == 100 {
                start = end + 4
                searched = start
                return try next(headOnly: headOnly)
            }
            let length = headOnly ? 0 : Int(headers.first { $0.name == "content-length" }?.value ?? "0") ?? 0
            guard buffer.count >= end + 4 + length else { return nil }
            let body = Array(buffer[(end + 4)..<(end + 4 + length)])
            start = end + 4 + length
            searched = start
            return Response(status: status, headers: headers, body: body)
        }

        /// The offset of the CR LF CR LF that ends the head at `start`, if it has arrived.
        private mutating func findHeadEnd() -> Int? {
            var i = max(start, searched)
            while i + 3 < buffer.count {
                if buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 { return i }
                i += 1
            }
            searched = i
            return nil
        }

        /// The status code and the headers (names lowercased, values without surrounding blanks).
        static func parseHead(_ head: ArraySlice<UInt8>) throws -> (Int, [(name: String, value: String)]) {
            var lines = head.split(separator: 10, omittingEmptySubsequences: false).map { $0.last == 13 ? $0.dropLast() : $0 }
            let statusLine = lines.removeFirst().split(separator: UInt8(ascii: " "))
            guard statusLine.count >= 2, let status = Int(String(decoding: statusLine[1], as: UTF8.self)) else {
                throw SocketError("malformed HTTP status line", errno: EPROTO)
            }
            var headers: [(name: String, value: String)] = []
            for line in lines {
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
                let name = line[..<colon].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
                var value = line[(colon + 1)...]
                while let first = value.first, first == 32 || first == 9 { value = value.dropFirst() }
                while let last = value.last, last == 32 || last == 9 { value = value.dropLast() }
                headers.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            }
            return (status, headers)
        }
    }
}
