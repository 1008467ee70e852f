import Foundation
import Glibc
import HotlineBus
import HotlineCore
import HotlineHTTP

/// `hotline simulate`: a county's days through the real APIs on the manual clock (see
/// `SimulationWorkload` for the workload, `SimulationDriver` for how it acts).
enum SimulateCommand {
    struct Options {
        var days = 7
        var ticketsPerDay = 300
        var seed: UInt64 = 1
        var start = "2026-11-02"
        var workers = 8
        var database: String?
        var runDirectory: String?
        var configDirectory: String?
        var quiet = false
        /// Where to write the final report's exact bytes.
        var reportFile: String?
    }

    /// What a run ends with (the determinism check compares `reportSHA256`).
    struct Summary {
        var tickets = 0
        var seconds = 0.0
        var counts: [String: Int] = [:]
        var timings: [String: Double] = [:]
        var reportPeriod = ""
        var reportVersion = 0
        var reportSHA256 = ""
        var ranking: [(rank: Int, unit: String, composite: String)] = []
    }

    static func main(_ args: [String]) async throws -> Int32 {
        let flags = try HotlineCommand.Flags(args, valued: ["--days", "--tickets-per-day", "--seed", "--start", "--speed", "--workers", "--database",
                                                             "--run-dir", "--config", "--report"], switches: ["--quiet"])
        guard flags.positional.isEmpty else { throw HotlineCommand.UsageError(message: "unexpected \(flags.positional[0])") }
        var o = Options()
        func number(_ flag: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = flags.values[flag] else { return nil }
            guard let n = Int(text), range.contains(n) else { throw HotlineCommand.UsageError(message: "\(flag) is a number in \(range)") }
            return n
        }
        o.days = try number("--days", 1...3660) ?? o.days
        o.ticketsPerDay = try number("--tickets-per-day", 1...1_000_000) ?? o.ticketsPerDay
        o.workers = try number("--workers", 1...256) ?? o.workers
        if let seed = flags.values["--seed"] {
            guard let n = UInt64(seed) else { throw HotlineCommand.UsageError(message: "--seed is a whole number") }
            o.seed = n
        }
        if let start = flags.values["--start"] {
            guard start.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { throw HotlineCommand.UsageError(message: "--start is a date, 2026-11-02") }
            o.start = start
        }
        if let speed = flags.values["--speed"], speed != "max" {
            throw HotlineCommand.UsageError(message: "--speed max is the only speed: simulated time moves as fast as the suite settles")
        }
        o.database = flags.values["--database"]
        o.runDirectory = flags.values["--run-dir"]
        o.configDirectory = flags.values["--config"] ?? ProcessInfo.processInfo.environment["HOTLINE_CONFIG_DIR"]
        o.quiet = flags.switches.contains("--quiet")
        o.reportFile = flags.values["--report"]
        let summary = try await run(o)
        print(text(summary, o))
        return summary.counts.keys.contains { $0.hasPrefix("refused") } ? 2 : 0
    }

    static func text(_ s: Summary, _ o: Options) -> String {
        var lines = ["simulated \(o.days) days from \(o.start), seed \(o.seed): \(s.tickets) tickets in \(String(format: "%.1f", s.seconds)) s = "
                     + String(format: "%.0f", Double(s.tickets) / max(s.seconds, 0.001)) + " tickets/s of the whole lifecycle"]
        for (key, n) in s.counts.sorted(by: { $0.key < $1.key }) { lines.append("  \(key): \(n)") }
        lines.append("  wall time: " + s.timings.sorted { $0.value > $1.value }.map { String(format: "%@ %.1f s", $0.key, $0.value) }.joined(separator: ", "))
        if !s.reportPeriod.isEmpty {
            lines.append("report \(s.reportPeriod) version \(s.reportVersion): sha256 \(s.reportSHA256)")
            let shown = s.ranking.count <= 8 ? s.ranking : Array(s.ranking.prefix(5)) + Array(s.ranking.suffix(3))
            for r in shown { lines.append("  #\(r.rank) \(r.unit) composite \(r.composite)") }
        }
        return lines.joined(separator: "\n")
    }

    /// Runs the simulation against the suite in `runDirectory`, or one it starts itself.
    static func run(_ o: Options) async throws -> Summary {
        var ownSuite: Process?
        var scratch: String?
        defer {
            ownSuite?.stop(grace: 30)
            if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
        }
        let runDirectory: String, config: String
        if let given = o.runDirectory {
            runDirectory = given
            guard let c = o.configDirectory ?? HotlineCommand.defaultConfigDirectory() else { throw ConfigurationError("pass --config DIR") }
            config = c
        } else {
            let dir = try Bench.temporaryDirectory()
            scratch = dir
            guard let source = o.configDirectory ?? HotlineCommand.defaultConfigDirectory() else { throw ConfigurationError("pass --config DIR") }
            try Bench.copyConfigWithoutRateLimits(from: source, to: dir + "/config")
            config = dir + "/config"
            runDirectory = dir + "/run"
            ownSuite = try startSuite(dir: dir, database: o.database)
        }
        let ports = try await SuiteBench.waitUntilReady(runDirectory: runDirectory, suite: ownSuite)
        let county = try SimulationWorkload.County.load(configDirectory: config)
        var workload = SimulationWorkload(seed: o.seed, county: county, ticketsPerDay: o.ticketsPerDay)
        let bus = BusClient(socketPath: runDirectory + "/bus.sock", service: BusNames.admin, follows: [], logger: Logger(service: "hotline", level: .error))
        let busTask = Task { await bus.run() }
        defer {
            bus.stop()
            busTask.cancel()
        }
        try await waitUntil(timeout: 30) { bus.isConnected }
        let driver = SimulationDriver(ports: ports, workload: workload, bus: bus, workers: o.workers)
        for (service, body) in try await driver.readiness() where body["clock_mode"] as? String != "manual" {
            throw ConfigurationError("\(service) runs on the system clock: start the suite with hotline run --clock manual")
        }
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = o.start.split(separator: "-").map { Int($0)! }
        guard let first = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else {
            throw HotlineCommand.UsageError(message: "--start \(o.start) is not a date")
        }
        let terminal = isatty(STDOUT_FILENO) == 1 && !o.quiet
        let began = Date()
        var submitted = 0
        for day in 0..<o.days {
            let date = calendar.date(byAdding: .day, value: day, to: first)!
            let weekday = calendar.component(.weekday, from: date), month = calendar.component(.month, from: date)
            let tickets = workload.tickets(day: day, weekday: weekday, month: month)
            for hour in 8...18 {
                try await driver.timed("clock") { try await driver.move(to: date.addingTimeInterval(Double(hour) * 3600)) }
                let now = tickets.filter { $0.hour == hour }
                let spotCheckWeek = weekday == 2 && hour == 10 ? isoWeek(date.addingTimeInterval(-7 * 86_400), calendar: calendar) : nil
                try await driver.timed("work") {
                    try await driver.step(tickets: now, callbacksOpen: (9...17).contains(hour), spotCheckWeek: spotCheckWeek)
                }
                submitted += now.count
                if terminal {
                    let elapsed = Date().timeIntervalSince(began)
                    let line = String(format: "\r%@ %02d:00  day %d/%d  tickets %d  %.0f/s  lag %d   ", dayText(date, calendar), hour, day + 1, o.days,
                                      submitted, Double(submitted) / max(elapsed, 0.001), await driver.lag())
                    FileHandle.standardOutput.write(Data(line.utf8))
                }
            }
        }
        if terminal { FileHandle.standardOutput.write(Data("\n".utf8)) }
        let seconds = Date().timeIntervalSince(began)
        let end = calendar.date(byAdding: .day, value: o.days, to: first)!
        var summary = Summary(tickets: submitted, seconds: seconds, counts: driver.counts, timings: driver.timings)
        let bytes = try await report(driver, first: first, end: end, calendar: calendar, into: &summary)
        if let file = o.reportFile { try Data(bytes).write(to: URL(fileURLWithPath: file)) }
        return summary
    }

    /// The report the run ends with: the last month it covered to the end, published by kpi
    /// on its own three days later (the clock moves there, no new requests); else the month
    /// in progress, published on demand at the end.
    /// - Returns: the report's exact bytes.
    static func report(_ driver: SimulationDriver, first: Date, end: Date, calendar: Calendar, into summary: inout Summary) async throws -> [UInt8] {
        let endMonthStart = calendar.date(from: calendar.dateComponents([.year, .month], from: end))!
        let period: String
        let publishNow: Bool
        if endMonthStart > first {
            // A month ended inside the run: kpi publishes it report_publish_after (3 days in
            // the sample) after its end; the clock goes there (and an hour), no new requests.
            period = month(calendar.date(byAdding: .month, value: -1, to: endMonthStart)!, calendar)
            publishNow = false
            try await driver.move(to: max(driver.now, endMonthStart.addingTimeInterval(3 * 86_400 + 3600)))
        } else {
            period = month(first, calendar)
            publishNow = true
        }
        let (status, row, response) = try await driver.onWorkers([0]) { _, clients -> (Int, SendableRow, HTTPClient.Response) in
            if publishNow {
                let p = try driver.call(clients, "kpi", "POST", "/v1/reports/\(period)/publish", token: SimulationDriver.centre)
                guard p.status == 201 else { return (p.status, SendableRow([:]), p.headers) }
            }
            let r = try driver.call(clients, "kpi", "GET", "/v1/reports/\(period)", token: SimulationDriver.centre)
            return (r.status, SendableRow(r.body as? [String: Any] ?? [:]), r.headers)
        }[0]
        let body = row.value
        guard status == 200 else { throw ConfigurationError("no report for \(period): \(status) \(response.text.prefix(300))") }
        summary.reportPeriod = period
        summary.reportVersion = Int(response.header("x-report-version") ?? "") ?? 0
        summary.reportSHA256 = response.header("x-report-sha256") ?? ""
        summary.ranking = (body["ranking"] as? [[String: Any]] ?? []).map { r in
            let composite = ((r["rates"] as? [String: Any])?["composite"] as? Double).map { String(format: "%.2f", $0) } ?? "—"
            return (r["rank"] as? Int ?? 0, r["unit"] as? String ?? "", composite)
        }
        return response.body
    }

    static func startSuite(dir: String, database: String?) throws -> Process {
        var arguments = ["run", "--data", dir + "/data", "--run-dir", dir + "/run", "--config", dir + "/config", "--any-port", "--clock", "manual"]
        if let database { arguments += ["--database", database] }
        let suite = Process()
        suite.executableURL = URL(fileURLWithPath: HotlineCommand.binDirectory + "/hotline")
        suite.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOTLINE_DEMO"] = "1"
        environment["HOTLINE_LOG_LEVEL"] = "warning"
        suite.environment = environment
        FileManager.default.createFile(atPath: dir + "/suite.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/suite.log"))
        suite.standardOutput = log
        suite.standardError = log
        try suite.run()
        return suite
    }

    static func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { throw ConfigurationError("cannot reach the bus") }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    static func dayText(_ date: Date, _ calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static func month(_ date: Date, _ calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", c.year!, c.month!)
    }

    static func isoWeek(_ date: Date, calendar: Calendar) -> String {
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = calendar.timeZone
        let c = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!)
    }
}
