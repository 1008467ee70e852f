import FoundationEssentials
import Glibc
import HotlineBus
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineStorage
import HotlineStreams
import Synchronization

/// Starts a service process: settings, logger, county configuration, database and
/// migrations, bus client, stream followers, timers and the HTTP server; stops them in
/// reverse order on SIGTERM/SIGINT.
public enum ServiceRunner {
    /// Runs `logic` as a process. - Returns: the exit status.
    public static func main(_ logic: any ServiceLogic, executable: String, summary: String,
                            arguments: [String] = CommandLine.arguments) async -> Int32 {
        await main(service: logic.name, executable: executable, summary: summary, arguments: arguments) { _ in logic }
    }

    /// As above, for a service with settings of its own: `makeLogic` reads them from the
    /// environment (a `ConfigurationError` exits with status 78) and `extraHelp` lists them.
    public static func main(service: String, executable: String, summary: String, extraHelp: String = "",
                            arguments: [String] = CommandLine.arguments,
                            makeLogic: (EnvironmentReader) throws -> any ServiceLogic) async -> Int32 {
        if arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
            print(ServiceSettings.help(service: service, executable: executable, summary: summary, extra: extraHelp))
            return 0
        }
        if let unknown = arguments.dropFirst().first {
            writeToStandardError("\(executable): unknown argument \(unknown); see --help\n")
            return 64
        }
        let settings: ServiceSettings
        let county: CountyConfig
        let calendar: WorkingCalendar
        let logic: any ServiceLogic
        let credentials: Credentials
        do {
            settings = try ServiceSettings.fromEnvironment(service: service)
            logic = try makeLogic(EnvironmentReader())
            county = try CountyConfig.load(directory: settings.configDirectory)
            credentials = try CredentialsWatcher(settings: settings, demoMode: EnvironmentReader().demoMode).load(county: county)
            calendar = try WorkingCalendar(county.calendar)
        } catch let error as ConfigurationError {
            exitForConfiguration(error, program: executable)
        } catch {
            exitForConfiguration(ConfigurationError("\(error)"), program: executable)
        }
        let clock: any HotlineClock = settings.manualClock ? ManualClock() : SystemClock()
        let logger = Logger(service: logic.name, level: settings.logLevel, clock: SystemClock())
        do {
            let service = try await RunningService.start(logic, settings: settings, county: county, calendar: calendar,
                                                         clock: clock, logger: logger, credentials: credentials)
            Signals.onTermination { sig in
                logger.info("stopping", ["signal": sig == 0 ? "supervisor gone" : String(sig)])
                service.requestStop()
            }
            await service.waitUntilStopped()
            logger.info("stopped")
            return 0
        } catch let error as ConfigurationError {
            exitForConfiguration(error, program: executable)
        } catch {
            // At start the engine's message is about the connection, the files or the lock, not
            // about anyone's data: the operator needs it.
            logger.critical("cannot start", ["error": String(reflecting: error)])
            return 1
        }
    }
}

/// A started service; also used in-process by tests.
public final class RunningService: Sendable {
    public let context: ServiceContext
    public let bus: BusClient
    public let http: HTTPServer
    private let followers: [StreamFollower]
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let stopRequested = AsyncStream<Void>.makeStream()
    private let stopping = Atomic<Bool>(false)

    public var port: Int { http.port }

    private init(context: ServiceContext, bus: BusClient, http: HTTPServer, followers: [StreamFollower]) {
        self.context = context
        self.bus = bus
        self.http = http
        self.followers = followers
    }

    public static func start(_ logic: any ServiceLogic, settings: ServiceSettings, county: CountyConfig,
                             calendar: WorkingCalendar, clock: any HotlineClock, logger: Logger,
                             credentials: Credentials? = nil) async throws -> RunningService
    {
        let credentials = try credentials ?? Credentials.load(file: settings.credentialsFile, county: county)
        // One instance per service per database: a second one fails here, before it writes.
        let database = try Database(url: settings.database, schema: logic.name, logger: logger, maxBatch: settings.maxBatch,
                                    commitDelay: settings.commitDelay, exclusive: true, pipelinesSyncs: settings.pipelinesSyncs)
        let migrations = StreamTables.migrations + logic.migrations
        let expected = try await Migrator.migrate(database, migrations, logger: logger)
        let store = EventStore(stream: logic.name)
        let head = try await database.read { tx in try store.head(tx) }
        let bus = BusClient(socketPath: settings.busSocket, service: logic.name, follows: logic.follows, logger: logger)
        if let manual = clock as? ManualClock {
            // Resume the simulated time from what this service last did.
            let last = try await database.read { tx in try StreamTables.lastKnownTime(tx) }
            if let last, let date = Timestamp.parse(last) {
                manual.advance(to: date)
                bus.setClockForHello(date)
            }
        }
        let metrics = Metrics()
        Self.describeMetrics(metrics)
        let context = ServiceContext(settings: settings, database: database, clock: clock, county: county,
                                     calendar: calendar, logger: logger, metrics: metrics,
                                     authenticator: Authenticator(credentials),
                                     publisher: OrderedPublisher(bus: bus, head: head),
                                     streamReader: { stream, after, limit in try await bus.fetch(stream: stream, after: after, limit: limit) })
        try await logic.prepare(context)
        let followers = logic.follows.map { StreamFollower(stream: $0, logic: logic, context: context, bus: bus) }
        metrics.gauge("hotline_consumer_lag") {
            followers.map { f in
                let s = f.status
                return (["stream": f.stream], Double(max(0, s.knownHead - s.cursor)))
            }
        }
        metrics.gauge("hotline_consumer_stalled") {
            followers.map { (["stream": $0.stream], $0.status.stalled == nil ? 0 : 1) }
        }
        metrics.gauge("hotline_consumer_chain_broken") {
            followers.map { (["stream": $0.stream], $0.status.broken == nil ? 0 : 1) }
        }
        metrics.gauge("hotline_db_writable") { [(["schema": database.schema], database.writeHealth.isWritable ? 1 : 0)] }
        metrics.gauge("hotline_db_commits_total") { [(["schema": database.schema], Double(database.commitStats.commits))] }
        metrics.gauge("hotline_db_unsynced_commits_total") {
            [(["schema": database.schema], Double(database.commitStats.unsyncedCommits))]
        }
        metrics.gauge("hotline_db_commit_seconds_total") {
            [(["schema": database.schema], database.commitStats.commitSecondsTotal)]
        }
        metrics.gauge("hotline_db_writes_total") { [(["schema": database.schema], Double(database.commitStats.writes))] }
        metrics.gauge("hotline_db_writer_statements_total") {
            [(["schema": database.schema], Double(database.commitStats.exchanges.statements))]
        }
        metrics.gauge("hotline_db_writer_round_trips_total") {
            [(["schema": database.schema], Double(database.commitStats.exchanges.roundTrips))]
        }

        var router = Router()
        for route in logic.routes(context) { router.add(Self.waitingForTheClock(route, context)) }
        for fallback in logic.routeFallbacks(context) { router.add(fallback) }
        for route in StandardRoutes.routes(context: context, bus: bus, followers: followers, expectedMigrations: expected,
                                           openAPIDocument: try logic.openAPIDocument.map {
                                               try OpenAPIDocument.resolve($0, county: county)
                                           }, rebuildableTables: logic.rebuildableTables,
                                           warnings: { try await logic.warnings(context) }) {
            router.add(route)
        }
        var limits = HTTPLimits()
        limits.maxConnections = settings.httpMaxConnections
        limits.maxConnectionsPerPeer = settings.httpMaxConnectionsPerPeer
        let http = HTTPServer(router: router, authenticator: context.authenticator, limits: limits, logger: logger) { method, route, status, seconds in
            metrics.increment("hotline_http_requests_total", ["method": method, "route": route, "status": String(status)])
            metrics.observe("hotline_http_request_seconds", ["route": route], seconds)
        }
        let port = try http.bind(host: settings.httpHost, port: settings.httpPort)
        // The same API on a Unix socket in the run directory, for clients on this host.
        let socket = ServiceSettings.httpSocket(runDirectory: settings.runDirectory, service: settings.service)
        var listening = ["http.port": String(port), "db.engine": database.engine.rawValue]
        do {
            try FileManager.default.createDirectory(atPath: settings.runDirectory, withIntermediateDirectories: true)
            try http.bind(unixSocket: socket)
            listening["http.socket"] = socket
        } catch {
            logger.warning("serving HTTP on TCP only: cannot listen on the run directory's socket", ["http.socket": socket, "error": "\(error)"])
        }
        let service = RunningService(context: context, bus: bus, http: http, followers: followers)
        service.launch(logic)
        try service.writeURLFile(port: port)
        logger.info("listening", listening)
        return service
    }

    /// On the manual clock, a service answers 503 until the bus has told it the suite's time:
    /// a restarted process would otherwise stamp requests with the last time its store saw.
    static func waitingForTheClock(_ route: Route, _ context: ServiceContext) -> Route {
        guard context.settings.manualClock else { return route }
        return Route(route.method, route.pattern, roles: route.roles, maxBody: route.maxBody, quick: route.quick) { request in
            guard context.clockReady else {
                return Problem(status: 503, detail: "waiting for the bus to give the manual clock", headers: ["Retry-After": "1"]).response
            }
            return try await route.handler(request)
        }
    }

    private static func describeMetrics(_ m: Metrics) {
        m.describe("hotline_http_requests_total", type: "counter", help: "HTTP requests answered")
        m.describe("hotline_http_request_seconds", type: "histogram", help: "HTTP request latency")
        m.describe("hotline_events_produced_total", type: "counter", help: "Events appended to this service's stream")
        m.describe("hotline_events_applied_total", type: "counter", help: "Events of followed streams applied")
        m.describe("hotline_catch_up_fetches_total", type: "counter", help: "Catch-up fetches answered by a producer")
        m.describe("hotline_events_fetched_total", type: "counter", help: "Events received by catch-up fetch (not push)")
        m.describe("hotline_dead_letters_total", type: "counter", help: "Events that failed to apply after all retries")
        m.describe("hotline_consumer_lag", type: "gauge", help: "Known producer head minus cursor, per followed stream")
        m.describe("hotline_consumer_stalled", type: "gauge", help: "1 while a followed stream waits out a storage fault")
        m.describe("hotline_consumer_transient_failures_total", type: "counter", help: "Batches that failed on a storage fault and were retried")
        m.describe("hotline_consumer_chain_broken", type: "gauge", help: "1 while a followed stream is stopped at an event that breaks its chain")
        m.describe("hotline_chain_breaks_total", type: "counter", help: "Events refused because they do not continue their stream's chain")
        m.describe("hotline_db_writable", type: "gauge", help: "0 while the latest write failed on a storage fault")
        m.describe("hotline_db_commits_total", type: "counter", help: "Write transactions committed (group commits)")
        m.describe("hotline_db_unsynced_commits_total", type: "counter",
                   help: "Commits of consumer batches that emitted nothing, not synced to disk (made again from the streams if a power cut loses them)")
        m.describe("hotline_db_writes_total", type: "counter", help: "Writes carried by those commits")
        m.describe("hotline_db_commit_seconds_total", type: "counter", help: "Time spent in write transactions")
        m.describe("hotline_db_writer_statements_total", type: "counter", help: "Statements the writer's connection ran")
        m.describe("hotline_db_writer_round_trips_total", type: "counter",
                   help: "Times the writer's connection waited for the server's answer (PostgreSQL; 0 on SQLite, which runs in the process)")
    }

    private func writeURLFile(port: Int) throws {
        let dir = context.settings.runDirectory
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/\(context.settings.service).url"
        let host = context.settings.httpHost == "0.0.0.0" ? "127.0.0.1" : context.settings.httpHost
        try "\(getpid())\n".write(toFile: dir + "/\(context.settings.service).pid", atomically: true, encoding: .utf8)
        try "http://\(host):\(port)\n".write(toFile: path + ".tmp", atomically: false, encoding: .utf8)
        rename(path + ".tmp", path)
    }

    private func launch(_ logic: any ServiceLogic) {
        let context = self.context
        let bus = self.bus
        let followers = self.followers
        let ticks = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        var started: [Task<Void, Never>] = []
        // Pushes go straight from the bus client's thread to the follower's queue.
        bus.deliverEvents { stream, events, head, producerIdle in
            followers.first { $0.stream == stream }?.pushed(events, head: head, producerIdle: producerIdle)
        }
        started.append(Task { await bus.run() })
        started.append(Task { [http] in await http.run() })
        let watcher = CredentialsWatcher(settings: context.settings, demoMode: EnvironmentReader().demoMode)
        started.append(Task { await watcher.run(county: context.county, authenticator: context.authenticator, logger: context.logger) })
        for f in followers { started.append(Task { await f.run() }) }
        // Bus notifications: pushes to followers, fetch requests answered, the clock.
        started.append(Task {
            for await note in bus.notifications {
                switch note {
                case .connected(let clock):
                    if let manual = context.clock as? ManualClock {
                        context.clockSynced()
                        // A move is acknowledged once stored and its timers have run (the tick below).
                        if let clock { manual.advance(to: clock) }
                        ticks.continuation.yield()
                    } else {
                        bus.clockApplied(nil)
                    }
                    for f in followers { f.requestCatchUp() }
                case .events:
                    break  // pushes go to the sink set above, never here
                case .clock(let date):
                    if let manual = context.clock as? ManualClock {
                        if manual.advance(to: date) { bus.setClockForHello(date) }
                        ticks.continuation.yield()  // acknowledges, once stored (also a move it already had)
                    }
                case .fetchRequest(let id, let after, let limit):
                    Task {
                        let store = context.store
                        // Read after the bound: what is acknowledged by then is committed in the snapshot.
                        let durable = context.publisher?.acknowledgedHead ?? .max
                        do {
                            let (events, head) = try await context.read { tx in
                                (try store.fetch(tx, after: after, through: durable, limit: limit), try store.head(tx))
                            }
                            bus.replyEvents(id: id, events: events, head: min(head, durable))
                        } catch {
                            context.logger.error("cannot answer fetch", ["error": "\(error)"])
                        }
                    }
                case .disconnected:
                    break
                }
            }
        })
        // Polling catches a last push that was dropped; ticks drive durable timers.
        started.append(Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                if !(context.clock is ManualClock) { ticks.continuation.yield() }
                for f in followers { f.requestCatchUp() }
            }
        })
        // A cheap write now and then, so `/readyz` notices storage that cannot be written
        // (and its recovery) even when no request or event writes: often while failing.
        started.append(Task {
            var commitsSeen = context.database.commitStats.commits
            while !Task.isCancelled {
                let failing = !context.database.writeHealth.isWritable
                try? await Task.sleep(nanoseconds: failing ? 1_000_000_000 : 5_000_000_000)
                // Commits since the last look already say the storage takes writes.
                let commits = context.database.commitStats.commits
                defer { commitsSeen = context.database.commitStats.commits }
                if !failing && commits != commitsSeen { continue }
                _ = try? await context.database.write { tx in try tx.execute("UPDATE stream_head SET seq = seq WHERE id = 1") }
            }
        })
        // Timers run once at start: whatever fell due while the process was down is handled now.
        ticks.continuation.yield()
        started.append(Task {
            for await _ in ticks.stream {
                for f in followers where !(await f.catchUp(timeout: 5)) {
                    context.logger.warning("timer runs behind a lagging stream", ["bus.stream": f.stream])
                }
                do { try await logic.tick(context) } catch {
                    context.logger.error("timer tick failed", ["error": "\(error)"])
                }
                // The time is applied: taken, and what fell due at it done (a simulation that
                // waits for this sees the misses and reminders of the new time).
                if context.settings.manualClock, let manual = context.clock as? ManualClock {
                    // Durable before acknowledged: a crash after this resumes from this time.
                    let now = Timestamp.format(manual.now())
                    do {
                        try await context.database.write { tx in try StreamTables.saveManualClock(now, tx) }
                        bus.clockApplied(manual.now())
                    } catch {
                        // Not acknowledged yet: try again in a second (the storage may be back).
                        context.logger.error("cannot store the manual clock; retrying", ["error": "\(error)"])
                        Task {
                            try? await Task.sleep(nanoseconds: 1_000_000_000)
                            ticks.continuation.yield()
                        }
                    }
                }
            }
        })
        tasks.withLock { $0 = started }
    }

    /// Starts a graceful stop.
    public func requestStop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        stopRequested.continuation.yield()
        stopRequested.continuation.finish()
    }

    /// Waits for `requestStop`, then stops: HTTP first (in-flight requests finish), then
    /// followers and timers, the bus connection, the database.
    public func waitUntilStopped() async {
        for await _ in stopRequested.stream {}
        http.stop()
        try? await Task.sleep(nanoseconds: 50_000_000)
        let all = tasks.withLock { $0 }
        // The HTTP task returns once in-flight requests drained.
        if all.count > 1 { await all[1].value }
        for f in followers { f.finish() }
        bus.stop()
        for t in all { t.cancel() }
        context.database.close()
    }
}
