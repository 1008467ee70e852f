import Foundation
import HotlineBus
import HotlineCore
import Synchronization

/// The bus process's I/O: a Unix socket listener, a reader thread and a `LineWriter` per
/// connection, and `RouterCore` for every decision.
public final class BusServer: Sendable {
    public struct Configuration: Sendable {
        public var socketPath: String
        public var maxLine: Int = BusNames.defaultMaxLine
        /// Outbound bytes queued per connection before pushes are dropped.
        public var maxQueuedBytes: Int = 16 << 20
        /// Peers allowed to connect, by uid and gid (SO_PEERCRED); the bus's own uid always is.
        public var allowedUIDs: Set<UInt32> = []
        public var allowedGIDs: Set<UInt32> = []
        public var router = RouterCore.Configuration()

        public init(socketPath: String) { self.socketPath = socketPath }
    }

    private struct State {
        var router: RouterCore
        var writers: [Int: LineWriter] = [:]
        var fds: [Int: Int32] = [:]
        var nextID = 0
        var listener: Int32 = -1
        var stopping = false
    }

    public let configuration: Configuration
    private let logger: Logger
    private let state: Mutex<State>
    private let droppedPushes = Atomic<Int>(0)
    private let stopped = DispatchSemaphore(value: 0)

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        state = Mutex(State(router: RouterCore(configuration: configuration.router)))
    }

    /// Pushes dropped for slow consumers so far.
    public var droppedPushCount: Int { droppedPushes.load(ordering: .relaxed) }

    /// Binds the socket (mode 0660) and accepts until `stop()`.
    public func run() async throws {
        let listener = try Socket.listenUnix(path: configuration.socketPath, mode: 0o660)
        state.withLock { $0.listener = listener }
        logger.info("bus listening", ["bus.socket": configuration.socketPath])
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    acceptLoop(listener)
                    done.resume()
                }
                thread.name = "bus.accept"
                thread.start()
            }
        } onCancel: {
            stop()
        }
        unlink(configuration.socketPath)
        logger.info("bus stopped")
    }

    /// Stops accepting and closes every connection.
    public func stop() {
        // Under the lock: owners deregister descriptors under it before closing them.
        state.withLock { s in
            s.stopping = true
            if s.listener >= 0 { Socket.shutdown(s.listener) }
            for fd in s.fds.values { Socket.shutdown(fd) }
        }
    }

    private func acceptLoop(_ listener: Int32) {
        while let fd = Socket.accept(listener) {
            if state.withLock({ $0.stopping }) {
                close(fd)
                break
            }
            guard let credentials = Socket.peerCredentials(fd), isAllowed(credentials) else {
                logger.warning("bus peer refused", ["bus.peer.uid": String(Socket.peerCredentials(fd)?.uid ?? 0)])
                Socket.writeAll(fd, Array("{\"op\":\"error\",\"code\":\"forbidden\",\"message\":\"peer not allowed\"}\n".utf8))
                close(fd)
                continue
            }
            let writer = LineWriter(fd: fd, name: "bus.writer", maxQueuedBytes: configuration.maxQueuedBytes)
            let id = state.withLock { s -> Int in
                s.nextID += 1
                s.router.connected(s.nextID, uid: credentials.uid)
                s.writers[s.nextID] = writer
                s.fds[s.nextID] = fd
                return s.nextID
            }
            let thread = Thread { [self] in readLoop(id, fd) }
            thread.name = "bus.reader"
            thread.start()
        }
        state.withLock { s in
            s.listener = -1
            close(listener)
        }
    }

    /// Ends a connection if it is still open (checked under the lock, so the descriptor
    /// cannot have been closed and reused meanwhile).
    private func shutdownConnection(_ id: Int) {
        state.withLock { s in
            if let fd = s.fds[id] { Socket.shutdown(fd) }
        }
    }

    private func isAllowed(_ c: PeerCredentials) -> Bool {
        c.uid == getuid() || configuration.allowedUIDs.contains(c.uid) || configuration.allowedGIDs.contains(c.gid)
    }

    private func readLoop(_ id: Int, _ fd: Int32) {
        var lines = LineBuffer(maxLineLength: configuration.maxLine)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        reading: while true {
            let n = buffer.withUnsafeMutableBytes { Socket.read(fd, into: $0.baseAddress!, count: $0.count) }
            if n <= 0 { break }
            buffer.withUnsafeBytes { lines.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            while true {
                switch lines.next() {
                case .needMore: continue reading
                case .tooLong:
                    logger.warning("bus line too long; closing connection", ["bus.connection": String(id)])
                    perform(state.withLock { $0.router.lineTooLong(id, limit: configuration.maxLine) })
                    break reading
                case .line(let line):
                    if line.isEmpty { continue }
                    let outputs = state.withLock { $0.router.received(id, line: line) }
                    perform(outputs)
                    if outputs.contains(.close(id)) { break reading }
                }
            }
        }
        let (outputs, writer) = state.withLock { s -> ([RouterCore.Output], LineWriter?) in
            (s.router.disconnected(id), s.writers.removeValue(forKey: id))
        }
        perform(outputs)
        // Let queued error lines go out before the socket closes.
        Thread.sleep(forTimeInterval: 0.05)
        state.withLock { s in
            s.fds[id] = nil
            Socket.shutdown(fd)
        }
        writer?.close()  // its thread closes the descriptor
    }

    private func perform(_ outputs: [RouterCore.Output]) {
        for output in outputs {
            switch output {
            case .send(let target, let bytes, let droppable):
                guard let writer = state.withLock({ $0.writers[target] }) else { continue }
                switch writer.enqueue(bytes, droppable: droppable) {
                case .dropped:
                    let total = droppedPushes.add(1, ordering: .relaxed).newValue
                    if total == 1 || total % 1000 == 0 {
                        logger.warning("pushes dropped for a slow consumer", ["bus.dropped.total": String(total)])
                    }
                case .overflow:
                    logger.warning("consumer not reading; closing it", ["bus.connection": String(target)])
                    shutdownConnection(target)
                case .queued, .closed: break
                }
            case .refused(let target, let reason):
                logger.warning("bus hello refused", ["bus.connection": String(target), "bus.reason": reason])
            case .close(let target):
                // Flush the error line first, then end the connection.
                Thread.sleep(forTimeInterval: 0.02)
                shutdownConnection(target)
            }
        }
    }
}
