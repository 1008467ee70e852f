import Foundation
import Glibc
import HotlineCore
import Synchronization

/// Kills a process of the suite every `interval` seconds (±50%): the bus or a service
/// (`hotline run` restarts it), PostgreSQL (restarted at once, immediate mode: a crash), or
/// `hotline run` itself (started again on the same data). Which one is drawn from the seed;
/// when is up to the machine, which is the point.
final class ChaosMonkey: @unchecked Sendable {
    // @unchecked: state behind `state`; the session's suite is replaced only here.
    let session: SimulationSession
    let mode: ChaosCommand.Mode
    let postgresData: String?
    private let state: Mutex<(rounds: Int, log: [String], random: SimulationRandom)>

    init(session: SimulationSession, mode: ChaosCommand.Mode, postgresData: String?, seed: UInt64) {
        self.session = session
        self.mode = mode
        self.postgresData = postgresData
        state = Mutex((0, [], SimulationRandom(seed: seed, "chaos")))
    }

    var rounds: Int { state.withLock { $0.rounds } }
    var log: [String] { state.withLock { $0.log } }

    /// Kills every `interval` seconds until `rounds` are done or the task is cancelled.
    func run(rounds: Int, interval: Double) async {
        while self.rounds < rounds, !Task.isCancelled {
            let wait = state.withLock { interval * (0.5 + $0.random.unit()) }
            try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            if Task.isCancelled { break }
            await round()
        }
    }

    /// The rounds still owed, each waited out (everything ready again) before the next.
    func finish(rounds: Int) async {
        while self.rounds < rounds {
            await round()
            _ = try? await session.driver.readiness()
        }
    }

    private func round() async {
        var targets = ["bus", "intake", "dispatch", "supervision", "survey", "kpi"]
        if postgresData != nil { targets.append("postgres") }
        var what: String?
        // A process still restarting from the last round is not there to kill: draw again.
        for _ in 0..<50 where what == nil {
            let target = mode == .supervisor ? "hotline run" : state.withLock { targets[$0.random.below(targets.count)] }
            switch target {
            case "hotline run": what = await killSupervisor()
            case "postgres": what = restartPostgres()
            default: what = kill(target)
            }
            if what == nil { try? await Task.sleep(nanoseconds: 100_000_000) }
        }
        guard let what else { return }
        state.withLock {
            $0.rounds += 1
            $0.log.append("round \($0.rounds): \(what)")
        }
    }

    /// SIGKILL to a child of `hotline run`, found by its pid file and confirmed by /proc.
    /// - Returns: what it did; nil when the process is not running (being restarted).
    private func kill(_ name: String) -> String? {
        let text = (try? String(contentsOfFile: session.runDirectory + "/\(name).pid", encoding: .utf8)) ?? ""
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
            String(decoding: cmdline, as: UTF8.self).contains(name == "survey" ? "callback-survey" : "hotline-\(name)")
        else { return nil }
        Glibc.kill(pid, SIGKILL)
        return "killed \(name) (pid \(pid)) with SIGKILL"
    }

    private func killSupervisor() async -> String {
        guard let suite = session.suite else { return "no hotline run of its own to kill" }
        let pid = suite.processIdentifier
        Glibc.kill(pid, SIGKILL)
        suite.waitForExit(timeout: 60)
        // Its children notice their parent's death and stop; the same data must then be free.
        for _ in 0..<300 where childrenAlive() { try? await Task.sleep(nanoseconds: 100_000_000) }
        do {
            try session.restartSuite()
            return "killed hotline run (pid \(pid)) with SIGKILL, started it again"
        } catch {
            return "killed hotline run (pid \(pid)); restart failed: \(error)"
        }
    }

    private func childrenAlive() -> Bool {
        ["bus", "intake", "dispatch", "supervision", "survey", "kpi"].contains { name in
            let text = (try? String(contentsOfFile: session.runDirectory + "/\(name).pid", encoding: .utf8)) ?? ""
            guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return false }
            return String(decoding: cmdline, as: UTF8.self).contains("hotline-")
        }
    }

    /// `pg_ctl restart -m immediate` as the data directory's owner: every connection drops and
    /// the server recovers from its WAL, as after a crash.
    private func restartPostgres() -> String {
        guard let data = postgresData else { return "no PostgreSQL to restart" }
        let bin = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.sorted().last.map { "/usr/lib/postgresql/\($0)/bin" } ?? ""
        let owner = (try? FileManager.default.attributesOfItem(atPath: data)[.ownerAccountName] as? String) ?? nil
        var command = [bin + "/pg_ctl", "-D", data, "-m", "immediate", "-w", "-t", "60", "restart"]
        if getuid() == 0, let owner, owner != "root" { command = ["/usr/sbin/runuser", "-u", owner, "--"] + command }
        let status = Self.run(command)
        return status == 0 ? "restarted PostgreSQL (immediate: a crash)" : "pg_ctl restart failed (status \(status))"
    }

    /// Runs a command with its output discarded and waits for it. - Returns: its exit status.
    static func run(_ command: [String]) -> Int32 {
        (try? Subprocess.run(command, captureOutput: false).status) ?? -1
    }
}
