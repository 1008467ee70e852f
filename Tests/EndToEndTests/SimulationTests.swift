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
}
