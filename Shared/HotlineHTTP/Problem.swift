import FoundationEssentials
import HotlineCore

/// An RFC 9457 problem: thrown by handlers, written as `application/problem+json`.
public struct Problem: Error, Codable, Sendable, CustomStringConvertible {
    /// One rejected input field.
    public struct FieldError: Codable, Sendable, Equatable {
        public let field: String
        public let message: String
        public init(_ field: String, _ message: String) {
            self.field = field
            self.message = message
        }
    }

    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var instance: String?
    public var errors: [FieldError]?
    /// Extra response headers (e.g. `Retry-After`, `WWW-Authenticate`); not part of the body.
    public var headers: [String: String] = [:]

    enum CodingKeys: String, CodingKey { case type, title, status, detail, instance, errors }

    public init(status: Int, type: String? = nil, title: String? = nil, detail: String? = nil,
                errors: [FieldError]? = nil, headers: [String: String] = [:]) {
        self.status = status
        self.type = type ?? "about:blank"
        self.title = title ?? HTTPStatus.reason(status)
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    public var description: String { "\(status) \(title)\(detail.map { ": " + $0 } ?? "")" }

    public static func badRequest(_ detail: String) -> Problem { Problem(status: 400, detail: detail) }
    public static func notFound(_ detail: String = "no such resource") -> Problem { Problem(status: 404, detail: detail) }
    public static func forbidden(_ detail: String) -> Problem { Problem(status: 403, detail: detail) }
    public static func conflict(_ detail: String) -> Problem { Problem(status: 409, detail: detail) }

    /// 422 naming every rejected field.
    public static func invalid(_ errors: [FieldError]) -> Problem {
        Problem(status: 422, type: "https://hotline.example/problems/validation", title: "Invalid request",
                detail: "\(errors.count) field(s) rejected: " + errors.map(\.field).joined(separator: ", "), errors: errors)
    }

    public var response: HTTPResponse {
        var r = HTTPResponse(status: status, headers: [("Content-Type", "application/problem+json")],
                             body: (try? JSONCoding.bytes(self)) ?? [])
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) { r.headers.append((k, v)) }
        return r
    }
}
