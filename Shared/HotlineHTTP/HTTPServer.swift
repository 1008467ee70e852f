import Foundation
import HotlineCore
import Synchronization

/// Observes each answered request (for metrics and access logs).
public typealias HTTPObserver = @Sendable (_ method: String, _ route: String, _ status: Int, _ seconds: Double) -> Void

/// A hand-written HTTP/1.1 server: one thread per connection doing blocking reads with
/// timeouts, handlers run as async tasks. Keep-alive, pipelining, Content-Length and
/// chunked bodies, limits, timeouts and a connection cap.
public final class HTTPServer: Sendable {
    public let router: Router
    public let limits: HTTPLimits
    private let authenticator: Authenticator
    private let logger: Logger
    private let observer: HTTPObserver?
    private let state = Mutex(State())
    private let openConnections = Atomic<Int>(0)

    private struct State {
        var listener: Int32 = -1
        var port = 0
        var stopping = false
        var connections: [Int32: Bool] = [:]  // fd → busy (in a request)
        var peers: [String: Int] = [:]  // peer address → open connections
    }

    public init(router: Router, authenticator: Authenticator, limits: HTTPLimits = HTTPLimits(), logger: Logger,
                observer: HTTPObserver? = nil) {
        self.router = router
        self.authenticator = authenticator
        self.limits = limits
        self.logger = logger
        self.observer = observer
    }

    /// The bound port, once listening.
    public var port: Int { state.withLock { $0.port } }

    /// Binds `host:port` (0 picks a free port). - Returns: the bound port.
    @discardableResult
    public func bind(host: String, port: Int) throws -> Int {
        let (fd, bound) = try Socket.listenTCP(host: host, port: port)
        state.withLock {
            $0.listener = fd
            $0.port = bound
        }
        return bound
    }

    /// Accepts connections until `stop()`; then waits (up to `drainSeconds`) for requests in
    /// flight to finish.
    public func run(drainSeconds: TimeInterval = 10) async {
        let listener = state.withLock { $0.listener }
        precondition(listener >= 0, "bind before run")
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    acceptLoop(listener)
                    done.resume()
                }
                thread.name = "http.accept"
                thread.start()
            }
        } onCancel: {
            stop()
        }
        let deadline = Date().addingTimeInterval(drainSeconds)
        while openConnections.load(ordering: .relaxed) > 0 && Date() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// Stops accepting; idle keep-alive connections are closed, busy ones finish their request.
    public func stop() {
        // Shut sockets down under the lock: their owners deregister them under it before
        // closing, so no descriptor number here can already belong to someone else.
        state.withLock { s in
            s.stopping = true
            if s.listener >= 0 { Socket.shutdown(s.listener) }
            for (fd, busy) in s.connections where !busy { Socket.shutdown(fd) }
        }
    }

    private func acceptLoop(_ listener: Int32) {
        while let fd = Socket.accept(listener) {
            if state.withLock({ $0.stopping }) {
                close(fd)
                break
            }
            if openConnections.load(ordering: .relaxed) >= limits.maxConnections {
                let problem = Problem(status: 503, detail: "too many connections", headers: ["Retry-After": "1"])
                Socket.writeAll(fd, problem.response.serialized(keepAlive: false))
                close(fd)
                logger.warning("connection refused: cap reached", ["http.max_connections": String(limits.maxConnections)])
                continue
            }
            let peer = Socket.peerAddress(fd)
            let admitted = state.withLock { s -> Bool in
                guard s.peers[peer, default: 0] < limits.maxConnectionsPerPeer else { return false }
                s.peers[peer, default: 0] += 1
                return true
            }
            guard admitted else {
                let problem = Problem(status: 503, detail: "too many connections from your address", headers: ["Retry-After": "1"])
                Socket.writeAll(fd, problem.response.serialized(keepAlive: false))
                close(fd)
                logger.warning("connection refused: per-peer cap reached",
                               ["http.peer": peer, "http.max_connections_per_peer": String(limits.maxConnectionsPerPeer)])
                continue
            }
            openConnections.add(1, ordering: .relaxed)
            state.withLock { $0.connections[fd] = false }
            Socket.setSendTimeout(fd, seconds: Int(limits.bodyTimeout))
            let thread = Thread { [self] in
                serve(fd, peer: peer)
                state.withLock { s in
                    s.connections.removeValue(forKey: fd)
                    s.peers[peer, default: 1] -= 1
                    if s.peers[peer] == 0 { s.peers.removeValue(forKey: peer) }
                    close(fd)
                }
                openConnections.subtract(1, ordering: .relaxed)
            }
            thread.name = "http.connection"
            thread.stackSize = 512 * 1024
            thread.start()
        }
        state.withLock { s in
            s.listener = -1
            close(listener)
        }
    }

    private enum ReadOutcome { case data, timeout, closed }

    /// Waits for the first byte of the next request on an idle connection.
    /// - Returns: false when it should close: idle too long (shorter under pressure), or stopping.
    private func waitForNextRequest(_ fd: Int32) -> Bool {
        let since = Date()
        while true {
            let pressure = openConnections.load(ordering: .relaxed) > limits.maxConnections / 2
            let left = (pressure ? limits.idleTimeoutUnderPressure : limits.idleTimeout) - Date().timeIntervalSince(since)
            if left <= 0 || state.withLock({ $0.stopping }) { return false }
            if Socket.waitReadable(fd, timeout: min(1, left)) { return true }
        }
    }

    private func readMore(_ fd: Int32, into parser: inout HTTPRequestParser, timeout: TimeInterval,
                          buffer: inout [UInt8]) -> ReadOutcome {
        guard Socket.waitReadable(fd, timeout: timeout) else { return .timeout }
        let n = buffer.withUnsafeMutableBytes { Socket.read(fd, into: $0.baseAddress!, count: $0.count) }
        if n <= 0 { return .closed }
        parser.append(buffer[0..<n])
        return .data
    }

    private func serve(_ fd: Int32, peer: String) {
        var parser = HTTPRequestParser(limits: limits)
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            // Head: idle timeout before the first byte, header timeout once it started.
            var head: HTTPRequestHead?
            var headStarted: Date?
            do {
                while head == nil {
                    head = try parser.parseHead()
                    if head != nil { break }
                    if parser.bufferedCount > 0 && headStarted == nil { headStarted = Date() }
                    if state.withLock({ $0.stopping }) && parser.bufferedCount == 0 { return }
                    if headStarted == nil {
                        // Idle between requests: wait in short slices, so that pressure (more
                        // than half the connections taken) shortens the wait of sockets already idle.
                        guard waitForNextRequest(fd) else { return }
                    }
                    let timeout = headStarted.map { limits.headerTimeout - Date().timeIntervalSince($0) } ?? limits.headerTimeout
                    switch readMore(fd, into: &parser, timeout: max(0, timeout), buffer: &buffer) {
                    case .data: if headStarted == nil { headStarted = Date() }
                    case .closed: return
                    case .timeout:
                        if parser.bufferedCount > 0 {
                            write(fd, Problem(status: 408, detail: "request head not received in time").response, keepAlive: false)
                        }
                        return
                    }
                }
            } catch {
                write(fd, Problem(status: error.status, detail: error.detail).response, keepAlive: false)
                observer?("-", "-", error.status, 0)
                return
            }
            guard let head else { return }
            state.withLock { $0.connections[fd] = true }
            defer { state.withLock { if $0.connections[fd] != nil { $0.connections[fd] = false } } }
            let started = DispatchTime.now().uptimeNanoseconds
            var request = HTTPRequest(method: head.method, target: head.target,
                                      headers: head.headers.map { ($0.name, $0.value) }, keepAlive: head.keepAlive)
            request.remoteAddress = peer
            let match = router.match(method: head.method, path: request.path)
            var bodyLimit = limits.defaultMaxBody
            if case .found(let route, _) = match, let max = route.maxBody { bodyLimit = max }

            if head.expectsContinue, (head.contentLength ?? 1) > 0 {
                if let length = head.contentLength, length > bodyLimit {
                    write(fd, Problem(status: 413, detail: "body larger than \(bodyLimit) bytes").response, keepAlive: false)
                    return
                }
                Socket.writeAll(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            }
            var body: [UInt8]?
            let bodyStarted = Date()
            do {
                while true {
                    body = try parser.parseBody(limit: bodyLimit)
                    if body != nil { break }
                    // Between bytes, and for the whole body: a trickle cannot hold a connection forever.
                    let left = limits.bodyDeadline - Date().timeIntervalSince(bodyStarted)
                    switch readMore(fd, into: &parser, timeout: max(0, min(limits.bodyTimeout, left)), buffer: &buffer) {
                    case .data: continue
                    case .closed: return
                    case .timeout:
                        write(fd, Problem(status: 408, detail: "request body not received in time").response, keepAlive: false)
                        return
                    }
                }
            } catch {
                write(fd, Problem(status: error.status, detail: error.detail).response, keepAlive: false)
                observer?(head.method, routeName(match), error.status, 0)
                return
            }
            request.body = body ?? []
            var response = respond(to: &request, match: match)
            if head.method == "HEAD" { response.body = [] }
            let keepAlive = head.keepAlive && !state.withLock({ $0.stopping })
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            observer?(head.method, routeName(match), response.status, seconds)
            guard write(fd, response, keepAlive: keepAlive), keepAlive else { return }
        }
    }

    private func routeName(_ match: Router.Match) -> String {
        if case .found(let route, _) = match { return route.pattern }
        return "unmatched"
    }

    @discardableResult
    private func write(_ fd: Int32, _ response: HTTPResponse, keepAlive: Bool) -> Bool {
        var response = response
        if !response.headers.contains(where: { $0.name.lowercased() == "content-type" }) && !response.body.isEmpty {
            response.headers.append(("Content-Type", "application/octet-stream"))
        }
        return Socket.writeAll(fd, response.serialized(keepAlive: keepAlive))
    }

    /// Authenticates, authorises and runs the handler; every failure becomes a problem.
    private func respond(to request: inout HTTPRequest, match: Router.Match) -> HTTPResponse {
        switch match {
        case .notFound:
            if let fallback = router.fallback(for: request.path) { return fallback.handler(request, []) }
            return Problem.notFound("no route for \(request.path)").response
        case .methodNotAllowed(let allowed):
            if let fallback = router.fallback(for: request.path) { return fallback.handler(request, allowed) }
            var r = Problem(status: 405, detail: "use \(allowed.joined(separator: ", "))").response
            r.headers.append(("Allow", allowed.joined(separator: ", ")))
            return r
        case .found(let route, let parameters):
            // Paths with a fallback of their own (Open311) answer in their own error format and
            // make this check there.
            if router.fallback(for: request.path) == nil, let problem = request.controlCharacterProblem { return problem.response }
            request.pathParameters = parameters
            if let roles = route.roles {
                guard let authorization = request.header("authorization"), authorization.lowercased().hasPrefix("bearer "),
                    let principal = authenticator.authenticate(token: authorization.dropFirst(7).trimmingWhitespace())
                else {
                    return Problem(status: 401, detail: "a valid bearer token is required",
                                   headers: ["WWW-Authenticate": "Bearer realm=\"hotline\""]).response
                }
                guard roles.contains(principal.role) else {
                    return Problem.forbidden("role \(principal.role.rawValue) may not call this").response
                }
                request.principal = principal
            }
            let handler = route.handler
            let call = request
            let logger = self.logger
            return Self.runBlocking {
                do {
                    return try await handler(call)
                } catch let problem as Problem {
                    return problem.response
                } catch let failure as any TransientFailure where failure.isTransient {
                    // The storage (or a peer), not the request, failed: the client may retry.
                    logger.warning("request failed on a temporary fault", ["http.route": route.pattern, "error": "\(failure)"])
                    return Problem(status: 503, detail: "temporarily unable to store or read data; retry later",
                                   headers: ["Retry-After": "5"]).response
                } catch {
                    logger.error("handler failed", ["http.route": route.pattern, "error": "\(error)"])
                    return Problem(status: 500, detail: "internal error; see the service log").response
                }
            }
        }
    }

    /// Runs async work from a connection thread (never a pool thread) and waits for it.
    static func runBlocking(_ work: @escaping @Sendable () async -> HTTPResponse) -> HTTPResponse {
        let box = ResponseBox()
        let executor = ConnectionExecutor()
        // Runs on this connection thread until the handler first suspends (typically at its
        // database write); what follows the suspension is queued back to this thread too.
        Task.immediate(executorPreference: executor) {
            let response = await work()
            box.finish(response)
            executor.enqueueWakeUp()
        }
        executor.drain { box.isFinished }
        return box.value ?? Problem(status: 500).response
    }

    private final class ResponseBox: Sendable {
        private let state = Mutex<HTTPResponse?>(nil)
        func finish(_ response: HTTPResponse) { state.withLock { $0 = response } }
        var isFinished: Bool { state.withLock { $0 != nil } }
        var value: HTTPResponse? { state.withLock { $0 } }
    }
}
