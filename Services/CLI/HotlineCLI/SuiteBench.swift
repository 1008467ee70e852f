import Foundation
import Glibc
import HotlineCore
import HotlineHTTP

/// `hotline bench suite`: the whole suite as users run it (`hotline run`: the bus and five
/// services, each its own process), intake driven over real HTTP by a load generator in a
/// process of its own (`hotline bench load`). Two runs: closed loop (as fast as intake
/// accepts) and open loop at `--rate` (latency counted from each request's due time). For
/// each: tickets/s, p50/p99, every consumer's lag when the load stops and how long the
/// suite takes to drain it, the CPU seconds each process spent per 1,000 tickets (load
/// and drain together: what receiving, dispatching, deadlines and figures cost), and each
/// service's commits and events applied (per 1,000 tickets, and applied per second).
enum SuiteBench {
    static let processes = ["bus", "intake", "dispatch", "supervision", "survey", "kpi"]

    static func run(tickets: Int, connections: Int, rate: Double, database: String?, config: String, peer: PeerTarget?) async throws {
        let dir = try ScratchSpace.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Bench.copyConfigWithoutRateLimits(from: config, to: dir + "/config")
        let suite = try SuiteLauncher.launch(dir: dir, database: database)
        defer { suite.stop(grace: 30) }
        let ports = try await waitUntilReady(runDirectory: dir + "/run", suite: suite)
        let pids = try processIDs(runDirectory: dir + "/run")
        print("suite: \(database == nil ? "sqlite" : "postgres"), \(connections) keep-alive connections from a separate load process; "
              + "pids \(processes.map { "\($0) \(pids[$0]!)" }.joined(separator: ", "))")
        print("  idle RSS: " + rssText(pids))
        // A short warm-up, so that the first run does not pay for connections and caches.
        _ = try await phase(label: nil, tickets: min(1000, tickets), connections: connections, rate: nil, ports: ports, pids: pids)
        let closed = try await phase(label: "closed loop", tickets: tickets, connections: connections, rate: nil, ports: ports, pids: pids)
        let open = try await phase(label: String(format: "offered %.0f/s", rate), tickets: max(1, Int(rate * 10)), connections: connections,
                                   rate: rate, ports: ports, pids: pids)
        print("  RSS after the runs: " + rssText(pids))
        if let peer {
            // The same two runs against the peer, after the suite's (the machine is theirs alone).
            let peerClosed = try peerPhase("closed loop", tickets: tickets, connections: connections, rate: nil, peer: peer)
            let peerOpen = try peerPhase(String(format: "offered %.0f/s", rate), tickets: max(1, Int(rate * 10)),
                                         connections: connections, rate: rate, peer: peer)
            func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? String(format: "%.1f", a / b) : "∞" }
            print("hotline / django-helpdesk: closed loop \(ratio(closed.rate, peerClosed.rate))× the tickets/s, "
                  + "p99 \(ratio(peerClosed.p99, closed.p99))× lower; offered \(Int(rate))/s \(ratio(open.rate, peerOpen.rate))× the tickets/s, "
                  + "p99 \(ratio(peerOpen.p99, open.p99))× lower")
        }
    }

    /// One load run against the peer; prints what it measured.
    private static func peerPhase(_ label: String, tickets: Int, connections: Int, rate: Double?, peer: PeerTarget) throws -> LoadResult {
        var arguments = ["bench", "load", "--port", String(peer.port), "--tickets", String(tickets), "--connections", String(connections)]
        arguments += peer.loadArguments
        if let rate { arguments += ["--rate", String(rate)] }
        let load = try runLoadProcess(arguments)
        let refused = load.statuses.filter { $0.key != "201" }.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key == "0" ? "no answer" : $0.key)" }
        print(String(format: "django-helpdesk [%@]: %d tickets in %.2f s = %.0f tickets/s accepted; p50 %.1f ms, p99 %.1f ms; %d failed%@",
                     label, load.accepted, load.seconds, load.rate, load.p50, load.p99, load.failed,
                     refused.isEmpty ? "" : " (" + refused.joined(separator: ", ") + ")"))
        return load
    }

    /// Each process's resident set (VmRSS) in MB and their total, then what it is made of:
    /// anonymous memory (heaps, caches) against mapped files (code and libraries, counted again
    /// in every process that maps them), and the proportional share (PSS: shared pages split
    /// between the processes sharing them), which is what the machine really spends.
    private static func rssText(_ pids: [String: Int32]) -> String {
        /// The named "Field: N kB" values of a /proc file (read once).
        func kilobytes(_ file: String, _ fields: [String]) -> [Double] {
            let lines = ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n")
            return fields.map { field in
                let line = lines.first { $0.hasPrefix(field + ":") } ?? ""
                return Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
            }
        }
        var total = 0.0, anonymous = 0.0, files = 0.0, proportional = 0.0
        let sizes = processes.map { name -> String in
            let status = kilobytes("/proc/\(pids[name]!)/status", ["VmRSS", "RssAnon", "RssFile"])
            total += status[0] / 1024
            anonymous += status[1] / 1024
            files += status[2] / 1024
            proportional += kilobytes("/proc/\(pids[name]!)/smaps_rollup", ["Pss"])[0] / 1024
            return String(format: "%@ %.0f", name, status[0] / 1024)
        }
        return sizes.joined(separator: ", ")
            + String(format: " = %.0f MB (anonymous %.0f, mapped files %.0f; proportional share %.0f MB)", total, anonymous, files, proportional)
    }

    /// One load run and its drain; prints its figures unless `label` is nil (warm-up).
    @discardableResult
    private static func phase(label: String?, tickets: Int, connections: Int, rate: Double?, ports: [String: Int],
                              pids: [String: Int32]) async throws -> LoadResult {
        let before = pids.mapValues(cpuSeconds)
        let writesBefore = pids.mapValues(storageWrites)
        let countersBefore = try await counters(ports: ports)
        var arguments = ["bench", "load", "--port", String(ports["intake"]!), "--tickets", String(tickets),
                         "--connections", String(connections)]
        if let rate { arguments += ["--rate", String(rate)] }
        let load = try runLoadProcess(arguments)
        let lagAtEnd = try await lags(ports: ports)
        let drainStarted = DispatchTime.now().uptimeNanoseconds
        let drained = try await waitUntilDrained(ports: ports, timeout: 300)
        let drainSeconds = Double(DispatchTime.now().uptimeNanoseconds - drainStarted) / 1e9
        let after = pids.mapValues(cpuSeconds)
        let writesAfter = pids.mapValues(storageWrites)
        let countersAfter = try await counters(ports: ports)
        let busySeconds = load.seconds + drainSeconds
        guard let label else { return load }
        let accepted = Double(load.accepted) / load.seconds
        let refused = load.statuses.filter { $0.key != "201" }.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key == "0" ? "no answer" : $0.key)" }
        print(String(format: "suite [%@]: %d tickets in %.2f s = %.0f tickets/s accepted; p50 %.1f ms, p99 %.1f ms; %d failed%@",
                     label, load.accepted, load.seconds, accepted, load.p50, load.p99, load.failed,
                     refused.isEmpty ? "" : " (" + refused.joined(separator: ", ") + ")"))
        print(String(format: "  answers slower than %.0f ms (by the second of the run they were due in): %@", IntakeLoad.Outcome.slowMs, load.slow))
        let lagText = lagAtEnd.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print(String(format: "  lag when the load stopped: %@; %@ %.1f s later", lagText.isEmpty ? "none" : lagText,
                     drained ? "all drained" : "NOT drained", drainSeconds))
        let perThousand = processes.map { name -> (String, Double) in
            (name, (after[name]! - before[name]!) / Double(max(1, load.accepted)) * 1000)
        }
        let total = perThousand.reduce(0) { $0 + $1.1 }
        print("  CPU s per 1,000 tickets (load and drain): "
              + perThousand.map { String(format: "%@ %.2f", $0.0, $0.1) }.joined(separator: ", ")
              + String(format: " = %.2f (%.2f ms a ticket); load generator %.2f", total, total, load.cpuSeconds / Double(max(1, load.accepted)) * 1000))
        let thousandths = { (after: [String: Double], before: [String: Double], name: String) in
            (after[name, default: 0] - before[name, default: 0]) / Double(max(1, load.accepted)) * 1000
        }
        let commitText = processes.dropFirst().map { name in
            let all = thousandths(countersAfter.commits, countersBefore.commits, name)
            return String(format: "%@ %.0f (synced %.0f)", name, all, all - thousandths(countersAfter.unsynced, countersBefore.unsynced, name))
        }
        print("  commits per 1,000 tickets (synced: an fsync on SQLite): " + commitText.joined(separator: ", "))
        if let exchanges = countersAfter.exchangesPerTicket(since: countersBefore, tickets: load.accepted) {
            print("  writer statements per ticket (round trips, PostgreSQL): " + Counters.exchangesText(exchanges))
        }
        // Log frames, checkpoints and files together: on two cores the write path is a large
        // part of each service's kernel time.
        let writeText = processes.dropFirst().map { name in
            let (a, b) = (writesAfter[name]!, writesBefore[name]!)
            let tickets = Double(max(1, load.accepted))
            return String(format: "%@ %.1f KB (%.0f write calls, sockets included)", name, (a.bytes - b.bytes) / tickets / 1024, (a.calls - b.calls) / tickets)
        }
        print("  written to storage per ticket: " + writeText.joined(separator: ", "))
        let appliedText = processes.dropFirst().map { name in
            let applied = countersAfter.applied[name, default: 0] - countersBefore.applied[name, default: 0]
            return String(format: "%@ %.0f (%.0f/s)", name, applied / Double(max(1, load.accepted)) * 1000, applied / busySeconds)
        }
        print("  events applied per 1,000 tickets (and per second of load and drain): " + appliedText.joined(separator: ", "))
        // Pushes the consumer missed or dropped come by fetch: read, sent and decoded once more.
        let fetchedText = processes.dropFirst().map { name in
            String(format: "%@ %.0f (%.0f fetches)", name, thousandths(countersAfter.fetched, countersBefore.fetched, name),
                   thousandths(countersAfter.fetches, countersBefore.fetches, name))
        }
        print("  events received by catch-up fetch per 1,000 tickets: " + fetchedText.joined(separator: ", "))
        return load
    }

    /// Each service's counters so far, summed over their labels, from one read of its /metrics.
    struct Counters {
        /// Metric name → service → value.
        var values: [String: [String: Double]] = [:]
        var commits: [String: Double] { values["hotline_db_commits_total", default: [:]] }
        var unsynced: [String: Double] { values["hotline_db_unsynced_commits_total", default: [:]] }
        var applied: [String: Double] { values["hotline_events_applied_total", default: [:]] }
        var fetched: [String: Double] { values["hotline_events_fetched_total", default: [:]] }
        var fetches: [String: Double] { values["hotline_catch_up_fetches_total", default: [:]] }
        var statements: [String: Double] { values["hotline_db_writer_statements_total", default: [:]] }
        var roundTrips: [String: Double] { values["hotline_db_writer_round_trips_total", default: [:]] }
        static let names = ["hotline_db_commits_total", "hotline_db_unsynced_commits_total", "hotline_events_applied_total",
                            "hotline_events_fetched_total", "hotline_catch_up_fetches_total", "hotline_db_writer_statements_total",
                            "hotline_db_writer_round_trips_total"]

        /// Per service, what its writer asked of the database per ticket between `before` and
        /// this: statements and round trips. Nil when a counter went back (a restart).
        func exchangesPerTicket(since before: Counters, tickets: Int) -> [(process: String, statements: Double, roundTrips: Double)]? {
            var out: [(process: String, statements: Double, roundTrips: Double)] = []
            for name in SuiteBench.processes.dropFirst() {
                let statements = self.statements[name, default: 0] - before.statements[name, default: 0]
                let roundTrips = self.roundTrips[name, default: 0] - before.roundTrips[name, default: 0]
                guard statements >= 0, roundTrips >= 0 else { return nil }
                out.append((name, statements / Double(max(1, tickets)), roundTrips / Double(max(1, tickets))))
            }
            return out
        }

        /// "intake 8.1 (2.0), dispatch …": statements per ticket and, on PostgreSQL, round trips.
        static func exchangesText(_ rows: [(process: String, statements: Double, roundTrips: Double)]) -> String {
            let roundTripsShown = rows.contains { $0.roundTrips > 0 }
            let parts = rows.map { r in
                String(format: "%@ %.1f", r.process, r.statements) + (roundTripsShown ? String(format: " (%.1f)", r.roundTrips) : "")
            }
            let statements = rows.reduce(0) { $0 + $1.statements }, roundTrips = rows.reduce(0) { $0 + $1.roundTrips }
            return parts.joined(separator: ", ") + String(format: " = %.1f", statements) + (roundTripsShown ? String(format: " (%.1f)", roundTrips) : "")
        }
    }

    /// The HTTP port of each service, from the run directory's URL files (those found).
    static func ports(runDirectory: String) -> [String: Int] {
        var ports: [String: Int] = [:]
        for service in processes.dropFirst() {
            if let port = SuiteSupervisor.port(runDirectory: runDirectory, service: service) { ports[service] = port }
        }
        return ports
    }

    static func counters(ports: [String: Int]) async throws -> Counters {
        var counters = Counters()
        for (service, port) in ports {
            let text = try await HTTPClient(port: port).request("GET", "/metrics").text
            for line in text.split(separator: "\n") {
                guard let brace = line.firstIndex(of: "{"), Counters.names.contains(String(line[..<brace])) else { continue }
                let value = Double(line.split(separator: " ").last ?? "") ?? 0
                counters.values[String(line[..<brace]), default: [:]][service, default: 0] += value
            }
        }
        return counters
    }

    struct LoadResult: Decodable {
        let accepted: Int
        let failed: Int
        let seconds: Double
        let p50: Double
        let p99: Double
        let cpuSeconds: Double
        let statuses: [String: Int]
        /// `IntakeLoad.Outcome.slowSummary`.
        let slow: String

        /// Accepted tickets per second.
        var rate: Double { seconds > 0 ? Double(accepted) / seconds : 0 }

        enum CodingKeys: String, CodingKey {
            case accepted, failed, seconds, p50, p99, statuses, slow
            case cpuSeconds = "cpu_seconds"
        }
    }

    static func runLoadProcess(_ arguments: [String]) throws -> LoadResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: HotlineCommand.binDirectory + "/hotline")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitForExit()
        guard process.terminationStatus == 0 else { throw ConfigurationError("the load process failed (\(process.terminationStatus))") }
        return try JSONDecoder().decode(LoadResult.self, from: data)
    }

    /// Each follower's lag (`consumer←stream`), from the services' /readyz.
    static func lags(ports: [String: Int]) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for (service, port) in ports {
            let response = try await HTTPClient(port: port).request("GET", "/readyz")
            let body = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            for (stream, status) in body?["streams"] as? [String: [String: Any]] ?? [:] {
                let lag = status["lag"] as? Int ?? 0
                if lag > 0 { out["\(service)←\(stream)"] = lag }
            }
        }
        return out
    }

    /// Drained: no follower lags, twice in a row 200 ms apart.
    static func waitUntilDrained(ports: [String: Int], timeout: TimeInterval) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var quietPolls = 0
        while Date() < deadline {
            quietPolls = try await lags(ports: ports).isEmpty ? quietPolls + 1 : 0
            if quietPolls >= 2 { return true }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        return false
    }

    /// - Parameter suite: the `hotline run` started for this, if any (its exit fails the wait).
    static func waitUntilReady(runDirectory: String, suite: Process?) async throws -> [String: Int] {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let suite, !suite.isRunning { throw ConfigurationError("hotline run exited (\(suite.terminationStatus)); see its log") }
            var ports: [String: Int] = [:]
            for (service, port) in Self.ports(runDirectory: runDirectory) where await SuiteSupervisor.isReady("http://127.0.0.1:\(port)") {
                ports[service] = port
            }
            if ports.count == processes.count - 1 { return ports }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        throw ConfigurationError("the suite did not become ready in 120 s")
    }

    /// The pid of each process, from its pid file, confirmed by /proc (pids recycle).
    /// Resident set size of a process in MB (/proc/PID/status VmRSS).
    static func residentMB(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb / 1024
    }

    static func processIDs(runDirectory: String) throws -> [String: Int32] {
        var out: [String: Int32] = [:]
        for name in processes {
            let text = (try? String(contentsOfFile: runDirectory + "/\(name).pid", encoding: .utf8)) ?? ""
            guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                String(decoding: cmdline, as: UTF8.self).contains(name == "survey" ? "callback-survey" : name)
            else { throw ConfigurationError("cannot find the \(name) process") }
            out[name] = pid
        }
        return out
    }

    /// User plus system CPU seconds of a process so far (/proc/PID/stat, clock ticks).
    static func cpuSeconds(_ pid: Int32) -> Double {
        // utime and stime are fields 14 and 15.
        guard let fields = statFields(pid), fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The bytes a process has had the storage write (`write_bytes` of /proc/PID/io); nil
    /// when the kernel does not say (no task I/O accounting, or another user's process).
    static func writtenBytes(_ pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("write_bytes:") {
            return UInt64(line.dropFirst("write_bytes:".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// When a process started, in clock ticks after boot (field 22 of /proc/PID/stat): with the
    /// id, it tells a process from a later one that got the same id.
    static func startTime(_ pid: Int32) -> UInt64? {
        guard let fields = statFields(pid), fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    /// The fields of /proc/PID/stat from field 3 (state) on; the command name before them may
    /// hold spaces, so they start after its last ')'.
    private static func statFields(_ pid: Int32) -> [Substring]? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    /// CPU seconds the whole host has spent busy since boot (every core's user, system, irq
    /// and steal time from /proc/stat), nil when unreadable: divided by a span's wall time, how
    /// many cores were busy in it.
    static func hostBusySeconds() -> Double? {
        guard let data = FileManager.default.contents(atPath: "/proc/stat") else { return nil }
        let line = String(decoding: data.prefix { $0 != 10 }, as: UTF8.self).split(separator: " ")
        guard line.first == "cpu", line.count > 5 else { return nil }
        let ticks = line.dropFirst().compactMap { Double($0) }
        guard ticks.count >= 5 else { return nil }
        // user nice system idle iowait irq softirq steal (guest time is already in user)
        let busy = ticks.prefix(8).enumerated().filter { $0.offset != 3 && $0.offset != 4 }.reduce(0) { $0 + $1.element }
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Bytes a process has caused to be written to storage and its write calls so far
    /// (/proc/PID/io `write_bytes`, `syscw`); zeros when unreadable.
    static func storageWrites(_ pid: Int32) -> (bytes: Double, calls: Double) {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/io") else { return (0, 0) }
        var fields: [Substring: Double] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: ":")
            if parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) { fields[parts[0]] = value }
        }
        return (fields["write_bytes"] ?? 0, fields["syscw"] ?? 0)
    }

    // MARK: the load process

    /// `hotline bench load --port P --tickets N --connections C [--rate R]`: posts unique
    /// tickets with random phones and prints one JSON line with what it measured.
    static func load(port: Int, tickets: Int, connections: Int, rate: Double?, peer: PeerTarget? = nil) throws {
        let runID = UUID().uuidString.prefix(8)
        var generator = SystemRandomNumberGenerator()
        // Mobile numbers 13x–19x: unique callers, as a city's calls mostly are.
        let phones = (0..<tickets).map { _ in "1" + String(Int.random(in: 3_000_000_000...9_999_999_999, using: &generator)) }
        let head = Array("POST /v1/tickets HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: Bearer demo-key-phone_12345\r\nContent-Type: application/json\r\n".utf8)
        let regions = ["330901001001001", "330901003002004", "330901002001002", "330901004003001"]
        let categories = ["city.sanitation", "city.street_light", "city.noise_night", "housing.elevator"]
        let load = IntakeLoad(port: port, connections: connections, tickets: tickets, rate: rate) { i in
            if let peer { return peer.request(i, runID: runID, phone: phones[i - 1]) }
            let body = #"{"channel_ref":"suite-\#(runID)-\#(i)","kind":"complaint","category":"\#(categories[i % categories.count])","content":"小区门口垃圾三天没有清运，气味很大","caller":{"name":"王先生","phone":"\#(phones[i - 1])"},"location":{"address":"城关街道光明社区","region":"\#(regions[i % regions.count])"}}"#
            return head + Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
        }
        let cpuBefore = processCPUSeconds()
        let outcome = try load.run()
        let result: JSONValue = .object([
            "accepted": .number(Double(tickets - outcome.failures)), "failed": .number(Double(outcome.failures)),
            "seconds": .number(outcome.seconds), "p50": .number(outcome.percentile(0.5)), "p99": .number(outcome.percentile(0.99)),
            "cpu_seconds": .number(processCPUSeconds() - cpuBefore),
            "slow": .string(outcome.slowSummary),
            "statuses": .object(Dictionary(uniqueKeysWithValues: outcome.statuses.map { (String($0.key), JSONValue.number(Double($0.value))) })),
        ])
        print(try CanonicalJSON.string(result))
    }
}
