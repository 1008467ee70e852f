import FoundationEssentials

/// What handles a request.
public typealias HTTPHandler = @Sendable (HTTPRequest) async throws -> HTTPResponse

/// One route: method, path pattern with `{name}` parameters, who may call it, body limit.
public struct Route: Sendable {
    public let method: String
    public let pattern: String
    /// `nil`: no authentication. Otherwise a bearer token of one of these roles.
    public let roles: Set<Principal.Role>?
    public let maxBody: Int?
    /// A handler of bounded work (keyed reads, one write, a small answer) that runs on the
    /// event loop's thread, resumed there after its database work; others (lists, exports,
    /// recomputations) run on a handler thread so that they cannot hold up the loop.
    public let quick: Bool
    public let handler: HTTPHandler
    let segments: [Segment]

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    public init(_ method: String, _ pattern: String, roles: Set<Principal.Role>?, maxBody: Int? = nil, quick: Bool = false,
                handler: @escaping HTTPHandler) {
        self.method = method
        self.pattern = pattern
        self.roles = roles
        self.maxBody = maxBody
        self.quick = quick
        self.handler = handler
        segments = pattern.split(separator: "/").map { s in
            s.hasPrefix("{") && s.hasSuffix("}") ? .parameter(String(s.dropFirst().dropLast())) : .literal(String(s))
        }
    }
}

/// Answers requests under a path prefix that match no route (404) or no method of one (405),
/// for an API with an error format of its own (Open311's error lists).
public struct RouteFallback: Sendable {
    public let prefix: String
    /// The request, and the methods the path allows (empty: no such path).
    public let handler: @Sendable (HTTPRequest, _ allowed: [String]) -> HTTPResponse

    public init(prefix: String, handler: @escaping @Sendable (HTTPRequest, _ allowed: [String]) -> HTTPResponse) {
        self.prefix = prefix
        self.handler = handler
    }
}

/// Matches requests to routes.
public struct Router: Sendable {
    public private(set) var routes: [Route] = []
    public private(set) var fallbacks: [RouteFallback] = []

    public init() {}

    public mutating func add(_ route: Route) { routes.append(route) }

    public mutating func add(_ fallback: RouteFallback) { fallbacks.append(fallback) }

    /// The fallback for a path, the longest prefix first.
    public func fallback(for path: String) -> RouteFallback? {
        fallbacks.filter { path == $0.prefix || path.hasPrefix($0.prefix + "/") }.max { $0.prefix.count < $1.prefix.count }
    }

    public enum Match: Sendable {
        case found(Route, [String: String])
        case methodNotAllowed([String])
        case notFound
    }

    public func match(method: String, path: String) -> Match {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var allowed: [String] = []
        for route in routes where route.segments.count == parts.count {
            var parameters: [String: String] = [:]
            var ok = true
            for (segment, part) in zip(route.segments, parts) {
                switch segment {
                case .literal(let l): if l != part { ok = false }
                case .parameter(let name): parameters[name] = part
                }
                if !ok { break }
            }
            guard ok else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .found(route, parameters)
            }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }
}
