import Foundation
import HotlineCore
import TestSupport
import Testing

/// `hotline simulate` (issue 15): a county's days through the real APIs end in a published
/// report whose bytes depend on the seed alone — the same on a second run, and the same on
/// PostgreSQL as on SQLite — with every request of the workload accepted by the suite.
@Suite(.serialized) struct SimulationTests {
    private func simulate(seed: Int, database: String? = nil) async throws -> (output: String, report: Data) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        var args = ["simulate", "--days", "2", "--tickets-per-day", "50", "--start", "2026-11-29", "--seed", String(seed), "--report", file, "--workers", "4"]
        if let database { args += ["--database", database] }
        let run = try await runProgramAsync(RunningSuite.binDirectory + "/hotline", args, environment: ["HOTLINE_CONFIG_DIR": SampleCounty.directory])
        #expect(run.status == 0, "\(run.output)")
        return (run.output, (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data())
    }

    @Test func theSameSeedGivesTheSameReportOnEitherEngine() async throws {
        let first = try await simulate(seed: 7)
        let sha = try #require(first.output.firstMatch(of: /report 2026-11 version 1: sha256 ([0-9a-f]{64})/)?.1).description
        #expect(Hex.encode(SHA256.hash(first.report)) == sha, "--report holds the published bytes")
        for part in ["tickets submitted", "tickets closed at intake", "accepted", "replied", "callbacks satisfied", "returns asked"] {
            #expect(first.output.contains("  \(part): "), "\(part) in \(first.output)")
        }
        // Each process's CPU over the simulated days, the simulation's own included, and their sum.
        let cpu = try #require(first.output.firstMatch(of: /CPU s per 1,000 tickets: (.*) = ([0-9.]+) \(/), "\(first.output)")
        let parts = cpu.1.split(separator: ", ").map { $0.split(separator: " ") }
        #expect(parts.map { String($0[0]) } == ["bus", "intake", "dispatch", "supervision", "survey", "kpi", "simulate"])
        let sum = parts.compactMap { Double($0[1]) }.reduce(0, +)
        #expect(sum > 0 && abs(sum - Double(cpu.2)!) < 0.02 * Double(parts.count), "\(cpu.0)")
        let again = try await simulate(seed: 7)
        #expect(again.report == first.report, "same seed, same bytes")
        let other = try await simulate(seed: 8)
        #expect(other.report != first.report, "another seed, another county")
        if TestEngine.postgresURL != nil {
            let db = try await onThread { try makePostgresDatabase(prefix: "sim") }
            defer { dropPostgresDatabase(db.name) }
            #expect(try await simulate(seed: 7, database: db.url).report == first.report, "PostgreSQL gives SQLite's bytes")
        }
    }

    /// Ctrl-C stops the suite a simulation started and removes its directory; after a kill -9
    /// of the simulation the suite stops by itself (its directory stays: nobody is left to
    /// remove it, so the test does).
    @Test func anInterruptedSimulationLeavesNoProcessAndCtrlCNoFiles() async throws {
        for signal in [SIGINT, SIGKILL] {
            let simulation = Process()
            simulation.executableURL = URL(fileURLWithPath: RunningSuite.binDirectory + "/hotline")
            simulation.arguments = ["simulate", "--days", "60", "--tickets-per-day", "2000", "--workers", "4", "--quiet"]
            simulation.environment = ProcessInfo.processInfo.environment.merging(["HOTLINE_CONFIG_DIR": SampleCounty.directory]) { $1 }
            simulation.standardOutput = FileHandle.nullDevice
            simulation.standardError = FileHandle.nullDevice
            try simulation.run()
            // The suite is the simulation's child `hotline run`; its data directory names the scratch space.
            var suite: (pid: Int32, dir: String)?
            let deadline = Date().addingTimeInterval(60)
            while suite == nil || !FileManager.default.fileExists(atPath: suite!.dir + "/run/kpi.url") {
                guard Date() < deadline, simulation.isRunning else { Issue.record("no suite started (\(signal))"); simulation.terminate(); return }
                suite = Self.child(of: simulation.processIdentifier)
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            let (pid, dir) = suite!
            kill(simulation.processIdentifier, signal)
            while simulation.isRunning { try await Task.sleep(nanoseconds: 50_000_000) }
            if signal == SIGINT {
                #expect(simulation.terminationStatus == 130, "Ctrl-C exits as a shell reports it")
                #expect(!FileManager.default.fileExists(atPath: dir), "\(dir) removed")
            }
            let gone = Date().addingTimeInterval(30)
            while Self.isSuite(pid, dir: dir), Date() < gone { try await Task.sleep(nanoseconds: 100_000_000) }
            #expect(!Self.isSuite(pid, dir: dir), "the suite stopped after \(signal == SIGINT ? "Ctrl-C" : "kill -9") of its simulation")
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    /// The `hotline run` a process started, with the directory its --data lies in.
    private static func child(of parent: Int32) -> (pid: Int32, dir: String)? {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == parent else { continue }
            let arguments = Self.arguments(pid)
            if let i = arguments.firstIndex(of: "--data"), i + 1 < arguments.count, arguments.contains("run") {
                return (pid, (arguments[i + 1] as NSString).deletingLastPathComponent)
            }
        }
        return nil
    }

    /// Whether `pid` is still that suite (PIDs recycle within seconds here: the command line says).
    private static func isSuite(_ pid: Int32, dir: String) -> Bool {
        arguments(pid).contains(dir + "/data")
    }

    private static func arguments(_ pid: Int32) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}
