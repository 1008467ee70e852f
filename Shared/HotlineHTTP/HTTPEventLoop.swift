import FoundationEssentials
import Glibc
import HotlineCore

/// The HTTP server's event loop: accepts (with the caps), reads every ready connection,
/// parses requests, hands each to `HTTPServer.answer`, sends the answers with vectored
/// writes, and enforces the timeouts — all on one thread, without a thread per connection.
struct HTTPEventLoop {
    let server: HTTPServer
    let poller: Poller
    let executor: LoopExecutor
    let limits: HTTPLimits
    /// The TCP listener and, when bound, the Unix socket's (empty once stopping).
    var listeners: [Int32]
    let drainSeconds: TimeInterval
    var connections: [Int: HTTPConnection] = [:]
    var idByFD: [Int32: Int] = [:]
    var peers: [String: Int] = [:]
    var nextID = 0
    var dirty: Set<Int> = []
    /// Connections with pipelined requests still buffered after their share of a turn
    /// (`requestsPerTurn`): taken up again next turn, and not read from meanwhile.
    var backlog: Set<Int> = []
    /// Requests a connection may have answered at once (by the router: 404s, 401s…) in one
    /// turn of the loop before the others get theirs: a client pipelining thousands of them in
    /// one write held the loop (and every other client) for a second in a debug build.
    static let requestsPerTurn = 64
    var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    var stopDeadline: UInt64?
    var lastTimeoutScan: UInt64 = 0

    init(server: HTTPServer, poller: Poller, executor: LoopExecutor, listeners: [Int32], drainSeconds: TimeInterval) {
        self.server = server
        self.poller = poller
        self.executor = executor
        self.limits = server.limits
        self.listeners = listeners
        self.drainSeconds = drainSeconds
    }

    mutating func run() {
        while true {
            if server.isStopping && stopDeadline == nil { beginStop() }
            if let deadline = stopDeadline, connections.isEmpty || monotonicNanoseconds() >= deadline { break }
            // Quick handlers resumed meanwhile must not wait out a poll.
            let (ready, _) = poller.wait(timeoutMilliseconds: executor.hasJobs || !backlog.isEmpty ? 0 : 100)
            let waiting = backlog
            backlog.removeAll()
            for id in waiting { advance(id) }
            for event in ready {
                if listeners.contains(event.fd) {
                    acceptAll(event.fd)
                    continue
                }
                guard let id = idByFD[event.fd] else { continue }
                if event.writable { dirty.insert(id) }
                // A connection with requests still buffered is read once they are answered.
                if (event.readable || event.hangup) && !backlog.contains(id) { read(id) }
            }
            executor.runQueued()
            for (id, response) in server.takeAnswers() { send(response, to: id) }
            let now = monotonicNanoseconds()
            if now - lastTimeoutScan >= 50_000_000 {
                lastTimeoutScan = now
                enforceTimeouts(now)
            }
            flushDirty()
        }
        for id in Array(connections.keys) { finish(id) }
        closeListeners()
    }

    // MARK: accepting

    mutating func acceptAll(_ listener: Int32) {
        while listeners.contains(listener) {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    server.logger.warning("cannot accept: out of descriptors")
                    usleep(10_000)  // the listener stays readable: do not spin
                }
                return
            }
            if connections.count >= limits.maxConnections {
                refuse(fd, Problem(status: 503, detail: "too many connections", headers: ["Retry-After": "1"]))
                server.logger.warning("connection refused: cap reached", ["http.max_connections": String(limits.maxConnections)])
                continue
            }
            let peer = Socket.peerAddress(fd)
            guard peers[peer, default: 0] < limits.maxConnectionsPerPeer else {
                refuse(fd, Problem(status: 503, detail: "too many connections from your address", headers: ["Retry-After": "1"]))
                server.logger.warning("connection refused: per-peer cap reached",
                                      ["http.peer": peer, "http.max_connections_per_peer": String(limits.maxConnectionsPerPeer)])
                continue
            }
            Socket.setNonBlocking(fd)
            Socket.setNoDelay(fd)
            do {
                try poller.add(fd, writable: false)
            } catch {
                server.logger.warning("cannot watch a connection", ["error": "\(error)"])
                close(fd)
                continue
            }
            nextID += 1
            connections[nextID] = HTTPConnection(id: nextID, fd: fd, peer: peer, limits: limits, now: monotonicNanoseconds())
            idByFD[fd] = nextID
            peers[peer, default: 0] += 1
        }
    }

    /// Answers a connection that is not admitted (a fresh socket's buffer takes it) and closes it.
    private func refuse(_ fd: Int32, _ problem: Problem) {
        Socket.writeAll(fd, problem.response.serialized(keepAlive: false))
        close(fd)
    }

    // MARK: reading and parsing

    mutating func read(_ id: Int) {
        guard let fd = connections[id]?.fd else { return }
        for _ in 0..<4 {
            let n = readBuffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 {
                // The client will send nothing more. A request it already sent is still
                // answered (it may be reading); otherwise the connection is done.
                guard let connection = connections[id] else { return }
                var handling = false
                if case .handling = connection.phase { handling = true }
                if handling || (connection.isClosing && !connection.out.isEmpty) {
                    connections[id]?.inputClosed = true
                    connections[id]?.out.stopReading(fd, poller: poller)
                } else {
                    finish(id)
                }
                return
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK { finish(id) }
                return
            }
            connections[id]?.parser.append(readBuffer[0..<n])
            if case .body(var pending) = connections[id]?.phase {
                pending.lastByte = monotonicNanoseconds()
                connections[id]?.phase = .body(pending)
            }
            advance(id)
            if n < readBuffer.count || backlog.contains(id) { return }
        }
    }

    /// Parses as far as the buffered bytes go: a head, then its body, then runs the request.
    mutating func advance(_ id: Int) {
        var answered = 0
        while let phase = connections[id]?.phase {
            switch phase {
            case .handling, .closing:
                return
            case .idle, .head:
                let head: HTTPRequestHead?
                do {
                    head = try connections[id]!.parser.parseHead()
                } catch {
                    server.observer?("-", "-", error.status, 0)
                    fail(id, Problem(status: error.status, detail: error.detail))
                    return
                }
                guard let head else {
                    if case .idle = phase {
                        if connections[id]!.parser.bufferedCount > 0 {
                            connections[id]?.phase = .head(started: monotonicNanoseconds())
                        } else if connections[id]!.inputClosed {
                            // Nothing more can come from a client that closed its side.
                            connections[id]?.phase = .closing
                            dirty.insert(id)
                        }
                    }
                    return
                }
                start(id, head)
            case .body(var pending):
                let body: [UInt8]?
                do {
                    body = try connections[id]!.parser.parseBody(limit: pending.bodyLimit)
                } catch {
                    server.observer?(pending.request.method, Self.routeName(pending.match), error.status, 0)
                    fail(id, Problem(status: error.status, detail: error.detail))
                    return
                }
                guard let body else { return }
                pending.request.body = body
                dispatch(id, pending)
                // Answered at once: the next pipelined request, unless this connection had its share.
                if case .idle = connections[id]?.phase {
                    answered += 1
                    if answered >= Self.requestsPerTurn, connections[id]!.parser.bufferedCount > 0 {
                        backlog.insert(id)
                        return
                    }
                }
            }
        }
    }

    private mutating func start(_ id: Int, _ head: HTTPRequestHead) {
        guard let connection = connections[id] else { return }
        var request = HTTPRequest(method: head.method, target: head.target,
                                  headers: head.headers.map { ($0.name, $0.value) }, keepAlive: head.keepAlive)
        request.remoteAddress = connection.peer
        let match = server.router.match(method: head.method, path: request.path)
        var bodyLimit = limits.defaultMaxBody
        if case .found(let route, _) = match, let max = route.maxBody { bodyLimit = max }
        if head.expectsContinue, (head.contentLength ?? 1) > 0 {
            if let length = head.contentLength, length > bodyLimit {
                fail(id, Problem(status: 413, detail: "body larger than \(bodyLimit) bytes"))
                return
            }
            queue(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), to: id)
        }
        let now = monotonicNanoseconds()
        connections[id]?.phase = .body(.init(request: request, match: match, bodyLimit: bodyLimit, keepAlive: head.keepAlive,
                                             started: now, lastByte: now))
    }

    private mutating func dispatch(_ id: Int, _ pending: HTTPConnection.Pending) {
        var request = pending.request
        let inFlight = HTTPConnection.InFlight(method: request.method, route: Self.routeName(pending.match),
                                               keepAlive: pending.keepAlive, started: pending.started)
        connections[id]?.phase = .handling(inFlight)
        switch server.answer(&request, match: pending.match) {
        // The caller's loop goes on with pipelined requests: no recursion, however many a
        // client packs into one read.
        case .now(let response): send(response, to: id, resume: false)
        case .handler(quick: false, let handler): server.run(handler, for: id)
        case .handler(quick: true, let handler): runHere(handler, for: id)
        }
    }

    /// Starts a quick handler on this thread: it runs until it first suspends (at its
    /// database work), and the rest comes back through the executor. Its answer is sent at
    /// the end of this turn of the loop (or the turn that finishes it).
    private func runHere(_ handler: @escaping @Sendable () async -> HTTPResponse, for id: Int) {
        let server = self.server
        let executor = self.executor
        Task.immediate(executorPreference: executor) {
            let response = await handler()
            server.post(response, for: id, wake: !executor.isOnLoopThread)
        }
    }

    // MARK: answering

    /// Queues a request's answer, then (with `resume`) goes on with any pipelined request.
    mutating func send(_ response: HTTPResponse, to id: Int, resume: Bool = true) {
        guard case .handling(let inFlight) = connections[id]?.phase else { return }  // the client left
        var response = response
        if inFlight.method == "HEAD" { response.body = [] }
        let keepAlive = inFlight.keepAlive && !server.isStopping
        let seconds = Double(monotonicNanoseconds() - inFlight.started) / 1e9
        server.observer?(inFlight.method, inFlight.route, response.status, seconds)
        queue(Self.serialize(response, keepAlive: keepAlive), to: id)
        if keepAlive {
            connections[id]?.phase = .idle(since: monotonicNanoseconds())
            if resume { advance(id) }
        } else {
            connections[id]?.phase = .closing
        }
    }

    /// Answers with a problem and closes after it.
    private mutating func fail(_ id: Int, _ problem: Problem) {
        queue(Self.serialize(problem.response, keepAlive: false), to: id)
        connections[id]?.phase = .closing
    }

    private mutating func queue(_ bytes: [UInt8], to id: Int) {
        guard connections[id] != nil else { return }
        if connections[id]!.out.isEmpty { connections[id]!.lastWriteProgress = monotonicNanoseconds() }
        if connections[id]!.out.enqueue(bytes, droppable: false) == .overflow {
            server.logger.warning("client not reading its answers; closing", ["http.peer": connections[id]!.peer])
            connections[id]?.out.discard()
            connections[id]?.phase = .closing
        }
        dirty.insert(id)
    }

    static func serialize(_ response: HTTPResponse, keepAlive: Bool) -> [UInt8] {
        var response = response
        if !response.headers.contains(where: { $0.name.lowercased() == "content-type" }) && !response.body.isEmpty {
            response.headers.append(("Content-Type", "application/octet-stream"))
        }
        return response.serialized(keepAlive: keepAlive)
    }

    static func routeName(_ match: Router.Match) -> String {
        if case .found(let route, _) = match { return route.pattern }
        return "unmatched"
    }

    mutating func flushDirty() {
        while let id = dirty.popFirst() {
            guard let fd = connections[id]?.fd, let before = connections[id]?.out.queuedBytes,
                let result = connections[id]?.out.flush(to: fd, poller: poller)
            else { continue }
            if connections[id]!.out.queuedBytes < before { connections[id]!.lastWriteProgress = monotonicNanoseconds() }
            switch result {
            case .empty where connections[id]!.isClosing: finish(id)
            case .failed: finish(id)
            case .empty, .blocked: break
            }
        }
    }

    // MARK: time

    /// 408 for a head or body that does not arrive in time, silence for an idle connection
    /// past its timeout (shorter when more than half the connections are taken), and the end
    /// for a client that stops reading its answer.
    mutating func enforceTimeouts(_ now: UInt64) {
        let pressure = connections.count > limits.maxConnections / 2
        let idleLimit = (pressure ? limits.idleTimeoutUnderPressure : limits.idleTimeout).nanoseconds
        for (id, connection) in connections {
            if !connection.out.isEmpty && now - connection.lastWriteProgress > limits.bodyTimeout.nanoseconds {
                finish(id)
                continue
            }
            switch connection.phase {
            case .idle(let since):
                if now - since > idleLimit && connection.out.isEmpty { finish(id) }
            case .head(let started):
                if now - started > limits.headerTimeout.nanoseconds {
                    fail(id, Problem(status: 408, detail: "request head not received in time"))
                }
            case .body(let pending):
                if now - pending.lastByte > limits.bodyTimeout.nanoseconds || now - pending.started > limits.bodyDeadline.nanoseconds {
                    fail(id, Problem(status: 408, detail: "request body not received in time"))
                }
            case .handling, .closing:
                break
            }
        }
    }

    // MARK: stopping

    /// Stops accepting and closes idle connections; requests in flight finish (their answer
    /// says `Connection: close`) until the drain deadline.
    private mutating func beginStop() {
        stopDeadline = monotonicNanoseconds() + drainSeconds.nanoseconds
        closeListeners()
        for (id, connection) in connections where !connection.isBusy {
            if connection.out.isEmpty { finish(id) } else { connections[id]?.phase = .closing }
        }
    }

    private mutating func closeListeners() {
        for listener in listeners {
            poller.remove(listener)
            close(listener)
        }
        listeners = []
    }

    mutating func finish(_ id: Int) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        idByFD[connection.fd] = nil
        dirty.remove(id)
        backlog.remove(id)
        peers[connection.peer, default: 1] -= 1
        if peers[connection.peer] == 0 { peers[connection.peer] = nil }
        poller.remove(connection.fd)
        close(connection.fd)
    }
}
