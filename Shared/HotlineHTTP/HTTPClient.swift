import Foundation
import HotlineCore

/// A small keep-alive HTTP/1.1 client for the CLI, tests and benchmarks.
///
/// `send` blocks the calling thread; `request` runs it on a thread of its own so async
/// callers never block the cooperative pool.
public final class HTTPClient: @unchecked Sendable {
    // @unchecked: one connection, used by one caller at a time (documented contract).
    public let host: String
    public let port: Int
    private var fd: Int32 = -1
    private var parser = ResponseParser()
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
    }

    deinit { if fd >= 0 { Foundation.close(fd) } }

    public func close() {
        if fd >= 0 { Foundation.close(fd) }
        fd = -1
    }

    /// Sends one request and reads its response, reconnecting once if a kept-alive
    /// connection had been closed by the server (never after a fresh connection failed).
    public func send(_ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = [])
        throws -> Response
    {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + body
        for _ in 0..<2 {
            // Only a kept-alive connection may have been closed by the server before it saw the
            // request; a failure on a fresh one is real, and resending could do the work twice.
            let reused = fd >= 0
            if !reused {
                fd = try Socket.connectTCP(host: host, port: port)
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
            let thread = Thread { [self] in
                continuation.resume(with: Result { try send(method, target, headers: headers, body: body) })
            }
            thread.start()
        }
    }

    private func readResponse(method: String) throws -> Response? {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if let r = try parser.next(headOnly: method == "HEAD") {
                if r.header("connection")?.lowercased() == "close" { close() }
                return r
            }
            guard Socket.waitReadable(fd, timeout: timeout) else {
                throw SocketError("HTTP response timeout", errno: ETIMEDOUT)
            }
            let n = buffer.withUnsafeMutableBytes { Socket.read(fd, into: $0.baseAddress!, count: $0.count) }
            if n <= 0 { return nil }
            parser.append(buffer[0..<n])
        }
    }

    /// Parses responses with Content-Length bodies (all this project's servers send).
    struct ResponseParser {
        private var buffer: [UInt8] = []

        mutating func append(_ bytes: ArraySlice<UInt8>) { buffer.append(contentsOf: bytes) }

        mutating func next(headOnly: Bool) throws -> Response? {
            guard let end = Self.find(buffer) else { return nil }
            let head = String(decoding: buffer[0..<end], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst().split(separator: " ")
            guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
                throw SocketError("malformed HTTP status line", errno: EPROTO)
            }
            var headers: [(String, String)] = []
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingWhitespace()))
            }
            if status == 100 {
                buffer.removeFirst(end + 4)
                return try next(headOnly: headOnly)
            }
            let length = headOnly ? 0 : Int(headers.first { $0.0 == "content-length" }?.1 ?? "0") ?? 0
            guard buffer.count >= end + 4 + length else { return nil }
            let body = Array(buffer[(end + 4)..<(end + 4 + length)])
            buffer.removeFirst(end + 4 + length)
            return Response(status: status, headers: headers, body: body)
        }

        private static func find(_ b: [UInt8]) -> Int? {
            guard b.count >= 4 else { return nil }
            for i in 0...(b.count - 4) where b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { return i }
            return nil
        }
    }
}
