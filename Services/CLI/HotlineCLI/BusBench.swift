import BusService
import Foundation
import Glibc
import HotlineBus
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams
import Synchronization

/// `hotline bench bus`: the bus against Redis, and a real follower behind it.
///
/// 1. Transport, side by side with Redis in the same run: a producer pipelines `publish`
///    lines of 100 pre-encoded events (as Redis gets pipelined PUBLISH of the same bytes) and
///    one subscriber counts what arrives — the router's cost, nothing else.
/// 2. The same events through `BusClient` (the producer encodes, the consumer decodes) into a
///    real `StreamFollower` that verifies the chain and applies each batch to SQLite in one
///    transaction: what a consumer service can take.
enum BusBench {
    static let batch = 100

    static func run(events n: Int, config: String) async throws {
        let dir = try ScratchSpace.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let events = try EventChain.build(stream: "intake", (1...n).map { i in
            .init(type: "ticket.received", ticket: "T\(i)", at: "2026-11-23T01:00:00.000Z",
                  data: .object(["category": .string("city.sanitation"), "content": .string("路灯不亮，已经三天了")]))
        })
        let encoded = try events.map { try $0.canonicalJSON() }
        let average = encoded.reduce(0) { $0 + $1.count } / n

        // What one consumer thread spends per event before applying anything: parsing the
        // pushed lines into events (the same lines the transport run carries).
        let pushedLines = stride(from: 0, to: n, by: batch).map { start -> [UInt8] in
            let slice = encoded[start..<min(start + batch, n)]
            return Array("{\"op\":\"event\",\"stream\":\"intake\",\"head\":\(start + slice.count),\"events\":[".utf8)
                + Array(slice.joined(separator: [UInt8(ascii: ",")])) + Array("]}".utf8)
        }
        let decodeStarted = DispatchTime.now().uptimeNanoseconds
        var decoded = 0
        for line in pushedLines { decoded += try BusFrame.decode(line: line).events?.count ?? 0 }
        let decodeSeconds = Double(DispatchTime.now().uptimeNanoseconds - decodeStarted) / 1e9
        print(String(format: "decoding pushed lines into events on one thread: %.0f events/s (%.1f µs each)",
                     Double(decoded) / decodeSeconds, decodeSeconds / Double(max(decoded, 1)) * 1e6))
        let verifyStarted = DispatchTime.now().uptimeNanoseconds
        var verified = 0
        for e in events where try e.computedHash() == e.hash { verified += 1 }
        let verifySeconds = Double(DispatchTime.now().uptimeNanoseconds - verifyStarted) / 1e9
        print(String(format: "checking each event's chain hash on one thread: %.0f events/s (%.1f µs each; %d of %d match)",
                     Double(n) / verifySeconds, verifySeconds / Double(n) * 1e6, verified, n))

        let transport = try await transportRun(encoded: encoded, directory: dir)
        print(String(format: "bus transport: %d events in publish lines of %d → one subscriber: %.0f events/s (%.0f MB/s, %d pushes dropped)",
                     n, batch, transport.rate, transport.rate * Double(average) / 1e6, transport.dropped))
        if let redis = RedisBaseline.find() {
            let rate = try redis.run(count: n, payload: encoded[0], directory: dir)
            print(String(format: "redis: %d PUBLISH of %d-byte messages, pipelined by %d → one subscriber over a Unix socket: %.0f messages/s",
                         n, encoded[0].count, batch, rate))
            print(String(format: "bus / redis = %.2f", transport.rate / rate))
        } else {
            print("redis: redis-server is not installed (apt-get install redis-server), so there is no baseline in this run")
        }

        let follower = try await followerRun(events: events, directory: dir, config: config)
        print(String(format: "bus → follower on SQLite: %d events published by BusClient, applied by a StreamFollower in %.2f s = %.0f events/s "
                            + "(%d transactions, %.0f events each; %d pushes dropped; catch-up fetches: %d answered by the bus, %d by the producer, which sent %d events)",
                     n, follower.seconds, Double(n) / follower.seconds, follower.transactions,
                     Double(n) / Double(max(follower.transactions, 1)), follower.dropped, follower.fetches.answeredHere,
                     follower.fetches.forwarded, follower.fetched))

        // A consumer that was away for the last 10,000 events (the bus keeps about that much
        // of each stream): caught up by the producer re-reading and re-encoding, then by the bus.
        let away = Array(events.prefix(10_000))
        for (label, bytes) in [("the producer answers every fetch", 0), ("the bus answers from its recent lines", RouterCore.Configuration().recentBytesPerStream)] {
            let r = try await followerRun(events: away, directory: dir, config: config, catchUp: true, recentBytes: bytes)
            print(String(format: "catch-up of %d events by a follower that was away, %@: %.0f events/s "
                                + "(fetches answered by the bus %d, by the producer %d; the producer spent %.1f ms encoding answers)",
                         away.count, label, Double(away.count) / r.seconds, r.fetches.answeredHere, r.fetches.forwarded,
                         r.producerSeconds * 1000))
        }
    }

    // MARK: transport

    private static func transportRun(encoded: [[UInt8]], directory: String) async throws -> (rate: Double, dropped: Int) {
        let socket = directory + "/transport.sock"
        let server = BusServer(configuration: .init(socketPath: socket), logger: Logger(service: "bench", level: .error))
        let serverTask = Task { try await server.run() }
        defer { server.stop() }
        while !FileManager.default.fileExists(atPath: socket) { try await Task.sleep(nanoseconds: 10_000_000) }

        // Each publish line as BusClient writes it; the bus turns each into one `event` line.
        var lines: [[UInt8]] = []
        for start in stride(from: 0, to: encoded.count, by: batch) {
            let slice = encoded[start..<min(start + batch, encoded.count)]
            var line = Array("{\"op\":\"publish\",\"stream\":\"intake\",\"head\":\(start + slice.count),\"events\":[".utf8)
            for (k, e) in slice.enumerated() {
                if k > 0 { line.append(UInt8(ascii: ",")) }
                line += e
            }
            line += Array("]}\n".utf8)
            lines.append(line)
        }
        let subscriber = try RawBusPeer(socket: socket, hello: #"{"op":"hello","service":"kpi","follows":["intake"]}"#)
        let producer = try RawBusPeer(socket: socket, hello: #"{"op":"hello","service":"intake","follows":[],"head":0}"#)
        defer {
            close(subscriber.fd)
            close(producer.fd)
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let sender = Thread { [lines] in
            for line in lines where !Socket.writeAll(producer.fd, line) { return }
        }
        sender.start()
        // Count event lines; stop early if the bus dropped some (nothing more will come).
        let received = subscriber.countLines(lines.count, idle: 2)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let delivered = min(received, lines.count) * batch
        server.stop()
        _ = try? await serverTask.value
        return (Double(min(delivered, encoded.count)) / seconds, server.droppedPushCount)
    }

    // MARK: follower

    /// - Parameters:
    ///   - catchUp: publish everything first, then start the follower (a consumer that was
    ///     away): it catches up by fetching alone.
    ///   - recentBytes: what the bus keeps of each stream's latest lines (0: every fetch goes
    ///     to the producer).
    private static func followerRun(events: [Event], directory: String, config: String, catchUp: Bool = false,
                                    recentBytes: Int = RouterCore.Configuration().recentBytesPerStream) async throws -> (
        seconds: Double, transactions: Int, dropped: Int, fetched: Int, fetches: (answeredHere: Int, forwarded: Int),
        producerSeconds: Double
    ) {
        let n = events.count
        let run = String(UUID().uuidString.prefix(6))
        let socket = directory + "/f-\(run).sock"
        let logger = Logger(service: "bench", level: .error)
        var busConfiguration = BusServer.Configuration(socketPath: socket)
        busConfiguration.router.recentBytesPerStream = recentBytes
        let server = BusServer(configuration: busConfiguration, logger: logger)
        let serverTask = Task { try await server.run() }
        while !FileManager.default.fileExists(atPath: socket) { try await Task.sleep(nanoseconds: 10_000_000) }

        let counter = AppliedCounter()
        let county = try CountyConfig.load(directory: config)
        let env = ["HOTLINE_KPI_PORT": "0", "HOTLINE_RUN_DIR": directory + "/f-" + run, "HOTLINE_BUS_SOCKET": socket,
                   "HOTLINE_DATABASE_URL": "sqlite:" + directory + "/f-\(run)-data", "HOTLINE_DEMO": "1"]
        let startFollower = {
            try await RunningService.start(
                BenchFollower(counter: counter), settings: try ServiceSettings.fromEnvironment(service: "kpi", EnvironmentReader(env)),
                county: county, calendar: try WorkingCalendar(county.calendar), clock: SystemClock(), logger: logger)
        }
        var service = catchUp ? nil : try await startFollower()

        let producer = BusClient(socketPath: socket, service: "intake", follows: [], logger: logger)
        let producerTask = Task { await producer.run() }
        let fetched = Atomic<Int>(0)
        let answeringNanoseconds = Atomic<Int>(0)
        // The producer answers catch-up fetches from memory, as a service does from its store.
        let answering = Task {
            for await note in producer.notifications {
                if case .fetchRequest(let id, let after, let limit) = note {
                    let began = DispatchTime.now().uptimeNanoseconds
                    defer { answeringNanoseconds.add(Int(DispatchTime.now().uptimeNanoseconds - began), ordering: .relaxed) }
                    let from = min(Int(after), n)
                    let slice = Array(events[from..<min(from + limit, n)])
                    fetched.add(slice.count, ordering: .relaxed)
                    producer.replyEvents(id: id, events: slice, head: Int64(n))
                }
            }
        }
        while !producer.isConnected { try await Task.sleep(nanoseconds: 10_000_000) }
        try await Task.sleep(nanoseconds: 200_000_000)  // the follower's hello and first fetch

        var started = DispatchTime.now().uptimeNanoseconds
        for start in stride(from: 0, to: n, by: batch) { producer.publish(Array(events[start..<min(start + batch, n)])) }
        if service == nil {
            try await Task.sleep(nanoseconds: 300_000_000)  // the lines reach the bus
            started = DispatchTime.now().uptimeNanoseconds
            service = try await startFollower()
        }
        guard let service else { return (0, 0, 0, 0, (0, 0), 0) }
        let commitsBefore = service.context.database.commitStats.commits
        while counter.applied < n { try await Task.sleep(nanoseconds: 2_000_000) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let transactions = service.context.database.commitStats.commits - commitsBefore

        answering.cancel()
        producer.stop()
        producerTask.cancel()
        service.requestStop()
        await service.waitUntilStopped()
        server.stop()
        _ = try? await serverTask.value
        return (seconds, transactions, server.droppedPushCount, fetched.load(ordering: .relaxed), server.fetchCounts,
                Double(answeringNanoseconds.load(ordering: .relaxed)) / 1e9)
    }
}

/// Counts the events the bench follower applied.
private final class AppliedCounter: Sendable {
    private let count = Atomic<Int>(0)
    var applied: Int { count.load(ordering: .acquiring) }
    func add() { count.add(1, ordering: .releasing) }
}

/// A consumer of intake's stream that stores one row per event (a primary key, so a second
/// application would fail): the smallest real projection.
private struct BenchFollower: ServiceLogic {
    let counter: AppliedCounter
    let name = "kpi"
    let follows = ["intake"]
    var migrations: [Migration] {
        [Migration(100, "bench_applied", "CREATE TABLE bench_applied (seq BIGINT PRIMARY KEY, ticket TEXT NOT NULL)")]
    }
    func routes(_ context: ServiceContext) -> [Route] { [] }
    func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        try tx.execute("INSERT INTO bench_applied (seq, ticket) VALUES (?, ?)", [.integer(event.seq), .text(event.ticket ?? "")])
        counter.add()
    }
}

/// A bare bus connection for the transport run: says hello, then reads or writes raw lines.
private struct RawBusPeer {
    let fd: Int32

    init(socket: String, hello: String) throws {
        fd = try Socket.connectUnix(path: socket)
        guard Socket.writeAll(fd, Array((hello + "\n").utf8)) else { throw ConfigurationError("bus hello failed") }
        // The welcome line, byte by byte, so nothing after it is consumed here.
        var byte: UInt8 = 0
        var line: [UInt8] = []
        while recv(fd, &byte, 1, 0) == 1, byte != 0x0a { line.append(byte) }
        guard String(decoding: line, as: UTF8.self).contains("\"welcome\"") else {
            throw ConfigurationError("bus refused the bench: \(String(decoding: line, as: UTF8.self))")
        }
    }

    /// Reads until `expected` lines arrived or nothing came for `idle` seconds.
    func countLines(_ expected: Int, idle: TimeInterval) -> Int {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var lines = 0
        while lines < expected {
            guard Socket.waitReadable(fd, timeout: idle) else { break }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            lines += buffer.withUnsafeBytes { raw in
                var count = 0
                var p = raw.baseAddress!
                var left = n
                while left > 0, let hit = memchr(p, 0x0a, left) {
                    count += 1
                    left -= p.distance(to: UnsafeRawPointer(hit)) + 1
                    p = UnsafeRawPointer(hit) + 1
                }
                return count
            }
        }
        return lines
    }
}
