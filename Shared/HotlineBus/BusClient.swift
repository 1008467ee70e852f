import FoundationEssentials
import Glibc
import HotlineCore
import HotlineStreams
import Synchronization

/// What the bus tells a service, in arrival order.
public enum BusNotification: Sendable {
    /// The connection is up (after `welcome`); `clock` is the bus's manual clock, if set.
    case connected(clock: Date?)
    /// Pushed events of a followed stream.
    /// `producerIdle`: the producer had no other write in flight when it published these.
    case events(stream: String, events: [Event], head: Int64, producerIdle: Bool)
    /// The manual clock moved.
    case clock(Date)
    /// A consumer asks this producer for events (answer with `replyEvents`).
    case fetchRequest(id: String, after: Int64, limit: Int)
    case disconnected
}

/// A failed bus request.
public struct BusError: Error, CustomStringConvertible, Sendable, TransientFailure {
    public let code: String
    public let message: String
    public var description: String { "bus \(code): \(message)" }
    /// The bus or a producer is away or slow (HTTP answers 503 with Retry-After); a refusal
    /// (forbidden, bad request, too long) is not.
    public var isTransient: Bool { ["unavailable", "timeout", "replaced"].contains(code) }
}

/// A service's connection to the bus: reconnects with back-off, sends `hello`, publishes its
/// stream, asks producers for events, and delivers what arrives as `notifications`.
public final class BusClient: Sendable {
    public let service: String
    public let follows: [String]
    public let notifications: AsyncStream<BusNotification>
    private let notify: AsyncStream<BusNotification>.Continuation
    private let socketPath: String
    private let logger: Logger
    private let maxLine: Int
    private let state = Mutex(State())
    /// Where pushed events go instead of `notifications`, if set (`deliverEvents(to:)`). A class
    /// holds the closure: read out of a `Mutex` on every push, a bare closure went through
    /// reabstraction thunks that piled up until they took nine tenths of a consumer's CPU.
    private let eventSink = Mutex<EventSinkBox?>(nil)

    /// Receives pushed events on the client's reading thread: stream, events, the producer's
    /// head, and whether the producer had no other write in flight.
    public typealias EventSink = @Sendable (_ stream: String, _ events: [Event], _ head: Int64, _ producerIdle: Bool) -> Void

    private final class EventSinkBox: Sendable {
        let deliver: EventSink
        init(_ deliver: @escaping EventSink) { self.deliver = deliver }
    }

    /// Hands pushed events to `sink` on the reading thread, not through `notifications`: one
    /// thread hand-off fewer per push (the sink must be quick — queue the events and return).
    /// Set it before `run()`.
    public func deliverEvents(to sink: @escaping EventSink) {
        let box = EventSinkBox(sink)
        eventSink.withLock { $0 = box }
    }

    private struct State {
        var fd: Int32 = -1
        var connected = false
        var stopping = false
        var head: Int64 = 0
        var clock: String?
        var nextID = 0
        var pending: [String: CheckedContinuation<BusFrame, any Error>] = [:]
        var writer: LineWriter?
    }

    public init(socketPath: String, service: String, follows: [String], logger: Logger,
                maxLine: Int = BusNames.defaultMaxLine) {
        self.socketPath = socketPath
        self.service = service
        self.follows = follows
        self.logger = logger
        self.maxLine = maxLine
        (notifications, notify) = AsyncStream.makeStream(of: BusNotification.self, bufferingPolicy: .unbounded)
    }

    public var isConnected: Bool { state.withLock { $0.connected } }

    /// Tells the bus (in the next `hello`) this producer's head, so it can answer `head`.
    public func setHead(_ head: Int64) { state.withLock { $0.head = max($0.head, head) } }

    /// Tells the bus (in the next `hello`) this process's manual clock, so a restarted bus
    /// resumes from it instead of losing the simulated time.
    public func setClockForHello(_ date: Date) { state.withLock { $0.clock = Timestamp.format(date) } }

    /// Connects and reads until cancelled, reconnecting with back-off.
    public func run() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                NamedThread.start("bus.client") { [self] in
                    self.connectionLoop()
                    done.resume()
                }
            }
        } onCancel: {
            stop()
        }
    }

    /// Stops the connection loop and fails pending requests.
    public func stop() {
        // Under the lock: the connection loop clears `fd` under it before closing.
        state.withLock { s in
            s.stopping = true
            if s.fd >= 0 { Socket.shutdown(s.fd) }
        }
    }

    /// Pushes newly committed events of this service's own stream. Dropped when disconnected:
    /// followers catch up by fetching. `producerIdle` marks the last line `"idle":true`: no
    /// other write of this service was in flight, so followers need not wait for more.
    public func publish(_ events: [Event], producerIdle: Bool = false) {
        guard let last = events.last else { return }
        setHead(last.seq)
        // Split by encoded size: a line must stay under the bus's limit whatever the events weigh.
        let encoded = encodeEach(events)
        // Each line says which seqs it carries (when they run consecutively, as one commit's
        // do), so the bus can answer catch-up fetches from its recent lines.
        let consecutive = encoded.count == events.count && zip(events, events.dropFirst()).allSatisfy { $1.seq == $0.seq + 1 }
        var offset = 0
        while offset < encoded.count {
            var prefix = "{\"op\":\"publish\",\"stream\":\(quote(service)),\"head\":\(last.seq)"
            if consecutive { prefix += ",\"first\":\(events[offset].seq)" }
            let start = offset
            let (line, used) = eventsLine(prefix: prefix + ",\"events\":[", encoded[offset...]) { used in
                let idle = producerIdle && start + used >= encoded.count ? ",\"idle\":true" : ""
                return consecutive ? "],\"last\":\(events[start + used - 1].seq)\(idle)}\n" : "]\(idle)}\n"
            }
            sendRaw(line)
            offset += max(used, 1)
        }
    }

    /// Answers a consumer's `fetch` with as many events as fit in one line; the consumer
    /// fetches again for the rest (it compares its cursor with `head`).
    public func replyEvents(id: String, events: [Event], head: Int64) {
        let encoded = encodeEach(events)
        let (line, _) = eventsLine(
            prefix: "{\"op\":\"events\",\"id\":\(quote(id)),\"stream\":\(quote(service)),\"head\":\(head),\"events\":[", encoded[...])
        sendRaw(line)
    }

    private func encodeEach(_ events: [Event]) -> [[UInt8]] {
        events.compactMap { try? $0.canonicalJSON() }
    }

    private func quote(_ s: String) -> String {
        CanonicalJSON.quoted(s)
    }

    /// Builds `prefix` + as many encoded events as fit under the line budget + `]}`.
    /// - Returns: the line and how many events it carries (at least one, even if oversized:
    ///   the bus then refuses it loudly rather than the stream stalling silently).
    private func eventsLine(prefix: String, _ encoded: ArraySlice<[UInt8]>,
                            suffix: (Int) -> String = { _ in "]}\n" }) -> ([UInt8], Int) {
        let budget = maxLine - 64
        var line = Array(prefix.utf8)
        var used = 0
        for e in encoded {
            if used > 0 && line.count + e.count + 4 > budget { break }
            if used > 0 { line.append(UInt8(ascii: ",")) }
            line += e
            used += 1
        }
        line += Array(suffix(used).utf8)
        return (line, used)
    }

    private func sendRaw(_ line: [UInt8]) {
        let writer = state.withLock { $0.connected ? $0.writer : nil }
        writer?.enqueue(line)
    }

    /// Sends a manual clock value (admin clients only) without waiting for anyone to take it.
    public func sendClock(_ date: Date) { send(BusFrame(op: "clock", at: Timestamp.format(date))) }

    /// Moves the manual clock (admin clients only) and returns once every service connected
    /// to the bus on the manual clock has applied it, with their names.
    public func moveClock(to date: Date, timeout: TimeInterval = 30) async throws -> (at: Date, services: [String]) {
        let reply = try await request(BusFrame(op: "clock", at: Timestamp.format(date)), timeout: timeout)
        return (reply.at.flatMap(Timestamp.parse) ?? date, reply.services ?? [])
    }

    /// Tells the bus which manual clock this service now runs on (`nil`: it follows the
    /// system clock), so a clock move can be acknowledged once everyone has taken it.
    public func clockApplied(_ date: Date?) {
        if let date {
            send(BusFrame(op: "clock-applied", at: Timestamp.format(date)))
        } else {
            send(BusFrame(op: "clock-applied", code: "system"))
        }
    }

    /// Asks the producer of `stream` for events after `after`.
    public func fetch(stream: String, after: Int64, limit: Int, timeout: TimeInterval = 10) async throws -> (
        events: [Event], head: Int64
    ) {
        let reply = try await request(BusFrame(op: "fetch", stream: stream, after: after, limit: limit), timeout: timeout)
        return (reply.events ?? [], reply.head ?? after)
    }

    /// Asks the bus for the head it knows of `stream`.
    public func head(stream: String, timeout: TimeInterval = 5) async throws -> Int64 {
        let reply = try await request(BusFrame(op: "head", stream: stream), timeout: timeout)
        return reply.seq ?? 0
    }

    /// Round trip to the bus.
    public func ping(timeout: TimeInterval = 5) async throws {
        _ = try await request(BusFrame(op: "ping"), timeout: timeout)
    }

    private func request(_ frame: BusFrame, timeout: TimeInterval) async throws -> BusFrame {
        var frame = frame
        let id = state.withLock { s -> String? in
            guard s.connected else { return nil }
            s.nextID += 1
            return "\(service)-\(s.nextID)"
        }
        guard let id else { throw BusError(code: "unavailable", message: "not connected to the bus") }
        frame.id = id
        let op = frame.op
        let outgoing = frame
        let timer = Task { [self] in
            try? await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
            fail(id, BusError(code: "timeout", message: "no answer to \(op) within \(timeout)s"))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            state.withLock { $0.pending[id] = continuation }
            send(outgoing)
        }
    }

    private func fail(_ id: String, _ error: any Error) {
        let c = state.withLock { $0.pending.removeValue(forKey: id) }
        c?.resume(throwing: error)
    }

    private func send(_ frame: BusFrame) {
        guard var bytes = try? JSONCoding.bytes(frame) else { return }
        bytes.append(0x0a)
        let writer = state.withLock { $0.connected || frame.op == "hello" ? $0.writer : nil }
        writer?.enqueue(Array(bytes))
    }

    private func connectionLoop() {
        var backoff = 0.05
        while !state.withLock({ $0.stopping }) {
            let fd: Int32
            do {
                fd = try Socket.connectUnix(path: socketPath)
            } catch {
                logger.debug("bus connect failed", ["bus.error": "\(error)"])
                usleep(UInt32(backoff * Double.random(in: 0.8...1.2) * 1_000_000))
                backoff = min(backoff * 2, 2)
                continue
            }
            let writer = LineWriter(fd: fd, name: "bus.writer")
            let proceed = state.withLock { s -> Bool in
                guard !s.stopping else { return false }
                s.fd = fd
                s.writer = writer
                return true
            }
            guard proceed else {
                writer.close()  // its thread closes the descriptor
                break
            }
            let (head, clock) = state.withLock { ($0.head, $0.clock) }
            send(BusFrame(op: "hello", service: service, follows: follows, head: head, at: clock))
            if readLoop(fd) { backoff = 0.05 }
            let pending = state.withLock { s -> [CheckedContinuation<BusFrame, any Error>] in
                s.connected = false
                s.fd = -1
                s.writer = nil
                Socket.shutdown(fd)
                let p = Array(s.pending.values)
                s.pending.removeAll()
                return p
            }
            writer.close()  // its thread closes the descriptor
            for c in pending { c.resume(throwing: BusError(code: "unavailable", message: "bus connection lost")) }
            notify.yield(.disconnected)
            if !state.withLock({ $0.stopping }) {
                logger.warning("bus connection lost; reconnecting", ["bus.service": service])
                usleep(UInt32(backoff * Double.random(in: 0.8...1.2) * 1_000_000))
                backoff = min(backoff * 2, 2)
            }
        }
        notify.finish()
    }

    /// Reads frames until the connection ends. - Returns: whether a `welcome` arrived.
    private func readLoop(_ fd: Int32) -> Bool {
        var lines = LineBuffer(maxLineLength: maxLine)
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var welcomed = false
        while true {
            let n = buffer.withUnsafeMutableBytes { Socket.read(fd, into: $0.baseAddress!, count: $0.count) }
            if n <= 0 { return welcomed }
            buffer.withUnsafeBytes { lines.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            while true {
                // Each line is decoded where it lies in the buffer, not copied out first.
                var decoded: (frame: BusFrame?, bytes: Int) = (nil, 0)
                let scan = lines.nextLine { line in decoded = ((try? BusFrame.decode(line: line)), line.count) }
                guard scan == .line else {
                    if scan == .tooLong {
                        logger.error("bus line over the limit; reconnecting", ["bus.limit": String(maxLine)])
                        return welcomed
                    }
                    break
                }
                guard let frame = decoded.frame else {
                    logger.warning("undecodable bus line ignored", ["bus.bytes": String(decoded.bytes)])
                    continue
                }
                if frame.op == "welcome" { welcomed = true }
                handle(frame)
            }
        }
    }

    private func handle(_ frame: BusFrame) {
        switch frame.op {
        case "welcome":
            state.withLock { $0.connected = true }
            logger.info("bus connected", ["bus.service": service])
            notify.yield(.connected(clock: frame.at.flatMap(Timestamp.parse)))
        case "event":
            if let stream = frame.stream, let events = frame.events {
                let head = frame.head ?? events.last?.seq ?? 0
                if let sink = eventSink.withLock({ $0 }) {
                    sink.deliver(stream, events, head, frame.idle == true)
                } else {
                    notify.yield(.events(stream: stream, events: events, head: head, producerIdle: frame.idle == true))
                }
            }
        case "clock":
            if let at = frame.at.flatMap(Timestamp.parse) { notify.yield(.clock(at)) }
        case "fetch":
            if let id = frame.id, let after = frame.after {
                notify.yield(.fetchRequest(id: id, after: after, limit: min(max(frame.limit ?? 500, 0), 5000)))
            }
        case "events", "head", "pong", "clock-applied":
            if let id = frame.id, let c = state.withLock({ $0.pending.removeValue(forKey: id) }) { c.resume(returning: frame) }
        case "error":
            let error = BusError(code: frame.code ?? "error", message: frame.message ?? "")
            if let id = frame.id {
                fail(id, error)
            } else {
                logger.error("bus error", ["bus.code": error.code, "bus.message": error.message])
            }
        case "ping":
            send(BusFrame(op: "pong", id: frame.id))
        default:
            logger.debug("unknown bus op ignored", ["bus.op": frame.op])
        }
    }
}
