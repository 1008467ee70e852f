import DispatchService
import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// `hotline bench dispatch`: how fast dispatch catches up on a backlog of received tickets,
/// and how fast a unit's accept and reply are answered under a steady load (issue 7, item 13).
enum DispatchBench {
    static func run(events n: Int, database: String?, config: String, rate: Double) async throws {
        let county = try CountyConfig.load(directory: config)
        let calendar = try WorkingCalendar(county.calendar)
        let dir = try ScratchSpace.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let url = try DatabaseURL.parse(database ?? "sqlite:" + dir + "/data")
        let logger = Logger(service: "bench", level: .error)
        let backlog = try received(n, county: county)

        // The baseline applies the same events with a consumer that does nothing: what the
        // follower's path itself costs (chain check, cursor, commit).
        let baseline = try await catchUp(backlog, logic: NullConsumer(), url: url, schema: "bench_null", county: county, calendar: calendar,
                                         logger: logger)
        let dispatch = try await catchUp(backlog, logic: DispatchService(), url: url, schema: "dispatch", county: county,
                                         calendar: calendar, logger: logger)
        print(String(format: "dispatch catch-up [%@]: %d ticket.received in batches of 500: %.0f events/s (target 5,000/s: %.2f×); "
                         + "the follower's path alone %.0f events/s (dispatch's own work is %.0f%% of the time)",
                     url.engine.rawValue, n, dispatch, dispatch / 5000, baseline, max(0, 1 - dispatch / baseline) * 100))

        // Accept and reply over HTTP at a steady rate, each request timed from when it was due.
        var env = ProcessInfo.processInfo.environment
        env["HOTLINE_DATABASE_URL"] = database ?? "sqlite:" + dir + "/data"
        env["HOTLINE_RUN_DIR"] = dir
        env["HOTLINE_BUS_SOCKET"] = dir + "/no-bus.sock"  // no bus: the routes need none
        env["HOTLINE_DISPATCH_PORT"] = "0"
        let settings = try ServiceSettings.fromEnvironment(service: "dispatch", EnvironmentReader(env))
        let service = try await RunningService.start(DispatchService(), settings: settings, county: county, calendar: calendar,
                                                     clock: SystemClock(), logger: Logger(service: "dispatch", level: .critical))
        let ids = try await service.context.read { tx in
            try tx.query("SELECT id FROM assignments WHERE status = 'dispatched' ORDER BY id LIMIT ?", [.int(Int(rate) * 10)])
                .compactMap { $0.string("id") }
        }
        let port = service.port
        for (action, body) in [("accept", ""), ("reply", #"{"result":"已处理：现场核实并整改完毕"}"#)] {
            let head = "Host: 127.0.0.1:\(port)\r\nAuthorization: Bearer demo-centre-token\r\nContent-Type: application/json\r\n"
            let load = IntakeLoad(port: port, connections: 8, tickets: ids.count, rate: rate, success: [200]) { i in
                Array("POST /v1/assignments/\(ids[i - 1])/\(action) HTTP/1.1\r\n\(head)Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
            }
            let outcome = try await withCheckedThrowingContinuation { (done: CheckedContinuation<IntakeLoad.Outcome, any Error>) in
                Thread { done.resume(with: Result { try load.run() }) }.start()
            }
            print(String(format: "dispatch %@ [%@]: %d requests offered at %.0f/s: p50 %.1f ms, p99 %.1f ms; %d failed",
                         action, url.engine.rawValue, ids.count, rate, outcome.percentile(0.5), outcome.percentile(0.99), outcome.failures))
        }
        service.requestStop()
        await service.waitUntilStopped()
        if case .postgres = url {
            // A shared PostgreSQL keeps schemas between runs: leave it as found.
            let db = try Database(url: url, schema: "public", logger: logger, readers: 1)
            _ = try await db.write { tx in try tx.executeScript("DROP SCHEMA IF EXISTS bench_null CASCADE; DROP SCHEMA IF EXISTS dispatch CASCADE") }
            db.close()
        }
    }

    /// `n` received tickets of the sample county, each routed by a rule, as intake's stream.
    static func received(_ n: Int, county: CountyConfig) throws -> [Event] {
        let rules = county.responsibilities
        let start = Date()
        return try EventChain.build(stream: "intake", (0..<n).map { i in
            let rule = rules[i % rules.count]
            let region = rule.region ?? county.regions[(i * 7) % county.regions.count].code
            let payload = TicketReceived(
                channel: "phone_12345", channelRef: "bench-\(i)", kind: "complaint", domain: "livelihood", category: rule.category,
                urgency: "normal", content: "压测诉求 \(i)", location: TicketLocation(address: nil, region: region, latitude: nil, longitude: nil),
                enterprise: false, tags: [], caller: .init(name: nil, phone: "138****0000", phoneHash: "h\(i)", anonymous: false),
                receivedAt: Timestamp.format(start.addingTimeInterval(Double(i) * 0.01)))
            return EventChain.Item(type: EventType.ticketReceived, ticket: String(format: "TBENCH-%08d", i),
                                   at: payload.receivedAt, data: try JSONCoding.valueAndText(payload).0)
        })
    }

    /// Applies `events` as the follower does when catching up: batches of 500, one transaction
    /// each. - Returns: events per second.
    static func catchUp(_ events: [Event], logic: any ServiceLogic, url: DatabaseURL, schema: String, county: CountyConfig,
                        calendar: WorkingCalendar, logger: Logger) async throws -> Double {
        let db = try Database(url: url, schema: schema, logger: logger, maxBatch: 512, commitDelay: 300)
        defer { db.close() }
        _ = try await Migrator.migrate(db, StreamTables.migrations + logic.migrations, logger: logger)
        let context = ServiceContext.offline(service: schema, database: db, url: url, clock: SystemClock(), county: county,
                                             calendar: calendar, zone: county.timeZone, logger: logger)
        let started = Date()
        var cursor: Int64 = 0
        for batch in stride(from: 0, to: events.count, by: 500).map({ Array(events[$0..<min($0 + 500, events.count)]) }) {
            try await StreamApplication.apply(batch, stream: "intake", cursor: cursor, logic: logic, context: context)
            cursor = batch.last!.seq
        }
        return Double(events.count) / Date().timeIntervalSince(started)
    }
}

/// A consumer that applies nothing: the baseline of the catch-up figure.
private struct NullConsumer: ServiceLogic {
    let name = "baseline"
    /// Fed directly by the benchmark, never by the bus.
    let follows: [String] = []
    var migrations: [Migration] { [] }
    func routes(_ context: ServiceContext) -> [Route] { [] }
    func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {}
}
