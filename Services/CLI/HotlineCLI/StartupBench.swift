import Foundation
import HotlineCore
import HotlineHTTP

/// `hotline bench startup`: how long `hotline run` takes from launch to every service ready
/// — on a new data directory (migrations included) and again on the data it left — and what
/// the six processes hold in memory once idle (RSS, the figure an operator's `ps` shows).
enum StartupBench {
    static func run(database: String?, config: String) async throws -> Int32 {
        let dir = try ScratchSpace.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Bench.copyConfigWithoutRateLimits(from: config, to: dir + "/config")
        var failures: [String] = []
        for label in ["new data", "existing data"] {
            let (seconds, suite) = try await start(dir: dir, database: database)
            // Idle: let the first timers, checkpoints and connections settle before measuring.
            try await Task.sleep(nanoseconds: 3_000_000_000)
            let pids = try SuiteBench.processIDs(runDirectory: dir + "/run")
            let rss = SuiteBench.processes.map { SuiteBench.residentMB(pids[$0]!) }
            let total = rss.reduce(0, +)
            print(String(format: "startup [%@]: all ready %.2f s after launch; idle RSS %.0f MB (", label, seconds, total)
                  + zip(SuiteBench.processes, rss).map { String(format: "%@ %.0f", $0.0, $0.1) }.joined(separator: ", ") + ")")
            if seconds > 2 { failures.append(String(format: "%@: %.2f s to ready (target 2)", label, seconds)) }
            if total > 150 { failures.append(String(format: "%@: %.0f MB idle (target 150)", label, total)) }
            suite.stop(grace: 30)
        }
        print(failures.isEmpty ? "targets met (≤ 2 s, ≤ 150 MB)" : "targets missed: " + failures.joined(separator: "; "))
        return failures.isEmpty ? 0 : 1
    }

    /// Launches `hotline run` and polls every service's `/readyz` every 10 ms until all answer 200.
    private static func start(dir: String, database: String?) async throws -> (Double, Process) {
        try? FileManager.default.removeItem(atPath: dir + "/run")
        let launched = Date()
        let suite = try SuiteLauncher.launch(dir: dir, database: database, log: false)
        var ready: Set<String> = []
        let services = SuiteBench.processes.dropFirst()
        while ready.count < services.count {
            guard Date().timeIntervalSince(launched) < 120, suite.isRunning else {
                suite.stop()
                throw ConfigurationError("the suite did not become ready")
            }
            for service in services where !ready.contains(service) {
                guard let port = SuiteSupervisor.port(runDirectory: dir + "/run", service: service) else { continue }
                let client = HTTPClient(port: port)
                if let r = try? client.send("GET", "/readyz"), r.status == 200 { ready.insert(service) }
                client.close()
            }
            if ready.count < services.count { try await Task.sleep(nanoseconds: 10_000_000) }
        }
        return (Date().timeIntervalSince(launched), suite)
    }
}
