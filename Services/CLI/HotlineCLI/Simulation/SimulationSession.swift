import Foundation
import Glibc
import HotlineBus
import HotlineCore
import HotlineHTTP

/// One simulation: the suite it drives (its own `hotline run`, restartable, or one already
/// running), the admin bus connection that moves the clock, the driver and the workload.
final class SimulationSession: @unchecked Sendable {
    // @unchecked: `suite` is replaced only by the chaos runner, between its own waits.
    let options: SimulateCommand.Options
    let scratch: String?
    let runDirectory: String
    let calendar: Calendar
    let first: Date
    let driver: SimulationDriver
    private(set) var suite: Process?
    private var workload: SimulationWorkload
    private let bus: BusClient
    private let busTask: Task<Void, Never>
    private(set) var submitted = 0
    private(set) var seconds = 0.0
    /// CPU seconds each process spent over the simulated days (`simulate` itself included);
    /// empty when a process was restarted meanwhile (chaos) or cannot be read.
    private(set) var cpuSeconds: [(process: String, seconds: Double)] = []
    /// Bytes each service made the storage write over the simulated days (same condition).
    private(set) var writtenBytes: [(process: String, bytes: UInt64)] = []
    /// Statements and round trips each service's writer made per ticket (same condition).
    private(set) var exchanges: [(process: String, statements: Double, roundTrips: Double)] = []

    private init(options: SimulateCommand.Options, scratch: String?, runDirectory: String, suite: Process?, workload: SimulationWorkload,
                 bus: BusClient, busTask: Task<Void, Never>, calendar: Calendar, first: Date) {
        self.options = options
        self.scratch = scratch
        self.runDirectory = runDirectory
        self.suite = suite
        self.workload = workload
        self.bus = bus
        self.busTask = busTask
        self.calendar = calendar
        self.first = first
        driver = SimulationDriver(runDirectory: runDirectory, workload: workload, bus: bus, workers: options.workers)
    }

    static func start(_ o: SimulateCommand.Options) async throws -> SimulationSession {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let parts = o.start.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let first = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else {
            throw HotlineCommand.UsageError(message: "--start \(o.start) is not a date")
        }
        guard let source = o.configDirectory ?? HotlineCommand.defaultConfigDirectory() else { throw ConfigurationError("pass --config DIR") }
        var scratch: String?, suite: Process?
        let runDirectory: String, config: String
        if let given = o.runDirectory {
            runDirectory = given
            config = source
        } else {
            let dir = try ScratchSpace.makeDirectory()
            scratch = dir
            try Bench.copyConfigWithoutRateLimits(from: source, to: dir + "/config")
            config = dir + "/config"
            runDirectory = dir + "/run"
            suite = try SuiteLauncher.launch(dir: dir, database: o.database, manualClock: true)
        }
        do {
            _ = try await SuiteBench.waitUntilReady(runDirectory: runDirectory, suite: suite)
        } catch {
            suite?.stop(grace: 30)
            throw error
        }
        let workload = SimulationWorkload(seed: o.seed, county: try SimulationWorkload.County.load(configDirectory: config),
                                          ticketsPerDay: o.ticketsPerDay)
        let bus = BusClient(socketPath: runDirectory + "/bus.sock", service: BusNames.admin, follows: [], logger: Logger(service: "hotline", level: .error))
        let busTask = Task { await bus.run() }
        let session = SimulationSession(options: o, scratch: scratch, runDirectory: runDirectory, suite: suite, workload: workload, bus: bus,
                                        busTask: busTask, calendar: calendar, first: first)
        do {
            let deadline = Date().addingTimeInterval(30)
            while !bus.isConnected {
                guard Date() < deadline else { throw ConfigurationError("cannot reach the bus at \(runDirectory)/bus.sock") }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            for (service, body) in try await session.driver.readiness() where body["clock_mode"] as? String != "manual" {
                throw ConfigurationError("\(service) runs on the system clock: start the suite with hotline run --clock manual")
            }
        } catch {
            session.stop()
            throw error
        }
        return session
    }

    /// After `hotline run` itself was killed: a new one on the same data.
    func restartSuite() throws {
        guard let scratch else { return }
        suite = try SuiteLauncher.launch(dir: scratch, database: options.database, manualClock: true)
    }

    /// Every simulated day, hour by hour (08:00–18:00): the clock, then the hour's work.
    func simulate() async throws {
        let o = options
        let terminal = isatty(STDOUT_FILENO) == 1 && !o.quiet
        let began = Date()
        let cpuAtStart = Self.cpuSnapshot(runDirectory: runDirectory)
        let countersAtStart = try? await SuiteBench.counters(ports: SuiteBench.ports(runDirectory: runDirectory))
        for day in 0..<o.days {
            let date = calendar.date(byAdding: .day, value: day, to: first)!
            let weekday = calendar.component(.weekday, from: date), month = calendar.component(.month, from: date)
            let tickets = workload.tickets(day: day, weekday: weekday, month: month)
            for hour in 8...18 {
                try await driver.move(to: date.addingTimeInterval(Double(hour) * 3600))
                let now = tickets.filter { $0.hour == hour }
                let spotCheckWeek = weekday == 2 && hour == 10
                    ? SimulateCommand.isoWeek(date.addingTimeInterval(-7 * 86_400), calendar: calendar) : nil
                try await driver.step(tickets: now, callbacksOpen: (9...17).contains(hour), spotCheckWeek: spotCheckWeek)
                submitted += now.count
                if terminal {
                    let elapsed = Date().timeIntervalSince(began)
                    let line = String(format: "\r%@ %02d:00  day %d/%d  tickets %d  %.0f/s  lag %d   ", SimulateCommand.dayText(date, calendar), hour,
                                      day + 1, o.days, submitted, Double(submitted) / max(elapsed, 0.001), await driver.lag())
                    FileHandle.standardOutput.write(Data(line.utf8))
                }
            }
        }
        if terminal { FileHandle.standardOutput.write(Data("\n".utf8)) }
        seconds = Date().timeIntervalSince(began)
        if let start = cpuAtStart, let end = Self.cpuSnapshot(runDirectory: runDirectory), end.processes == start.processes {
            let before = Dictionary(uniqueKeysWithValues: start.seconds.map { ($0.process, $0.seconds) })
            cpuSeconds = end.seconds.map { (process: $0.process, seconds: $0.seconds - before[$0.process, default: 0]) }
            // Only when the kernel said it for every service, both times (no made-up zeros).
            if let before = start.written, let after = end.written {
                let written = Dictionary(uniqueKeysWithValues: before.map { ($0.process, $0.bytes) })
                writtenBytes = after.compactMap { p in written[p.process].flatMap { p.bytes >= $0 ? (p.process, p.bytes - $0) : nil } }
                if writtenBytes.count != after.count { writtenBytes = [] }
            }
            if let countersAtStart, let countersAtEnd = try? await SuiteBench.counters(ports: SuiteBench.ports(runDirectory: runDirectory)) {
                exchanges = countersAtEnd.exchangesPerTicket(since: countersAtStart, tickets: submitted) ?? []
            }
        }
    }

    /// Each process's CPU seconds so far by name, and which processes they are: id and start
    /// time, so a restart shows even when the new process got the old id back. Nil when the
    /// suite's processes cannot be found (a suite elsewhere).
    private static func cpuSnapshot(runDirectory: String)
        -> (processes: [String: String], seconds: [(process: String, seconds: Double)], written: [(process: String, bytes: UInt64)]?)?
    {
        guard let pids = try? SuiteBench.processIDs(runDirectory: runDirectory) else { return nil }
        let processes = pids.mapValues { "\($0) \(SuiteBench.startTime($0) ?? 0)" }
        return (processes, SuiteBench.processes.map { ($0, SuiteBench.cpuSeconds(pids[$0]!)) } + [("simulate", SuiteBench.cpuSeconds(getpid()))],
                try? SuiteBench.processes.map { name throws -> (String, UInt64) in
                    guard let bytes = SuiteBench.writtenBytes(pids[name]!) else { throw ConfigurationError("no write_bytes for \(name)") }
                    return (name, bytes)
                })
    }

    /// The report the run ends with: the last month it covered to the end, published by kpi
    /// on its own `report_publish_after` (3 days in the sample) after the month's end — the
    /// clock moves there (and an hour), no new requests; else the month in progress,
    /// published on demand.
    func finish() async throws -> SimulateCommand.Summary {
        let end = calendar.date(byAdding: .day, value: options.days, to: first)!
        let endMonthStart = calendar.date(from: calendar.dateComponents([.year, .month], from: end))!
        let period: String, publishNow: Bool
        if endMonthStart > first {
            period = SimulateCommand.month(calendar.date(byAdding: .month, value: -1, to: endMonthStart)!, calendar)
            publishNow = false
            try await driver.move(to: max(driver.now, endMonthStart.addingTimeInterval(3 * 86_400 + 3600)))
        } else {
            period = SimulateCommand.month(first, calendar)
            publishNow = true
        }
        let driver = self.driver
        let (status, row, response) = try await driver.onWorkers([0]) { _, clients -> (Int, SendableRow, HTTPClient.Response) in
            if publishNow {
                let p = try driver.call(clients, "kpi", "POST", "/v1/reports/\(period)/publish", token: SimulationDriver.centre)
                guard p.status == 201 || (p.status == 409 && p.ambiguous) else { return (p.status, SendableRow([:]), p.response) }
            }
            let r = try driver.call(clients, "kpi", "GET", "/v1/reports/\(period)", token: SimulationDriver.centre)
            return (r.status, SendableRow(r.body as? [String: Any] ?? [:]), r.response)
        }[0]
        guard status == 200 else { throw ConfigurationError("no report for \(period): \(status) \(response.text.prefix(300))") }
        var summary = SimulateCommand.Summary(tickets: submitted, seconds: seconds)
        summary.cpuSeconds = cpuSeconds
        summary.writtenBytes = writtenBytes
        summary.exchanges = exchanges
        summary.reportPeriod = period
        summary.reportVersion = Int(response.header("x-report-version") ?? "") ?? 0
        summary.reportSHA256 = response.header("x-report-sha256") ?? ""
        summary.reportBytes = response.body
        summary.ranking = (row.value["ranking"] as? [[String: Any]] ?? []).map { r in
            let composite = ((r["rates"] as? [String: Any])?["composite"] as? Double).map { String(format: "%.2f", $0) } ?? "—"
            return (r["rank"] as? Int ?? 0, r["unit"] as? String ?? "", composite)
        }
        if let file = options.reportFile { try Data(response.body).write(to: URL(fileURLWithPath: file)) }
        return summary
    }

    /// Stops the suite it started (and removes its files unless `keep`).
    func stop(keep: Bool = false) {
        bus.stop()
        busTask.cancel()
        suite?.stop(grace: 30)
        if let scratch, !keep { try? FileManager.default.removeItem(atPath: scratch) }
    }
}
