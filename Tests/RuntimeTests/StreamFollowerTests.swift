import BusService
import Foundation
import HotlineBus
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams
import TestSupport
import Synchronization
import Testing

/// A consumer that records what it applied; a `poison` event always fails.
struct RecordingService: ServiceLogic {
    let name = "kpi"
    let follows = ["intake"]
    var migrations: [Migration] {
        // The primary key makes a second application of the same event fail loudly.
        [Migration(100, "seen", "CREATE TABLE seen (seq BIGINT PRIMARY KEY, type TEXT NOT NULL)")]
    }
    func routes(_ context: ServiceContext) -> [Route] { [] }
    func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        struct Poison: Error {}
        if event.type == "poison" { throw Poison() }
        try tx.execute("INSERT INTO seen (seq, type) VALUES (?, ?)", [.integer(event.seq), .text(event.type)])
    }
}

/// A bus server and the recording consumer started in this process on a private socket and
/// database, for tests of the follower against a real bus.
struct RecordingConsumerSetup {
    let directory: URL
    let socket: String
    let server: BusServer
    let serverTask: Task<Void, any Error>
    let service: RunningService
    let postgresDatabase: String?

    static func start(_ engine: TestEngine) async throws -> RecordingConsumerSetup {
        let dir = try TemporaryDirectory.make()
        let socket = dir.path + "/bus.sock"
        let server = BusServer(configuration: .init(socketPath: socket), logger: quietLogger("bus"))
        let serverTask = Task { try await server.run() }
        try await waitUntil { FileManager.default.fileExists(atPath: socket) }
        var env = ["HOTLINE_KPI_PORT": "0", "HOTLINE_RUN_DIR": dir.path, "HOTLINE_BUS_SOCKET": socket]
        var pgName: String?
        switch engine {
        // The run directory holds the database too: removed with it at the end.
        case .sqlite: env["HOTLINE_DATABASE_URL"] = "sqlite:" + dir.path
        case .postgres:
            // The service's schema name is fixed, so give the test a database of its own.
            let (pgURL, name) = try await onThread { try makePostgresDatabase(prefix: "hl_rt_") }
            env["HOTLINE_DATABASE_URL"] = pgURL
            pgName = name
        }
        let county = try CountyConfig.load(directory: SampleCounty.directory)
        let service = try await RunningService.start(
            RecordingService(), settings: try ServiceSettings.fromEnvironment(service: "kpi", EnvironmentReader(env)), county: county,
            calendar: try WorkingCalendar(county.calendar), clock: SystemClock(), logger: quietLogger("kpi"))
        return RecordingConsumerSetup(directory: dir, socket: socket, server: server, serverTask: serverTask, service: service,
                                      postgresDatabase: pgName)
    }

    func stop() async {
        service.requestStop()
        await service.waitUntilStopped()
        server.stop()
        _ = try? await serverTask.value
        if let name = postgresDatabase { dropPostgresDatabase(name) }
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite struct StreamFollowerTests {
    /// Ten chained events of intake's stream; number 7 always fails to apply.
    private func events() throws -> [Event] {
        try EventChain.build(stream: "intake", (1...10).map {
            .init(type: $0 == 7 ? "poison" : "ticket.received", ticket: "T\($0)", at: "2026-11-23T01:00:00.000Z", data: .object([:]))
        })
    }

    @Test(arguments: TestEngine.available)
    func appliesInOrderExactlyOnceFetchesGapsAndDeadLettersPoison(engine: TestEngine) async throws {
        let setup = try await RecordingConsumerSetup.start(engine)
        let (socket, service) = (setup.socket, setup.service)
        let all = try events()
        let producer = BusClient(socketPath: socket, service: "intake", follows: [], logger: quietLogger())
        let p = Task { await producer.run() }
        let answering = Task {
            for await note in producer.notifications {
                if case .fetchRequest(let id, let after, let limit) = note {
                    producer.replyEvents(id: id, events: Array(all.filter { $0.seq > after }.prefix(limit)), head: 10)
                }
            }
        }
        try await waitUntil { producer.isConnected && service.bus.isConnected }

        producer.publish([all[0], all[1]])  // 1, 2 pushed in order
        producer.publish([all[4]])  // 5 pushed: a gap, so 3 and 4 are fetched
        // 6…10 are never pushed: the follower's poll finds them. 7 keeps failing.
        let db = service.context.database
        try await waitUntil(timeout: 30) {
            (try? await db.read { tx in try ConsumerState.cursor(tx, stream: "intake") }) == 10
        }
        let seen = try await db.read { tx in try tx.query("SELECT seq FROM seen ORDER BY seq").compactMap { $0.int("seq") } }
        #expect(seen == [1, 2, 3, 4, 5, 6, 8, 9, 10])
        let letters = try await db.read { tx in try ConsumerState.openDeadLetters(tx) }
        #expect(letters.map(\.seq) == [7])
        #expect(letters.first?.attempts == 5)

        // Visible to operators: readiness detail and the admin list.
        let ready = try await HTTPClient(port: service.port).request("GET", "/readyz")
        #expect(ready.text.contains("\"dead_letters\":1"))
        let listed = try await HTTPClient(port: service.port).request(
            "GET", "/v1/admin/dead-letters", headers: [("Authorization", "Bearer demo-admin-token")])
        #expect(listed.status == 200 && listed.text.contains("poison"))
        let redrive = try await HTTPClient(port: service.port).request(
            "POST", "/v1/admin/dead-letters/intake/7/redrive", headers: [("Authorization", "Bearer demo-admin-token")])
        #expect(redrive.status == 200 && redrive.text.contains("\"redriven\":false"))
        let metrics = try await HTTPClient(port: service.port).request("GET", "/metrics")
        #expect(metrics.text.contains("hotline_dead_letters_total{stream=\"intake\"} 1"))

        answering.cancel()
        p.cancel()
        producer.stop()
        await setup.stop()
    }

    /// A commit whose answer was lost (PostgreSQL went down during COMMIT) may have landed:
    /// the stored cursor is then ahead of the follower's. That is not a chain break (before,
    /// the follower compared the next event with the hash of the one it had just applied,
    /// called it forged and waited forever): it re-reads the cursor and goes on.
    @Test(arguments: TestEngine.available)
    func aCommitThatLandedUnseenIsNotAChainBreak(engine: TestEngine) async throws {
        let setup = try await RecordingConsumerSetup.start(engine)
        let (socket, service) = (setup.socket, setup.service)
        let all = try EventChain.build(stream: "intake", (1...4).map {
            .init(type: "ticket.received", ticket: "T\($0)", at: "2026-11-23T01:00:00.000Z", data: .object([:]))
        })
        let producer = BusClient(socketPath: socket, service: "intake", follows: [], logger: quietLogger())
        let p = Task { await producer.run() }
        let published = Mutex<Int64>(0)  // the producer's head: fetches see only what it published
        let answering = Task {
            for await note in producer.notifications {
                if case .fetchRequest(let id, let after, let limit) = note {
                    let head = published.withLock { $0 }
                    producer.replyEvents(id: id, events: Array(all.filter { $0.seq > after && $0.seq <= head }.prefix(limit)), head: head)
                }
            }
        }
        try await waitUntil { producer.isConnected && service.bus.isConnected }
        published.withLock { $0 = 2 }
        producer.publish([all[0], all[1]])
        let db = service.context.database
        let cursor = { @Sendable in (try? await db.read { tx in try ConsumerState.cursor(tx, stream: "intake") }) ?? -1 }
        try await waitUntil(timeout: 30) { await cursor() == 2 }
        // Event 3 applied by a commit the follower never heard back from.
        try await db.write { tx in
            try tx.execute("INSERT INTO seen (seq, type) VALUES (3, 'ticket.received')", [])
            try ConsumerState.advance(tx, stream: "intake", from: 2, to: 3, hash: all[2].hash)
        }
        published.withLock { $0 = 4 }
        producer.publish([all[2], all[3]])
        try await waitUntil(timeout: 30) { await cursor() == 4 }
        let seen = try await db.read { tx in try tx.query("SELECT seq FROM seen ORDER BY seq").compactMap { $0.int("seq") } }
        #expect(seen == [1, 2, 3, 4])
        // The re-read is a retry: the stream shows as stalled until the follower has noted
        // the commit that moved the cursor to 4, a moment after it is visible here.
        try await waitUntil(timeout: 10) { (try? await HTTPClient(port: service.port).request("GET", "/readyz").status) == 200 }
        let ready = try await HTTPClient(port: service.port).request("GET", "/readyz")
        #expect(!ready.text.contains("chain"), "\(ready.text)")
        let metrics = try await HTTPClient(port: service.port).request("GET", "/metrics")
        #expect(!metrics.text.contains("hotline_chain_breaks_total{"), "no chain break counted")

        answering.cancel()
        p.cancel()
        producer.stop()
        await setup.stop()
    }
}

/// A local process that says hello as intake and publishes an event of its own making
/// (issue 16): the consumer checks the chain, refuses it, says so, and applies the real one
/// when the real producer is back — nothing skipped.
@Suite struct ForgedEventTests {
    @Test(arguments: TestEngine.available)
    func forgedEventIsRefusedAndTheRealOneApplied(engine: TestEngine) async throws {
        let setup = try await RecordingConsumerSetup.start(engine)
        let (socket, service) = (setup.socket, setup.service)
        let real = try EventChain.build(stream: "intake", (1...8).map {
            .init(type: "ticket.received", ticket: "T\($0)", at: "2026-11-23T01:00:00.000Z", data: .object(["n": .number(Double($0))]))
        })
        /// The real intake: a bus client that publishes and answers fetches from what it has stored.
        func realIntake(stored: Int) -> (BusClient, [Task<Void, Never>]) {
            let client = BusClient(socketPath: socket, service: "intake", follows: [], logger: quietLogger())
            let running = Task { await client.run() }
            let answering = Task {
                for await note in client.notifications {
                    if case .fetchRequest(let id, let after, let limit) = note {
                        client.replyEvents(id: id, events: Array(real.prefix(stored).filter { $0.seq > after }.prefix(limit)),
                                           head: Int64(stored))
                    }
                }
            }
            return (client, [running, answering])
        }
        let (producer, tasks) = realIntake(stored: 5)
        try await waitUntil { producer.isConnected && service.bus.isConnected }
        producer.publish(Array(real.prefix(5)))
        let db = service.context.database
        try await waitUntil(timeout: 20) { (try? await db.read { tx in try ConsumerState.cursor(tx, stream: "intake") }) == 5 }

        // Intake is down; a forger takes its name and pushes a seq 6 of its own: its prev does
        // not name the real seq 5. A second forgery copies the real prev but changes the content.
        producer.stop()
        for t in tasks { t.cancel() }
        let forger = BusClient(socketPath: socket, service: "intake", follows: [], logger: quietLogger())
        let f = Task { await forger.run() }
        try await waitUntil { forger.isConnected }
        let forged = try EventChain.build(stream: "intake", [
            .init(type: "ticket.received", ticket: "FORGED", at: "2026-11-23T01:00:00.000Z", data: .object([:])),
        ], firstSeq: 6, idSeed: "forger")
        forger.publish(forged)
        let tampered = Event(stream: "intake", seq: 6, id: real[5].id, type: real[5].type, ticket: "FORGED", at: real[5].at,
                             data: real[5].data, prev: real[5].prev, hash: real[5].hash)
        forger.publish([tampered])
        try await waitUntil(timeout: 20) {
            let r = try await HTTPClient(port: service.port).request("GET", "/readyz")
            return r.status == 503 && r.text.contains("\"state\":\"broken\"")
        }
        let metrics = try await HTTPClient(port: service.port).request("GET", "/metrics").text
        #expect(metrics.contains("hotline_chain_breaks_total{stream=\"intake\"}"))
        #expect(metrics.contains("hotline_consumer_chain_broken{stream=\"intake\"} 1"))
        #expect(try await db.read { tx in try ConsumerState.cursor(tx, stream: "intake") } == 5, "nothing forged applied, nothing skipped")
        #expect(try await db.read { tx in try ConsumerState.openDeadLetters(tx) }.isEmpty, "a forgery is not dead-lettered")

        // The real intake is back and takes its name again: 6, 7 and 8 are applied.
        forger.stop()
        f.cancel()
        let (restarted, restartedTasks) = realIntake(stored: 8)
        try await waitUntil(timeout: 30) { restarted.isConnected }
        restarted.publish(Array(real.suffix(3)))
        try await waitUntil(timeout: 30) { (try? await db.read { tx in try ConsumerState.cursor(tx, stream: "intake") }) == 8 }
        let seen = try await db.read { tx in try tx.query("SELECT seq FROM seen ORDER BY seq").compactMap { $0.int("seq") } }
        #expect(seen == Array(1...8))
        try await waitUntil(timeout: 10) { try await HTTPClient(port: service.port).request("GET", "/readyz").status == 200 }

        for t in restartedTasks { t.cancel() }
        restarted.stop()
        await setup.stop()
    }
}

/// What the follower does with a delivery, as a pure decision.
@Suite struct StreamApplicationTests {
    private func event(_ seq: Int64) -> Event {
        Event(stream: "intake", seq: seq, id: "e\(seq)", type: "t", ticket: nil, at: "2026-11-23T01:00:00.000Z", data: .null,
              prev: "", hash: "")
    }

    @Test func decidesOnDuplicatesGapsAndOrder() {
        let seqs = { (d: StreamApplication.Decision) -> [Int64]? in
            if case .apply(let run) = d { return run.map(\.seq) }
            return nil
        }
        #expect(StreamApplication.decide([event(3), event(2)], cursor: 3) == .nothingNew)
        #expect(StreamApplication.decide([], cursor: 0) == .nothingNew)
        #expect(StreamApplication.decide([event(5)], cursor: 3) == .gap)
        // Out of order, with already-applied and repeated events: applied once, in order.
        #expect(seqs(StreamApplication.decide([event(6), event(4), event(2), event(5), event(4)], cursor: 3)) == [4, 5, 6])
        // A hole: the consecutive part now, the rest by fetch.
        #expect(seqs(StreamApplication.decide([event(4), event(5), event(7)], cursor: 3)) == [4, 5])
    }
}

