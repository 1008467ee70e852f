import FoundationEssentials
import HotlineCore

/// Limits and timeouts that protect a server from oversized and slow clients.
public struct HTTPLimits: Sendable {
    /// Request line plus headers (431 beyond).
    public var maxHeadBytes = 16 * 1024
    /// The request line alone (414 beyond).
    public var maxRequestLine = 8 * 1024
    public var maxHeaderCount = 100
    /// Body size for routes that do not set their own (413 beyond).
    public var defaultMaxBody = 1 << 20
    /// Time allowed to send a request's head once it has started (408 beyond).
    public var headerTimeout: TimeInterval = 10
    /// Time allowed between body bytes (408 beyond).
    public var bodyTimeout: TimeInterval = 30
    /// Time allowed for a whole body, however steadily it trickles (408 beyond).
    public var bodyDeadline: TimeInterval = 60
    /// How long an idle keep-alive connection is kept.
    public var idleTimeout: TimeInterval = 60
    /// How long it is kept while more than half the connections are taken: idle sockets
    /// must not keep working clients out.
    public var idleTimeoutUnderPressure: TimeInterval = 2
    /// Open connections beyond this get 503 and are closed.
    public var maxConnections = 1024
    /// Open connections from one peer address beyond this get 503 and are closed.
    public var maxConnectionsPerPeer = 256
    /// Requests whose handlers run at once; more wait their turn (their connections stay open).
    public var handlerThreads = 32

    public init() {}
}

/// A parsed request.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The raw request target (path and query).
    public var target: String
    /// The decoded path without the query.
    public var path: String
    public var query: [String: [String]]
    /// Header names lowercased, in arrival order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var keepAlive: Bool
    /// Filled by the router: `{id}` in the pattern → value.
    public var pathParameters: [String: String] = [:]
    /// Filled by authentication.
    public var principal: Principal?
    /// The peer's IP address (for per-client limits).
    public var remoteAddress: String = ""


    public init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8] = [],
                keepAlive: Bool = true) {
        self.method = method
        self.target = target
        let (path, query) = HTTPRequest.splitTarget(target)
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name == lower }?.value
    }

    /// Where the target decodes to a control character (U+0000–U+001F, U+007F; in a query,
    /// one that is not white space).
    public enum ControlCharacter: Equatable, Sendable {
        /// In the path: no resource is named so (404).
        case path
        /// In a query parameter's name or value: a bad request (400).
        case query(String)
    }

    /// The first part of the target that decodes to a control character, or nil. No route
    /// takes one in its path or query, and one that reached a database as a C string would be
    /// cut short there.
    public var controlCharacter: ControlCharacter? {
        func control(_ v: UInt32) -> Bool { v < 0x20 || v == 0x7f }
        if path.unicodeScalars.contains(where: { control($0.value) }) { return .path }
        // Tab and line breaks are white space, which lenient lists (Open311's) trim.
        func bad(_ s: String) -> Bool { s.unicodeScalars.contains { control($0.value) && !(0x09...0x0d).contains($0.value) } }
        for (name, values) in query.sorted(by: { $0.key < $1.key }) where bad(name) || values.contains(where: bad) {
            return .query(name)
        }
        return nil
    }

    /// The problem that refuses a target with a control character, or nil.
    public var controlCharacterProblem: Problem? {
        switch controlCharacter {
        case nil: return nil
        case .path?: return Problem.notFound("no resource is named with control characters")
        case .query(let name)?: return Problem.badRequest("query parameter \(name.debugDescription) must not contain control characters")
        }
    }

    /// The first value of a query parameter; present but empty counts as absent (`?status=`
    /// is what many clients send for "no filter", and Open311 treats both alike).
    public func queryValue(_ name: String) -> String? {
        guard let value = query[name]?.first, !value.isEmpty else { return nil }
        return value
    }

    public func parameter(_ name: String) -> String { pathParameters[name] ?? "" }

    static func splitTarget(_ target: String) -> (String, [String: [String]]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = PercentDecoding.decode(parts[0])
        var query: [String: [String]] = [:]
        if parts.count > 1 {
            for pair in FormEncoding.decode(String(parts[1])) { query[pair.0, default: []].append(pair.1) }
        }
        return (path, query)
    }
}

/// A response to write.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// A JSON body (canonical: sorted keys).
    public static func json<T: Encodable>(_ value: T, status: Int = 200) throws -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")],
                     body: try JSONCoding.bytes(value))
    }

    /// A JSON body from a value that writes its own canonical form (no tree, no key sort);
    /// `throws` only so that call sites read like the `Encodable` overload's.
    public static func json<T: CanonicalJSONWritable>(_ value: T, status: Int = 200) throws -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: CanonicalJSON.bytes(value))
    }

    /// A JSON array body of values that write their own canonical form.
    public static func json<T: CanonicalJSONWritable>(_ values: [T], status: Int = 200) throws -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: CanonicalJSON.bytes(values))
    }

    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8")
        -> HTTPResponse
    {
        HTTPResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    /// Serialises status line, headers and body.
    func serialized(keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(HTTPStatus.reason(status))\r\n"
        for (name, value) in headers where name.lowercased() != "content-length" && name.lowercased() != "connection" {
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(body.count)\r\n"
        head += keepAlive ? "" : "Connection: close\r\n"
        head += "\r\n"
        return Array(head.utf8) + body
    }
}

public enum HTTPStatus {
    public static func reason(_ code: Int) -> String {
        switch code {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(code)"
        }
    }
}

/// `application/x-www-form-urlencoded` decoding (query strings and form bodies).
public enum FormEncoding {
    public static func decode(_ text: String) -> [(String, String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (PercentDecoding.decode(kv[0], plusAsSpace: true), kv.count > 1 ? PercentDecoding.decode(kv[1], plusAsSpace: true) : "")
        }
    }

    public static func encode(_ value: String) -> String {
        PercentEncoding.encode(value, keeping: "-._~")
    }
}
