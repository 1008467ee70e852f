import FoundationEssentials
import Glibc
import HotlineBus
import HotlineCore
import Synchronization

/// The bus process's I/O: one event-loop thread over epoll that accepts, reads every ready
/// socket in large chunks, hands each line to `RouterCore` (every decision is there), and
/// writes each connection's queue with vectored sends — no thread per connection, no lock on the
/// routing path.
public final class BusServer: Sendable {
    public struct Configuration: Sendable {
        public var socketPath: String
        public var maxLine: Int = BusNames.defaultMaxLine
        /// Outbound bytes queued per connection before pushes to it are dropped (it then
        /// catches up by fetching). Sized by bytes so a busy consumer rarely loses pushes.
        public var maxQueuedBytes: Int = 64 << 20
        /// Peers allowed to connect, by uid and gid (SO_PEERCRED); the bus's own uid always is.
        public var allowedUIDs: Set<UInt32> = []
        public var allowedGIDs: Set<UInt32> = []
        public var router = RouterCore.Configuration()

        public init(socketPath: String) { self.socketPath = socketPath }
    }

    public let configuration: Configuration
    private let logger: Logger
    private let droppedPushes = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let poller = Mutex<Poller?>(nil)

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Pushes dropped for slow consumers so far.
    public var droppedPushCount: Int { droppedPushes.load(ordering: .relaxed) }

    /// Catch-up fetches answered from the bus's recent lines, and those passed to producers.
    public var fetchCounts: (answeredHere: Int, forwarded: Int) {
        (fetchesAnsweredHere.load(ordering: .relaxed), fetchesForwarded.load(ordering: .relaxed))
    }
    fileprivate let fetchesAnsweredHere = Atomic<Int>(0)
    fileprivate let fetchesForwarded = Atomic<Int>(0)

    /// Binds the socket (mode 0660) and serves until `stop()`.
    public func run() async throws {
        let listener = try Socket.listenUnix(path: configuration.socketPath, mode: 0o660)
        let loopPoller: Poller
        do {
            loopPoller = try Poller()
            Socket.setNonBlocking(listener)
            try loopPoller.add(listener, writable: false)
        } catch {
            close(listener)
            throw error
        }
        poller.withLock { $0 = loopPoller }
        if stopping.load(ordering: .acquiring) { loopPoller.wake() }
        logger.info("bus listening", ["bus.socket": configuration.socketPath])
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                NamedThread.start("bus.loop") { [self] in
                    var loop = BusEventLoop(server: self, poller: loopPoller, listener: listener)
                    loop.run()
                    done.resume()
                }
            }
        } onCancel: {
            stop()
        }
        unlink(configuration.socketPath)
        logger.info("bus stopped")
    }

    /// Stops accepting and closes every connection.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        poller.withLock { $0?.wake() }
    }

    fileprivate var isStopping: Bool { stopping.load(ordering: .acquiring) }

    fileprivate func countDroppedPush() {
        let total = droppedPushes.add(1, ordering: .relaxed).newValue
        if total == 1 || total % 1000 == 0 {
            logger.warning("pushes dropped for a slow consumer", ["bus.dropped.total": String(total)])
        }
    }

    fileprivate func isAllowed(_ c: PeerCredentials) -> Bool {
        c.uid == getuid() || configuration.allowedUIDs.contains(c.uid) || configuration.allowedGIDs.contains(c.gid)
    }

    fileprivate var log: Logger { logger }
}

/// The loop's state, touched only by the loop thread.
private struct BusEventLoop {
    struct Connection {
        let id: Int
        let fd: Int32
        var lines: LineBuffer
        var out: OutboundQueue
        /// The router asked to end it: flush what is queued (an error line), then close.
        var closing = false
    }

    let server: BusServer
    let poller: Poller
    let listener: Int32
    var router: RouterCore
    var connections: [Int: Connection] = [:]
    var idByFD: [Int32: Int] = [:]
    var nextID = 0
    /// Connections with bytes queued or a close pending since the last flush.
    var dirty: Set<Int> = []
    var readBuffer = [UInt8](repeating: 0, count: 256 * 1024)

    init(server: BusServer, poller: Poller, listener: Int32) {
        self.server = server
        self.poller = poller
        self.listener = listener
        var routing = server.configuration.router
        routing.maxLine = server.configuration.maxLine
        router = RouterCore(configuration: routing)
    }

    mutating func run() {
        while !server.isStopping {
            let (ready, _) = poller.wait(timeoutMilliseconds: -1)
            for event in ready {
                if event.fd == listener {
                    acceptAll()
                    continue
                }
                guard let id = idByFD[event.fd] else { continue }
                if event.writable { dirty.insert(id) }
                if event.readable || event.hangup { read(id) }
            }
            flushDirty()
            // For `fetchCounts`: once a turn, not once a line.
            server.fetchesAnsweredHere.store(router.fetchesAnsweredHere, ordering: .relaxed)
            server.fetchesForwarded.store(router.fetchesForwarded, ordering: .relaxed)
        }
        for id in Array(connections.keys) { finish(id) }
        poller.remove(listener)
        close(listener)
    }

    // MARK: accepting

    mutating func acceptAll() {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    server.log.warning("bus cannot accept: out of descriptors")
                    usleep(10_000)  // the listener stays readable: do not spin
                }
                return  // EAGAIN: no more waiting
            }
            Socket.setNonBlocking(fd)
            guard let credentials = Socket.peerCredentials(fd), server.isAllowed(credentials) else {
                server.log.warning("bus peer refused", ["bus.peer.uid": String(Socket.peerCredentials(fd)?.uid ?? 0)])
                _ = Array("{\"op\":\"error\",\"code\":\"forbidden\",\"message\":\"peer not allowed\"}\n".utf8)
                    .withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(fd)
                continue
            }
            do {
                try poller.add(fd, writable: false)
            } catch {
                server.log.warning("bus cannot watch a connection", ["bus.error": "\(error)"])
                close(fd)
                continue
            }
            nextID += 1
            connections[nextID] = Connection(
                id: nextID, fd: fd, lines: LineBuffer(maxLineLength: server.configuration.maxLine),
                out: OutboundQueue(limit: server.configuration.maxQueuedBytes))
            idByFD[fd] = nextID
            router.connected(nextID, uid: credentials.uid)
        }
    }

    // MARK: reading

    /// Reads what is there (bounded per turn, so one busy producer cannot starve the rest)
    /// and routes every complete line.
    mutating func read(_ id: Int) {
        guard let fd = connections[id]?.fd else { return }
        for _ in 0..<4 {
            let n = readBuffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 {
                finish(id)
                return
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return }
                finish(id)
                return
            }
            readBuffer.withUnsafeBytes { connections[id]?.lines.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            guard routeLines(id) else { return }
            if n < readBuffer.count { return }
        }
    }

    /// - Returns: false when the connection is closing (stop reading it).
    mutating func routeLines(_ id: Int) -> Bool {
        while connections[id]?.closing == false, let next = connections[id]?.lines.next() {
            switch next {
            case .needMore:
                return true
            case .tooLong:
                server.log.warning("bus line too long; closing connection", ["bus.connection": String(id)])
                perform(router.lineTooLong(id, limit: server.configuration.maxLine))
                return false
            case .line(let line):
                if line.isEmpty { continue }
                perform(router.received(id, line: line))
            }
        }
        return false
    }

    // MARK: writing

    mutating func perform(_ outputs: [RouterCore.Output]) {
        for output in outputs {
            switch output {
            case .send(let target, let bytes, let droppable):
                guard connections[target] != nil, connections[target]?.closing == false else { continue }
                switch connections[target]!.out.enqueue(bytes, droppable: droppable) {
                case .queued: dirty.insert(target)
                case .dropped: server.countDroppedPush()
                case .overflow:
                    server.log.warning("consumer not reading; closing it", ["bus.connection": String(target)])
                    connections[target]?.out.discard()
                    connections[target]?.closing = true
                    dirty.insert(target)
                }
            case .refused(let target, let reason):
                server.log.warning("bus hello refused", ["bus.connection": String(target), "bus.reason": reason])
            case .close(let target):
                connections[target]?.closing = true
                dirty.insert(target)
            }
        }
    }

    mutating func flushDirty() {
        while let id = dirty.popFirst() {
            guard let fd = connections[id]?.fd, let result = connections[id]?.out.flush(to: fd, poller: poller) else { continue }
            switch result {
            case .empty where connections[id]!.closing: finish(id)
            case .blocked where connections[id]!.closing: finish(id)  // an error line the peer does not read: give up on it
            case .failed: finish(id)
            case .empty, .blocked: break
            }
        }
    }

    /// Closes a connection and tells the router, whose outputs may queue lines for others.
    mutating func finish(_ id: Int) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        idByFD[connection.fd] = nil
        dirty.remove(id)
        poller.remove(connection.fd)
        Socket.shutdown(connection.fd)
        close(connection.fd)
        perform(router.disconnected(id))
    }
}
