import FoundationEssentials
import HotlineCore

/// A request the parser refused, with the status to answer.
public struct HTTPParseError: Error, Equatable, Sendable {
    public let status: Int
    public let detail: String

    public init(_ status: Int, _ detail: String) {
        self.status = status
        self.detail = detail
    }
}

/// The head of a request, before its body is read.
public struct HTTPRequestHead: Sendable, Equatable {
    public let method: String
    public let target: String
    public let version: String
    public let headers: [HeaderField]
    /// The body length when sent with Content-Length; nil for chunked.
    public let contentLength: Int?
    public let chunked: Bool
    public let keepAlive: Bool
    public let expectsContinue: Bool

    public struct HeaderField: Sendable, Equatable {
        public let name: String
        public let value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
}

/// An incremental HTTP/1.1 request parser over a byte buffer. Pure: no I/O, no clocks, so it
/// is tested directly and fuzzed.
///
/// Feed bytes with `append`, take the head with `parseHead`, then the body with `parseBody`.
/// Bytes beyond one request stay buffered for the next (pipelining).
public struct HTTPRequestParser: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var bodyState = BodyState.none
    private var body: [UInt8] = []
    public let limits: HTTPLimits

    private enum BodyState: Sendable {
        case none
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
    }

    public init(limits: HTTPLimits) { self.limits = limits }

    public mutating func append<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            scanned = max(0, scanned - start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Bytes buffered but not yet consumed.
    public var bufferedCount: Int { buffer.count - start }

    /// The next request's head, or nil when more bytes are needed.
    public mutating func parseHead() throws(HTTPParseError) -> HTTPRequestHead? {
        // Tolerate empty lines between requests (RFC 9112 §2.2).
        while start + 1 < buffer.count, buffer[start] == 13, buffer[start + 1] == 10 { start += 2 }
        var i = max(scanned, start)
        var end: Int?
        while i + 3 < buffer.count {
            if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 {
                end = i
                break
            }
            i += 1
        }
        guard let headEnd = end else {
            scanned = max(start, buffer.count - 3)
            try refuseEarly()
            if let lineEnd = buffer[start...].firstIndex(of: 10) {
                if lineEnd - start > limits.maxRequestLine { throw HTTPParseError(414, "request line too long") }
            } else if buffer.count - start > limits.maxRequestLine {
                throw HTTPParseError(414, "request line too long")
            }
            if buffer.count - start > limits.maxHeadBytes { throw HTTPParseError(431, "request head too large") }
            return nil
        }
        if headEnd + 4 - start > limits.maxHeadBytes { throw HTTPParseError(431, "request head too large") }
        let head = try Self.parseHeadBytes(buffer[start..<headEnd], limits: limits)
        start = headEnd + 4
        scanned = start
        body = []
        if head.chunked {
            bodyState = .chunkSize
        } else {
            bodyState = .fixed(remaining: head.contentLength ?? 0)
        }
        return head
    }

    /// Refuses at once what can never become an HTTP/1.x request head, instead of waiting for
    /// the head timeout: a first byte that cannot start a method (a TLS ClientHello starts
    /// 0x16), a bare LF, or a complete request line that is not `METHOD target HTTP/x.y`
    /// (HTTP/0.9's `GET /` included).
    private func refuseEarly() throws(HTTPParseError) {
        guard start < buffer.count else { return }
        guard Self.tokenCharacters[Int(buffer[start])] else { throw HTTPParseError(400, "not an HTTP/1.x request") }
        var i = start
        while i < buffer.count {
            if buffer[i] == 10 {
                guard i > start, buffer[i - 1] == 13 else { throw HTTPParseError(400, "bare LF in head") }
                if let lineEnd = buffer[start..<i].lastIndex(of: 13), lineEnd == i - 1,
                    buffer[start..<lineEnd].firstIndex(of: 10) == nil
                {
                    // The request line is complete: check its shape now.
                    let parts = buffer[start..<lineEnd].split(separator: 32, omittingEmptySubsequences: false)
                    let version = parts.last.map { String(decoding: $0, as: UTF8.self) } ?? ""
                    guard parts.count == 3, version.hasPrefix("HTTP/") else { throw HTTPParseError(400, "malformed request line") }
                }
                break
            }
            i += 1
        }
    }

    /// The body of the request whose head was just parsed, or nil when more bytes are needed.
    /// - Parameter limit: the route's body limit (413 beyond).
    public mutating func parseBody(limit: Int) throws(HTTPParseError) -> [UInt8]? {
        while true {
            switch bodyState {
            case .none:
                return []
            case .fixed(let remaining):
                if body.count + remaining > limit { throw HTTPParseError(413, "body larger than \(limit) bytes") }
                let available = min(remaining, buffer.count - start)
                body.append(contentsOf: buffer[start..<start + available])
                start += available
                if remaining - available > 0 {
                    bodyState = .fixed(remaining: remaining - available)
                    return nil
                }
                return finishBody()
            case .chunkSize:
                guard let lineEnd = lineEnd(maxLength: 1024) else {
                    if buffer.count - start > 1024 { throw HTTPParseError(400, "chunk size line too long") }
                    return nil
                }
                var sizeText = buffer[start..<lineEnd]
                if let semicolon = sizeText.firstIndex(of: UInt8(ascii: ";")) { sizeText = sizeText[..<semicolon] }
                guard let size = Self.hex(sizeText) else { throw HTTPParseError(400, "bad chunk size") }
                start = lineEnd + 2
                if size == 0 {
                    bodyState = .trailers
                } else {
                    if body.count + size > limit { throw HTTPParseError(413, "body larger than \(limit) bytes") }
                    bodyState = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let available = min(remaining, buffer.count - start)
                body.append(contentsOf: buffer[start..<start + available])
                start += available
                if available < remaining {
                    bodyState = .chunkData(remaining: remaining - available)
                    return nil
                }
                bodyState = .chunkDataEnd
            case .chunkDataEnd:
                guard buffer.count - start >= 2 else { return nil }
                guard buffer[start] == 13, buffer[start + 1] == 10 else { throw HTTPParseError(400, "chunk not followed by CRLF") }
                start += 2
                bodyState = .chunkSize
            case .trailers:
                guard let lineEnd = lineEnd(maxLength: limits.maxHeadBytes) else {
                    if buffer.count - start > limits.maxHeadBytes { throw HTTPParseError(431, "trailers too large") }
                    return nil
                }
                let empty = lineEnd == start
                start = lineEnd + 2
                if empty { return finishBody() }
            }
        }
    }

    private mutating func finishBody() -> [UInt8] {
        bodyState = .none
        let out = body
        body = []
        return out
    }

    private func lineEnd(maxLength: Int) -> Int? {
        var i = start
        while i + 1 < buffer.count && i - start <= maxLength {
            if buffer[i] == 13 && buffer[i + 1] == 10 { return i }
            i += 1
        }
        return nil
    }

    private static func hex(_ bytes: ArraySlice<UInt8>) -> Int? {
        var trimmed = bytes
        while let last = trimmed.last, last == 32 || last == 9 { trimmed = trimmed.dropLast() }
        guard !trimmed.isEmpty, trimmed.count <= 8 else { return nil }
        var v = 0
        for c in trimmed {
            let d: Int
            switch c {
            case 48...57: d = Int(c - 48)
            case 97...102: d = Int(c - 87)
            case 65...70: d = Int(c - 55)
            default: return nil
            }
            v = v * 16 + d
        }
        return v
    }

    private static let tokenCharacters: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for c in "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8 { table[Int(c)] = true }
        return table
    }()

    static func parseHeadBytes(_ bytes: ArraySlice<UInt8>, limits: HTTPLimits) throws(HTTPParseError) -> HTTPRequestHead {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = bytes.startIndex
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == 13 {
                guard i + 1 < bytes.endIndex, bytes[i + 1] == 10 else { throw HTTPParseError(400, "bare CR in head") }
                lines.append(bytes[lineStart..<i])
                i += 2
                lineStart = i
                continue
            }
            if bytes[i] == 10 { throw HTTPParseError(400, "bare LF in head") }
            i += 1
        }
        lines.append(bytes[lineStart..<bytes.endIndex])
        let requestLine = lines[0]
        if requestLine.count > limits.maxRequestLine { throw HTTPParseError(414, "request line too long") }
        let parts = requestLine.split(separator: 32, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else { throw HTTPParseError(400, "malformed request line") }
        guard parts[0].allSatisfy({ tokenCharacters[Int($0)] }) else { throw HTTPParseError(400, "malformed method") }
        let method = String(decoding: parts[0], as: UTF8.self)
        guard parts[1].allSatisfy({ $0 > 32 && $0 < 127 }) else { throw HTTPParseError(400, "malformed request target") }
        let target = String(decoding: parts[1], as: UTF8.self)
        guard target.hasPrefix("/") || (method == "OPTIONS" && target == "*") else {
            throw HTTPParseError(400, "request target must be an absolute path")
        }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            throw HTTPParseError(version.hasPrefix("HTTP/") ? 505 : 400, "unsupported HTTP version")
        }
        if lines.count - 1 > limits.maxHeaderCount { throw HTTPParseError(431, "too many header fields") }
        var headers: [HTTPRequestHead.HeaderField] = []
        var contentLength: Int?
        var transferEncoding: String?
        var connection = ""
        var expect = ""
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw HTTPParseError(400, "header without colon") }
            let nameBytes = line[line.startIndex..<colon]
            guard !nameBytes.isEmpty, nameBytes.allSatisfy({ tokenCharacters[Int($0)] }) else {
                throw HTTPParseError(400, "malformed header name")  // also rejects obs-fold and space before colon
            }
            var valueBytes = line[(colon + 1)...]
            while let f = valueBytes.first, f == 32 || f == 9 { valueBytes = valueBytes.dropFirst() }
            while let l = valueBytes.last, l == 32 || l == 9 { valueBytes = valueBytes.dropLast() }
            guard valueBytes.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }) else {
                throw HTTPParseError(400, "control character in header value")
            }
            let name = String(decoding: nameBytes, as: UTF8.self).lowercased()
            let value = String(decoding: valueBytes, as: UTF8.self)
            switch name {
            case "content-length":
                guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), value.utf8.count <= 15,
                    let n = Int(value)
                else { throw HTTPParseError(400, "invalid Content-Length") }
                if let existing = contentLength, existing != n { throw HTTPParseError(400, "conflicting Content-Length") }
                contentLength = n
            case "transfer-encoding":
                transferEncoding = (transferEncoding.map { $0 + "," } ?? "") + value.lowercased()
            case "connection": connection = value.lowercased()
            case "host":
                // RFC 9112 §3.2: more than one Host is a 400; two hosts could route differently.
                if headers.contains(where: { $0.name == "host" }) { throw HTTPParseError(400, "more than one Host header") }
            case "authorization":
                // Which credential would count is ambiguous: refuse rather than pick one.
                if headers.contains(where: { $0.name == "authorization" }) { throw HTTPParseError(400, "more than one Authorization header") }
            case "expect": expect = value.lowercased()
            default: break
            }
            headers.append(.init(name: name, value: value))
        }
        var chunked = false
        if let te = transferEncoding {
            // Both framings at once is how requests are smuggled: refuse.
            if contentLength != nil { throw HTTPParseError(400, "both Content-Length and Transfer-Encoding") }
            guard te.split(separator: ",").map({ $0.trimmingWhitespace() }) == ["chunked"] else {
                throw HTTPParseError(501, "unsupported transfer coding")
            }
            guard version == "HTTP/1.1" else { throw HTTPParseError(400, "chunked body in HTTP/1.0") }
            chunked = true
        }
        let tokens = connection.split(separator: ",").map { $0.trimmingWhitespace() }
        let keepAlive = version == "HTTP/1.1" ? !tokens.contains("close") : tokens.contains("keep-alive")
        if !expect.isEmpty && expect != "100-continue" { throw HTTPParseError(417, "unsupported expectation") }
        return HTTPRequestHead(method: method, target: target, version: version, headers: headers,
                               contentLength: chunked ? nil : (contentLength ?? 0), chunked: chunked,
                               keepAlive: keepAlive, expectsContinue: expect == "100-continue")
    }
}
