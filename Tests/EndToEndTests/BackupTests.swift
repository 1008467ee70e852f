import Foundation
import HotlineHTTP
import TestSupport
import Testing

/// `deploy/scripts/backup.sh` and `restore.sh` on both engines (issue 11, item 8): a suite is
/// backed up (online on PostgreSQL, as the ops role; stopped on SQLite), goes on receiving,
/// is restored, and comes back at the backup's moment with every stream agreeing — the audit
/// recomputes identically and new tickets flow again.
@Suite(.serialized) struct BackupTests {
    private func script(_ name: String, _ args: [String], url: String) async throws -> (status: Int32, output: String) {
        try await runProgramAsync("/bin/bash", [SampleCounty.repositoryRoot + "/deploy/scripts/\(name)"] + args, environment: ["HOTLINE_DATABASE_URL": url])
    }

    private func submit(_ suite: RunningSuite, _ ref: String, _ n: Int) async throws -> String {
        let r = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
            #"{"channel_ref":"\#(ref)","kind":"complaint","category":"city.sanitation","content":"垃圾未清运 \#(ref)","caller":{"phone":"1391234\#(String(format: "%04d", n))"},"location":{"region":"330901003002004"}}"#)
        return try #require(r.object["id"] as? String, "\(r.text)")
    }

    @Test(arguments: TestEngine.available)
    func aBackupRestoresTheSuiteToItsMoment(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        var kept: [String] = []
        for n in 0..<10 { kept.append(try await submit(suite, "bk-\(n)", n)) }
        try await suite.waitUntilSettled()
        let backups = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: backups) }
        let dest = backups.appendingPathComponent("backup").path
        let url: String
        switch engine {
        case .sqlite:
            url = "sqlite:" + suite.directory.path + "/data"
            let refused = try await script("backup.sh", [dest], url: url)
            #expect(refused.status == 1 && refused.output.contains("stop the suite first"), "\(refused.output)")
            #expect(suite.terminate() == 0)
            let made = try await script("backup.sh", [dest], url: url)
            #expect(made.status == 0, "\(made.output)")
        case .postgres:
            url = suite.databaseURL
            // Online, as the ops role: one snapshot of the five schemas.
            let made = try await script("backup.sh", [dest], url: url + "&user=hotline_ops")
            #expect(made.status == 0, "\(made.output)")
            #expect(suite.terminate() == 0)
        }
        // Life goes on after the backup…
        let second = try await RunningSuite.restart(after: suite)
        var lost: [String] = []
        for n in 10..<15 { lost.append(try await submit(second, "bk-\(n)", n)) }
        try await second.waitUntilSettled()
        #expect(second.terminate() == 0)
        // …and the restore brings every service back to the backup's moment, together.
        let restored = try await script("restore.sh", [dest], url: url)
        #expect(restored.status == 0, "\(restored.output)")
        let third = try await RunningSuite.restart(after: second)
        defer { third.stop() }
        for id in kept { #expect(try await third.call("intake", "GET", "/v1/tickets/\(id)", token: "demo-centre-token").status == 200) }
        for id in lost { #expect(try await third.call("intake", "GET", "/v1/tickets/\(id)", token: "demo-centre-token").status == 404) }
        #expect(try await third.auditVerdict() == "identical")
        // New tickets flow through every service again (no stream is ahead of its producer).
        let fresh = try await submit(third, "bk-after", 99)
        try await waitUntil(timeout: 20) {
            let list = try await third.call("dispatch", "GET", "/v1/assignments", token: "demo-unit-xicheng-token").list
            return list.contains { $0["ticket"] as? String == fresh }
        }
        #expect(third.logText().contains("chain break") == false, "no stream saw a history other than its producer's")
    }
}
