import FoundationEssentials
import Glibc
import HotlineCore
import Synchronization

/// Observes each answered request (for metrics and access logs).
public typealias HTTPObserver = @Sendable (_ method: String, _ route: String, _ status: Int, _ seconds: Double) -> Void

/// A hand-written HTTP/1.1 server: one event-loop thread over epoll reads, parses and writes
/// every connection (`HTTPEventLoop`); quick handlers run on that thread too (`LoopExecutor`),
/// others on a small pool of threads of their own (`HandlerPool`), handing their answers back
/// to the loop. Keep-alive, pipelining, Content-Length and chunked
/// bodies, limits, timeouts (408), a connection cap and a per-peer cap (503), graceful drain.
public final class HTTPServer: Sendable {
    public let router: Router
    public let limits: HTTPLimits
    private let authenticator: Authenticator
    let logger: Logger
    let observer: HTTPObserver?
    private let state = Mutex(State())
    private let stopping = Atomic<Bool>(false)
    /// Answers of finished handlers, for the loop to send: connection id → response.
    private let answers = Mutex<[(Int, HTTPResponse)]>([])
    private let handlers: HandlerPool

    private struct State {
        var listeners: [Int32] = []
        var port = 0
        /// The Unix socket's path and the inode its file got, so stopping removes only our own.
        var unixSocket: (path: String, inode: UInt64)?
        var poller: Poller?
    }

    public init(router: Router, authenticator: Authenticator, limits: HTTPLimits = HTTPLimits(), logger: Logger,
                observer: HTTPObserver? = nil) {
        self.router = router
        self.authenticator = authenticator
        self.limits = limits
        self.logger = logger
        self.observer = observer
        handlers = HandlerPool(maxThreads: limits.handlerThreads)
    }

    /// The bound port, once listening.
    public var port: Int { state.withLock { $0.port } }

    /// Binds `host:port` (0 picks a free port). - Returns: the bound port.
    @discardableResult
    public func bind(host: String, port: Int) throws -> Int {
        let (fd, bound) = try Socket.listenTCP(host: host, port: port)
        Socket.setNonBlocking(fd)
        state.withLock {
            $0.listeners.append(fd)
            $0.port = bound
        }
        return bound
    }

    /// Also serves on a Unix socket at `path` (mode 0660), for clients on the same host — a
    /// reverse proxy, the `hotline` tool — which then skip the TCP stack on both sides (about
    /// half the kernel's CPU per request on loopback). Removed again when the server stops.
    public func bind(unixSocket path: String) throws {
        let fd = try Socket.listenUnix(path: path, backlog: 1024)
        Socket.setNonBlocking(fd)
        var file = stat()
        let inode = stat(path, &file) == 0 ? UInt64(file.st_ino) : 0
        state.withLock {
            $0.listeners.append(fd)
            $0.unixSocket = (path, inode)
        }
    }

    /// Serves until `stop()`; then waits (up to `drainSeconds`) for requests in flight to
    /// finish and closes what is left.
    public func run(drainSeconds: TimeInterval = 10) async {
        let listeners = state.withLock { $0.listeners }
        precondition(!listeners.isEmpty, "bind before run")
        let poller: Poller
        do {
            poller = try Poller()
            for listener in listeners { try poller.add(listener, writable: false) }
        } catch {
            logger.error("http server cannot start its event loop", ["error": "\(error)"])
            return
        }
        state.withLock { $0.poller = poller }
        let executor = LoopExecutor(poller: poller)
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                NamedThread.start("http.loop") { [self] in
                    executor.attachToCurrentThread()
                    var loop = HTTPEventLoop(server: self, poller: poller, executor: executor, listeners: listeners,
                                             drainSeconds: drainSeconds)
                    loop.run()
                    executor.close()
                    done.resume()
                }
            }
        } onCancel: {
            stop()
        }
        handlers.stop()
        let unixSocket = state.withLock { s -> (path: String, inode: UInt64)? in
            s.listeners = []
            s.poller = nil
            defer { s.unixSocket = nil }
            return s.unixSocket
        }
        // A successor may have bound the path meanwhile: its file is not ours to remove.
        var file = stat()
        if let unixSocket, stat(unixSocket.path, &file) == 0, UInt64(file.st_ino) == unixSocket.inode { unlink(unixSocket.path) }
    }

    /// Stops accepting; idle keep-alive connections are closed, busy ones finish their request.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        state.withLock { $0.poller?.wake() }
    }

    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Runs a handler on a handler thread and posts its answer back to the loop.
    func run(_ handler: @escaping @Sendable () async -> HTTPResponse, for connection: Int) {
        handlers.submit(handler) { [self] response in post(response, for: connection, wake: true) }
    }

    /// Queues a handler's answer for the loop; `wake` when posted from another thread.
    func post(_ response: HTTPResponse, for connection: Int, wake: Bool) {
        answers.withLock { $0.append((connection, response)) }
        if wake { state.withLock { $0.poller?.wake() } }
    }

    /// The answers finished since the last call.
    func takeAnswers() -> [(Int, HTTPResponse)] {
        answers.withLock { a in
            defer { a.removeAll(keepingCapacity: true) }
            return a
        }
    }

    /// How a request is answered: at once (routing, authentication and authorisation
    /// failures, fallbacks), or by running its handler.
    enum Answer {
        case now(HTTPResponse)
        /// `quick`: run on the loop's thread (`Route.quick`).
        case handler(quick: Bool, @Sendable () async -> HTTPResponse)
    }

    /// Authenticates and authorises; every failure becomes a problem. The handler itself is
    /// returned to be run off the event loop.
    func answer(_ request: inout HTTPRequest, match: Router.Match) -> Answer {
        switch match {
        case .notFound:
            if let fallback = router.fallback(for: request.path) { return .now(fallback.handler(request, [])) }
            return .now(Problem.notFound("no route for \(request.path)").response)
        case .methodNotAllowed(let allowed):
            if let fallback = router.fallback(for: request.path) { return .now(fallback.handler(request, allowed)) }
            var r = Problem(status: 405, detail: "use \(allowed.joined(separator: ", "))").response
            r.headers.append(("Allow", allowed.joined(separator: ", ")))
            return .now(r)
        case .found(let route, let parameters):
            // Paths with a fallback of their own (Open311) answer in their own error format and
            // make this check there.
            if router.fallback(for: request.path) == nil, let problem = request.controlCharacterProblem { return .now(problem.response) }
            request.pathParameters = parameters
            if let roles = route.roles {
                guard let authorization = request.header("authorization"), authorization.lowercased().hasPrefix("bearer "),
                    let principal = authenticator.authenticate(token: authorization.dropFirst(7).trimmingWhitespace())
                else {
                    return .now(Problem(status: 401, detail: "a valid bearer token is required",
                                        headers: ["WWW-Authenticate": "Bearer realm=\"hotline\""]).response)
                }
                guard roles.contains(principal.role) else {
                    return .now(Problem.forbidden("role \(principal.role.rawValue) may not call this").response)
                }
                request.principal = principal
            }
            let handler = route.handler
            let call = request
            let logger = self.logger
            return .handler(quick: route.quick) {
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

}
