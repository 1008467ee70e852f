import BusService
import Foundation
import HotlineBus
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams
import IntakeService
import KPIService

/// `hotline bench`: benchmarks that print figures. Timings on shared machines are noisy, so
/// each prints a baseline measured in the same run next to the figure of interest.
enum Bench {
    static func main(_ args: [String]) async throws -> Int32 {
        guard let which = args.first else { throw HotlineCommand.UsageError(message: "use: hotline bench bus|intake|dispatch|supervision|kpi|suite|startup|hash") }
        let flags = try HotlineCommand.Flags(Array(args.dropFirst()), valued: ["--events", "--tickets", "--connections", "--database", "--config", "--rate", "--only", "--deadlines", "--keep", "--port", "--peer", "--peer-path", "--peer-queue", "--peer-token"],
                                             switches: [])
        switch which {
        case "bus":
            let n = Int(flags.values["--events"] ?? "200000") ?? 200_000
            guard n >= BusBench.batch else { throw HotlineCommand.UsageError(message: "--events must be at least \(BusBench.batch)") }
            guard let config = flags.values["--config"] ?? HotlineCommand.defaultConfigDirectory() else {
                throw ConfigurationError("no county configuration found; pass --config DIR")
            }
            try await BusBench.run(events: n, config: config)
        case "intake":
            let tickets = Int(flags.values["--tickets"] ?? "20000") ?? 20_000
            let connections = Int(flags.values["--connections"] ?? "32") ?? 32
            guard let config = flags.values["--config"] ?? HotlineCommand.defaultConfigDirectory() else {
                throw ConfigurationError("no county configuration found; pass --config DIR")
            }
            let rate = flags.values["--rate"].flatMap(Double.init)
            if let rate, rate <= 0 { throw HotlineCommand.UsageError(message: "--rate must be positive") }
            let modes: [IntakeMode]
            switch flags.values["--only"] {
            case nil: modes = IntakeMode.allCases
            case let name?:
                guard let mode = IntakeMode(rawValue: name) else { throw HotlineCommand.UsageError(message: "--only takes baseline, group or pipelined") }
                modes = [mode]
            }
            try await intake(tickets: tickets, connections: connections, database: flags.values["--database"], config: config, rate: rate,
                             modes: modes)
        case "dispatch":
            let events = Int(flags.values["--events"] ?? "100000") ?? 100_000
            guard let config = flags.values["--config"] ?? HotlineCommand.defaultConfigDirectory() else {
                throw ConfigurationError("no county configuration found; pass --config DIR")
            }
            let rate = Double(flags.values["--rate"] ?? "200") ?? 200
            guard events > 0, rate > 0 else { throw HotlineCommand.UsageError(message: "--events and --rate must be positive") }
            try await DispatchBench.run(events: events, database: flags.values["--database"], config: config, rate: rate)
        case "kpi":
            let tickets = Int(flags.values["--tickets"] ?? "1000000") ?? 1_000_000
            guard tickets > 0 else { throw HotlineCommand.UsageError(message: "--tickets must be positive") }
            guard let config = flags.values["--config"] ?? HotlineCommand.defaultConfigDirectory() else {
                throw ConfigurationError("no county configuration found; pass --config DIR")
            }
            // --keep DIR: build the store there once, measure it again on later runs.
            let kept = flags.values["--keep"]
            let dir = try kept ?? ScratchSpace.makeDirectory()
            defer { if kept == nil { try? FileManager.default.removeItem(atPath: dir) } }
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try await KPIScaleBench.run(tickets: tickets, database: flags.values["--database"], config: config, directory: dir, keep: kept != nil)
        case "supervision":
            let deadlines = Int(flags.values["--deadlines"] ?? "1000000") ?? 1_000_000
            guard deadlines > 0 else { throw HotlineCommand.UsageError(message: "--deadlines must be positive") }
            guard let config = flags.values["--config"] ?? HotlineCommand.defaultConfigDirectory() else {
                throw ConfigurationError("no county configuration found; pass --config DIR")
            }
            try await SupervisionBench.run(deadlines: deadlines, database: flags.values["--database"], config: config)
        case "suite":
            let tickets = Int(flags.values["--tickets"] ?? "20000") ?? 0
            let connections = Int(flags.values["--connections"] ?? "32") ?? 0
            let rate = Double(flags.values["--rate"] ?? "2000") ?? 0
            guard tickets > 0, connections > 0, rate > 0 else {
                throw HotlineCommand.UsageError(message: "--tickets, --connections and --rate must be positive")
            }
            guard let config = flags.values["--config"] ?? HotlineCommand.defaultConfigDirectory() else {
                throw ConfigurationError("no county configuration found; pass --config DIR")
            }
            // --peer URL TOKEN: the same runs against django-helpdesk (deploy/scripts/peer-helpdesk.sh).
            let peer = try flags.values["--peer"].map { try PeerTarget(url: $0, token: flags.positional.first ?? "") }
            try await SuiteBench.run(tickets: tickets, connections: connections, rate: rate, database: flags.values["--database"], config: config,
                                     peer: peer)
        case "startup":
            guard let config = flags.values["--config"] ?? HotlineCommand.defaultConfigDirectory() else {
                throw ConfigurationError("no county configuration found; pass --config DIR")
            }
            return try await StartupBench.run(database: flags.values["--database"], config: config)
        case "hash":
            HashBench.run()
        case "load":
            // The suite benchmark's load generator, run as a process of its own.
            guard let port = flags.values["--port"].flatMap(Int.init), let tickets = flags.values["--tickets"].flatMap(Int.init),
                let connections = flags.values["--connections"].flatMap(Int.init), tickets > 0, connections > 0
            else { throw HotlineCommand.UsageError(message: "use: hotline bench load --port P --tickets N --connections C [--rate R]") }
            var peer: PeerTarget?
            if let path = flags.values["--peer-path"], let token = flags.values["--peer-token"] {
                peer = PeerTarget(port: port, path: path, queue: flags.values["--peer-queue"].flatMap(Int.init) ?? 1, token: token)
            }
            try SuiteBench.load(port: port, tickets: tickets, connections: connections, rate: flags.values["--rate"].flatMap(Double.init), peer: peer)
        default:
            throw HotlineCommand.UsageError(message: "unknown benchmark \(which)")
        }
        return 0
    }

    /// A copy of the county's configuration whose channels have no practical rate limit:
    /// benchmarks measure the suite, not the limiter.
    static func copyConfigWithoutRateLimits(from config: String, to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: config) {
            try FileManager.default.copyItem(atPath: config + "/" + name, toPath: dir + "/" + name)
        }
        let channelsPath = dir + "/channels.json"
        var channels = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: channelsPath))) as? [[String: Any]] ?? []
        for i in channels.indices { channels[i]["rate_per_minute"] = 100_000_000 }
        try JSONSerialization.data(withJSONObject: channels).write(to: URL(fileURLWithPath: channelsPath))
    }

    // MARK: intake

    /// - Parameter rate: when set, an open-loop run: requests are sent on a fixed schedule and
    ///   latency counts from each one's scheduled time, so a stall cannot hide queueing.
    static func intake(tickets: Int, connections: Int, database: String?, config: String, rate: Double?, modes: [IntakeMode]) async throws {
        // The benchmark measures intake, not the channel's rate limit: lift it in a copy.
        let dir = try ScratchSpace.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try copyConfigWithoutRateLimits(from: config, to: dir)
        let county = try CountyConfig.load(directory: dir)
        for mode in modes {
            try await intakeRun(label: mode.label, maxBatch: mode.maxBatch, pipelinesSyncs: mode == .pipelined, tickets: tickets,
                                connections: connections, database: database, county: county, rate: rate)
        }
    }

    private static func intakeRun(label: String, maxBatch: Int, pipelinesSyncs: Bool, tickets: Int, connections: Int, database: String?,
                                  county: CountyConfig, rate: Double?) async throws {
        let dir = try ScratchSpace.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var env = ProcessInfo.processInfo.environment
        env["HOTLINE_DATABASE_URL"] = database ?? "sqlite:" + dir + "/data"
        env["HOTLINE_RUN_DIR"] = dir
        env["HOTLINE_INTAKE_PORT"] = "0"
        env["HOTLINE_DB_MAX_BATCH"] = String(maxBatch)
        var settings = try ServiceSettings.fromEnvironment(service: "intake", EnvironmentReader(env))
        settings.pipelinesSyncs = pipelinesSyncs
        let logger = Logger(service: "intake", level: .error)
        let service = try await RunningService.start(
            IntakeService(phoneKey: "bench"), settings: settings, county: county, calendar: try WorkingCalendar(county.calendar),
            clock: SystemClock(), logger: logger)
        if case .postgres = settings.database {
            // A shared PostgreSQL keeps the schema between runs: start from a clean table.
            _ = try await service.context.database.write { tx in try tx.execute("DELETE FROM tickets") }
        }
        let port = service.port
        let runID = UUID().uuidString.prefix(8)
        let head = Array("POST /v1/tickets HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: Bearer demo-key-phone_12345\r\nContent-Type: application/json\r\n".utf8)
        let load = IntakeLoad(port: port, connections: connections, tickets: tickets, rate: rate) { i in
            let body = #"{"channel_ref":"bench-\#(runID)-\#(i)","kind":"complaint","category":"city.sanitation","content":"小区门口垃圾三天没有清运，气味很大","caller":{"name":"王先生","phone":"138\#(String(format: "%08d", i))"},"location":{"address":"城关街道光明社区","region":"330901001001001"}}"#
            return head + Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
        }
        let cpuBefore = processCPUSeconds()
        let switchesBefore = processContextSwitches()
        let writesBefore = SuiteBench.storageWrites(getpid())
        // The generator blocks its thread in poll(2): give it one of its own, not a pool thread.
        let outcome = try await withCheckedThrowingContinuation { (done: CheckedContinuation<IntakeLoad.Outcome, any Error>) in
            Thread { done.resume(with: Result { try load.run() }) }.start()
        }
        let seconds = outcome.seconds
        let cpu = processCPUSeconds() - cpuBefore
        let switches = processContextSwitches() - switchesBefore
        let written = SuiteBench.storageWrites(getpid()).bytes - writesBefore.bytes
        let stats = service.context.database.commitStats
        let mode = rate.map { String(format: "offered %.0f/s", $0) } ?? "closed loop"
        // Pipelined: fewer syncs than commits, one covering each run of commits made meanwhile.
        let syncs = stats.logSyncs > 0 ? ", \(stats.logSyncs) log syncs" : ""
        print(String(format: "intake [%@, %@, %@]: %d tickets, %d connections: %.0f tickets/s durably accepted; p50 %.1f ms, p99 %.1f ms; %d commits (%.1f writes/commit%@); %d failed",
                     label, service.context.database.engine.rawValue, mode, tickets, connections, Double(tickets) / seconds, outcome.percentile(0.5), outcome.percentile(0.99),
                     stats.commits, stats.commits == 0 ? 0 : Double(stats.writes) / Double(stats.commits), syncs, outcome.failures))
        // Where the time goes: the writer thread is serial, so its busy share bounds throughput;
        // process CPU counts the service and the load generator together.
        // Storage writes (log frames, checkpoints) are the writer's main cost after SQLite's own work.
        // Voluntary context switches count thread hand-offs (each a sleep and a wake-up): unlike
        // time, they hardly vary with how busy the host is.
        print(String(format: "  writer busy in transactions %.0f%% of the run (%.0f µs per ticket); process CPU %.0f µs per ticket (%.2f of %d cores), %.1f voluntary context switches per ticket; written to storage %.1f KB per ticket",
                     stats.commitSecondsTotal / seconds * 100, stats.commitSecondsTotal / Double(tickets) * 1e6,
                     cpu / Double(tickets) * 1e6, cpu / seconds, ProcessInfo.processInfo.activeProcessorCount,
                     Double(switches) / Double(tickets), written / Double(tickets) / 1024))
        service.requestStop()
        await service.waitUntilStopped()
    }
}

/// The intake runs: the baseline commits and syncs each request alone; group commit shares a
/// commit and its sync among the requests waiting, syncing inside the commit (as before
/// `LogSyncer`); pipelined (the default) commits the next group while the last one syncs.
enum IntakeMode: String, CaseIterable {
    case baseline, group, pipelined

    var label: String {
        switch self {
        case .baseline: return "one commit per request (baseline)"
        case .group: return "group commit, synced in the commit"
        case .pipelined: return "group commit, syncs pipelined"
        }
    }
    var maxBatch: Int { self == .baseline ? 1 : 512 }
}

/// How often this process's threads (ended ones included) went to sleep waiting — for a
/// lock, a semaphore, a socket, the disk — so far (voluntary context switches; preemptions,
/// which depend on the host's load, are not counted).
func processContextSwitches() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_nvcsw
}

/// User plus system CPU time of this process so far.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

