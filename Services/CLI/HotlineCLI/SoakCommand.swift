import Foundation
import HotlineCore

/// `hotline soak`: the whole suite (its own `hotline run`, SQLite unless `--database`) under a
/// constant offered load for many minutes — intake driven over HTTP by a separate load
/// process, open loop at `--rate` — printing each minute every process's RSS, the followers'
/// lag and the minute's p99; then a verdict: memory grew less than 10% after the warm-up (the
/// first fifth of the run), the lag stayed bounded, and everything drained at the end.
enum SoakCommand {
    static func main(_ args: [String]) async throws -> Int32 {
        let flags = try HotlineCommand.Flags(args, valued: ["--minutes", "--rate", "--connections", "--database", "--config"], switches: [])
        guard flags.positional.isEmpty else { throw HotlineCommand.UsageError(message: "unexpected \(flags.positional[0])") }
        guard let minutes = Int(flags.values["--minutes"] ?? "10"), (2...10_000).contains(minutes) else {
            throw HotlineCommand.UsageError(message: "--minutes is a number from 2")
        }
        guard let rate = Double(flags.values["--rate"] ?? "1000"), rate > 0, rate <= 100_000 else {
            throw HotlineCommand.UsageError(message: "--rate is tickets per second, up to 100000")
        }
        guard let connections = Int(flags.values["--connections"] ?? "32"), (1...1024).contains(connections) else {
            throw HotlineCommand.UsageError(message: "--connections is a number from 1 to 1024")
        }
        guard let config = flags.values["--config"] ?? ProcessInfo.processInfo.environment["HOTLINE_CONFIG_DIR"] ?? HotlineCommand.defaultConfigDirectory()
        else { throw ConfigurationError("pass --config DIR") }

        let dir = try ScratchSpace.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Bench.copyConfigWithoutRateLimits(from: config, to: dir + "/config")
        let suite = try SuiteLauncher.launch(dir: dir, database: flags.values["--database"])
        defer { suite.stop(grace: 30) }
        let ports = try await SuiteBench.waitUntilReady(runDirectory: dir + "/run", suite: suite)
        let pids = try SuiteBench.processIDs(runDirectory: dir + "/run")
        say(String(format: "soak: %d minutes at %.0f tickets/s offered, %d connections, %@", minutes, rate, connections,
                     flags.values["--database"] == nil ? "SQLite" : "PostgreSQL"))
        say("minute  accepted/s  p99 ms  lag     RSS MB: " + SuiteBench.processes.joined(separator: " "))
        var totals: [Double] = [], lagsSeen: [Int] = [], p99s: [Double] = []
        var failed = 0
        for minute in 1...minutes {
            let load = try SuiteBench.runLoadProcess(["bench", "load", "--port", String(ports["intake"]!), "--tickets", String(Int(rate * 60)),
                                                      "--connections", String(connections), "--rate", String(rate)])
            failed += load.failed
            let lag = try await SuiteBench.lags(ports: ports).values.reduce(0, +)
            let rss = SuiteBench.processes.map { SuiteBench.residentMB(pids[$0]!) }
            totals.append(rss.reduce(0, +))
            lagsSeen.append(lag)
            p99s.append(load.p99)
            say(String(format: "%6d  %10.0f  %6.1f  %-6d  %6.1f total: ", minute, load.rate, load.p99, lag, rss.reduce(0, +))
                  + rss.map { String(format: "%.0f", $0) }.joined(separator: " "))
        }
        let drained = try await SuiteBench.waitUntilDrained(ports: ports, timeout: 120)
        // After the warm-up (the first fifth of the run, at least a minute: caches and pools
        // fill) memory should level off.
        let warm = max(1, min(minutes - 1, (minutes + 4) / 5))
        let growth = (totals.last! - totals[warm - 1]) / totals[warm - 1]
        // Bounded: the lag at the end is no worse than the largest seen in the first half
        // plus ten seconds of load (it does not grow without end).
        let firstHalf = lagsSeen.prefix(max(1, minutes / 2)).max() ?? 0
        let bounded = (lagsSeen.last ?? 0) <= firstHalf + Int(rate * 10)
        var problems: [String] = []
        if growth >= 0.10 { problems.append(String(format: "memory grew %.1f%% after warm-up", growth * 100)) }
        if !bounded { problems.append("lag kept growing (\(lagsSeen.map(String.init).joined(separator: " → ")))") }
        if !drained { problems.append("the followers did not drain within 120 s of the end") }
        if failed > 0 { problems.append("\(failed) requests failed") }
        let summary = String(format: "memory %+.1f%% after warm-up (%.0f → %.0f MB), lag at most %d, p99 %.1f–%.1f ms, %@",
                             growth * 100, totals[warm - 1], totals.last!, lagsSeen.max() ?? 0, p99s.min() ?? 0, p99s.max() ?? 0,
                             drained ? "drained at the end" : "NOT drained")
        say((problems.isEmpty ? "verdict: PASS — " : "verdict: FAIL — " + problems.joined(separator: "; ") + "; ") + summary)
        return problems.isEmpty ? 0 : 1
    }
}
