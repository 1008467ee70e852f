import Foundation
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
        var workers = 128
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
        /// The host's busy CPU seconds during each kind of step (empty when not measurable).
        var busySeconds: [String: Double] = [:]
        var reportPeriod = ""
        var reportVersion = 0
        var reportSHA256 = ""
        var reportBytes: [UInt8] = []
        var ranking: [(rank: Int, unit: String, composite: String)] = []
        /// CPU seconds per process over the simulated days (empty when not measurable).
        var cpuSeconds: [(process: String, seconds: Double)] = []
        /// Bytes each service had the storage write (empty when not measurable).
        var writtenBytes: [(process: String, bytes: UInt64)] = []
        /// Statements (and PostgreSQL round trips) each service's writer made per ticket.
        var exchanges: [(process: String, statements: Double, roundTrips: Double)] = []
    }

    static func main(_ args: [String]) async throws -> Int32 {
        let flags = try HotlineCommand.Flags(args, valued: ["--days", "--tickets-per-day", "--seed", "--start", "--speed", "--workers", "--database",
                                                             "--run-dir", "--config", "--report"], switches: ["--quiet"])
        guard flags.positional.isEmpty else { throw HotlineCommand.UsageError(message: "unexpected \(flags.positional[0])") }
        var o = try Options.parsed(flags)
        if let speed = flags.values["--speed"], speed != "max" {
            throw HotlineCommand.UsageError(message: "--speed max is the only speed: simulated time moves as fast as the suite settles")
        }
        o.database = flags.values["--database"]
        o.runDirectory = flags.values["--run-dir"]
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
        if !s.busySeconds.isEmpty {
            // Steps that leave cores idle (waiting on a chain of services) are where wall time is lost.
            lines.append("  host cores busy: " + s.timings.sorted { $0.value > $1.value }.compactMap { phase, seconds in
                s.busySeconds[phase].map { String(format: "%@ %.2f", phase, $0 / max(seconds, 0.001)) }
            }.joined(separator: ", ") + String(format: " (of %d)", ProcessInfo.processInfo.activeProcessorCount))
        }
        if !s.cpuSeconds.isEmpty {
            // CPU time varies less than wall time on a shared host: the figure to compare runs by.
            let perThousand = s.cpuSeconds.map { ($0.process, $0.seconds / Double(max(1, s.tickets)) * 1000) }
            let total = perThousand.reduce(0) { $0 + $1.1 }
            lines.append("  CPU s per 1,000 tickets: " + perThousand.map { String(format: "%@ %.2f", $0.0, $0.1) }.joined(separator: ", ")
                         + String(format: " = %.2f (%.2f ms a ticket)", total, total))
        }
        // On PostgreSQL the server writes, not the services: nothing to show.
        if !s.writtenBytes.isEmpty && s.writtenBytes.contains(where: { $0.bytes >= 1_000_000 }) {
            // Each commit rewrites whole pages (log, then database file): what the disk pays per ticket.
            let perThousand = s.writtenBytes.map { ($0.process, Double($0.bytes) / Double(max(1, s.tickets)) / 1_000) }
            lines.append("  MB written per 1,000 tickets: " + perThousand.map { String(format: "%@ %.1f", $0.0, $0.1) }.joined(separator: ", ")
                         + String(format: " = %.1f", perThousand.reduce(0) { $0 + $1.1 }))
        }
        if !s.exchanges.isEmpty {
            // On PostgreSQL each round trip is a wait on the server: what batching saves.
            lines.append("  writer statements per ticket (round trips, PostgreSQL): " + SuiteBench.Counters.exchangesText(s.exchanges))
        }
        if !s.reportPeriod.isEmpty {
            lines.append("report \(s.reportPeriod) version \(s.reportVersion): sha256 \(s.reportSHA256)")
            let shown = s.ranking.count <= 8 ? s.ranking : Array(s.ranking.prefix(5)) + Array(s.ranking.suffix(3))
            for r in shown { lines.append("  #\(r.rank) \(r.unit) composite \(r.composite)") }
        }
        return lines.joined(separator: "\n")
    }

    /// Runs the simulation against the suite in `runDirectory`, or one it starts itself.
    static func run(_ o: Options) async throws -> Summary {
        let session = try await SimulationSession.start(o)
        defer { session.stop() }
        try await session.simulate()
        var summary = try await session.finish()
        summary.counts = session.driver.counts
        summary.timings = session.driver.timings
        summary.busySeconds = session.driver.busySeconds
        return summary
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

extension SimulateCommand.Options {
    /// The workload options `simulate` and `chaos` share (days, volume, seed, start, workers,
    /// county), checked: a value out of range is a usage error, never silently replaced.
    static func parsed(_ flags: HotlineCommand.Flags, defaults: Self = Self()) throws -> Self {
        var o = defaults
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
        o.configDirectory = flags.values["--config"] ?? ProcessInfo.processInfo.environment["HOTLINE_CONFIG_DIR"]
        return o
    }
}
