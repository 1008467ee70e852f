import Foundation
import HotlineCore
import HotlineHTTP
import HotlineStorage
import TestSupport
import Testing

/// Storage that fails for a while (issue 16): a consumer waits the fault out and applies
/// every event once it clears, with no operator action; a write that cannot be made answers
/// 503 with Retry-After; `/readyz` says so while it lasts.
@Suite(.serialized) struct StorageFaultTests {
    private func submit(_ suite: RunningSuite, _ n: Int) async throws -> HTTPClient.Response {
        try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-phone_12345", json:
            #"{"channel_ref":"fault-\#(n)","kind":"complaint","category":"city.sanitation","content":"清运 \#(n)","caller":{"phone":"1391234\#(String(format: "%04d", n))"},"location":{"region":"330901003002004"}}"#)
    }

    private func readiness(_ suite: RunningSuite, _ service: String) async -> (status: Int, body: [String: Any]) {
        guard let r = try? await suite.client(service).request("GET", "/readyz") else { return (0, [:]) }
        return (r.status, (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]) ?? [:])
    }

    private func dispatchedCount(_ suite: RunningSuite) async throws -> Int64 {
        let db = try suite.database("dispatch")
        defer { db.close() }
        return try await db.read { tx in try tx.scalarInt("SELECT COUNT(*) FROM assignments") ?? -1 }
    }

    private func run(_ command: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [command] + args
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestSetupError(message: "\(command) \(args) failed") }
    }

    /// What must hold while dispatch cannot write: intake unaffected, the stream stalled and
    /// shown, and nothing dead-lettered however long it lasts.
    private func whileDispatchCannotWrite(_ suite: RunningSuite) async throws {
        for n in 10..<30 { #expect(try await submit(suite, n).status == 201, "intake is not affected") }
        // Dispatch reports the stalled stream and is not ready while the fault lasts.
        let fault: String = try await eventually(timeout: 20) {
            let (status, body) = await readiness(suite, "dispatch")
            let intake = (body["streams"] as? [String: [String: Any]])?["intake"]
            return status == 503 && intake?["state"] as? String == "stalled" ? intake?["fault"] as? String ?? "" : nil
        }
        #expect(fault.contains("database error"), "\(fault)")
        // Longer than five attempts with back-off, after which the old follower dead-lettered.
        try await Task.sleep(nanoseconds: 6_000_000_000)
        #expect(await readiness(suite, "dispatch").status == 503)
        let metrics = try await suite.client("dispatch").request("GET", "/metrics").text
        #expect(metrics.contains("hotline_consumer_stalled{stream=\"intake\"} 1"))
    }

    /// Dispatch's storage fails (SQLite: its WAL file made immutable; PostgreSQL: inserts
    /// into its assignments answer disk_full) while intake keeps accepting tickets.
    @Test(arguments: TestEngine.available)
    func consumerWaitsOutAStorageFault(engine: TestEngine) async throws {
        if engine == .sqlite && getuid() != 0 {
            print("StorageFaultTests: not root, so chattr cannot make a file immutable; SQLite case skipped")
            return
        }
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        for n in 0..<10 { #expect(try await submit(suite, n).status == 201) }
        try await waitUntil(timeout: 30) { try await dispatchedCount(suite) == 10 }

        let dataDir = suite.directory.path + "/data"
        let inject: () async throws -> Void
        let clear: () async throws -> Void
        switch engine {
        case .sqlite:
            inject = { try run("chattr", ["+i", dataDir + "/dispatch.sqlite3-wal"]) }
            clear = { try run("chattr", ["-i", dataDir + "/dispatch.sqlite3-wal"]) }
        case .postgres:
            let db = try suite.database("dispatch")
            inject = {
                _ = try await db.write { tx in
                    try tx.executeScript("""
                        CREATE FUNCTION dispatch.disk_full() RETURNS trigger LANGUAGE plpgsql AS
                            $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$;
                        CREATE TRIGGER disk_full BEFORE INSERT ON dispatch.assignments FOR EACH ROW EXECUTE FUNCTION dispatch.disk_full();
                        """)
                }
            }
            clear = {
                _ = try await db.write { tx in try tx.executeScript("DROP TRIGGER disk_full ON dispatch.assignments") }
                db.close()
            }
        }
        try await inject()
        do {
            try await whileDispatchCannotWrite(suite)
        } catch {
            try? await clear()
            throw error
        }
        try await clear()

        // Every acknowledged ticket is dispatched with no operator action, and nothing was dead-lettered.
        try await waitUntil(timeout: 60) { try await dispatchedCount(suite) == 30 }
        try await waitUntil(timeout: 20) { await readiness(suite, "dispatch").status == 200 }
        let letters = try await suite.call("dispatch", "GET", "/v1/admin/dead-letters", token: "demo-admin-token")
        #expect(letters.text == "[]")
    }

    /// The disk under the SQLite files fills up: intake answers 503 with Retry-After (never
    /// 500) and is not ready; once space returns it accepts again and every ticket it
    /// acknowledged is dispatched.
    @Test func fullDiskAnswers503AndRecovers() async throws {
        guard getuid() == 0 else {
            print("StorageFaultTests: not root, so no tmpfs can be mounted; the full-disk case is skipped")
            return
        }
        let mount = try TemporaryDirectory.make().path
        try run("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", mount])
        defer {
            try? run("umount", ["-l", mount])
            try? FileManager.default.removeItem(atPath: mount)
        }
        let suite = try await RunningSuite.start(engine: .sqlite, dataDirectory: mount)
        defer { suite.stop() }
        var acknowledged = 0
        for n in 0..<10 where try await submit(suite, n).status == 201 { acknowledged += 1 }
        #expect(acknowledged == 10)
        // Fill what is left of the disk.
        #expect(FileManager.default.createFile(atPath: mount + "/filler", contents: nil))
        let filler = try #require(FileHandle(forWritingAtPath: mount + "/filler"))
        let chunk = Data(repeating: 0x55, count: 64 * 1024)
        while (try? filler.write(contentsOf: chunk)) != nil {}
        try? filler.close()

        var statuses: [Int: Int] = [:]
        var retryAfter = true
        for n in 10..<40 {
            let r = try await submit(suite, n)
            statuses[r.status, default: 0] += 1
            if r.status == 201 { acknowledged += 1 }
            if r.status == 503 && r.header("retry-after") == nil { retryAfter = false }
        }
        print("full disk: intake answered \(statuses.sorted { $0.key < $1.key })")
        #expect(statuses[500] == nil, "a full disk is never a 500")
        #expect((statuses[503] ?? 0) > 0, "a full disk refuses writes")
        #expect(retryAfter, "every 503 says when to retry")
        let database: String = try await eventually(timeout: 20) {
            let (status, body) = await readiness(suite, "intake")
            let database = body["database"] as? String ?? ""
            return status == 503 && database.hasPrefix("not writable") ? database : nil
        }
        #expect(database.contains("(full)") || database.contains("(io)"), "\(database)")

        try FileManager.default.removeItem(atPath: mount + "/filler")
        try await waitUntil(timeout: 30) { await readiness(suite, "intake").status == 200 }
        for n in 40..<45 where try await submit(suite, n).status == 201 { acknowledged += 1 }
        let total = Int64(acknowledged)
        try await waitUntil(timeout: 60) { try await dispatchedCount(suite) == total }
        for service in ["dispatch", "supervision", "survey", "kpi"] {
            let letters = try await suite.call(service, "GET", "/v1/admin/dead-letters", token: "demo-admin-token")
            #expect(letters.text == "[]", "\(service) dead-lettered nothing")
        }
    }

    /// The PostgreSQL server turns read-only under the suite (a fail-over to a standby, an
    /// operator's switch) and every connection is cut: intake answers 503 with Retry-After and
    /// is not ready; once writable again, every acknowledged ticket is dispatched.
    @Test func readOnlyDatabaseAnswers503AndRecovers() async throws {
        guard TestEngine.available.contains(.postgres) else { return }
        let suite = try await RunningSuite.start(engine: .postgres)
        defer { suite.stop() }
        var acknowledged = 0
        for n in 0..<10 where try await submit(suite, n).status == 201 { acknowledged += 1 }
        let admin = try suite.database("public")
        defer { admin.close() }
        func setReadOnly(_ on: Bool) async throws {
            let alter: @Sendable (Transaction) throws -> Void = { tx in
                // The test's own sessions are new too: they opt out of the read-only default.
                try tx.executeScript("SET TRANSACTION READ WRITE")
                let name = try tx.queryOne("SELECT current_database() AS name")?.string("name") ?? ""
                try tx.executeScript("ALTER DATABASE \"\(name)\" \(on ? "SET default_transaction_read_only = on" : "RESET default_transaction_read_only")")
            }
            // The first use of a connection that was cut fails, and reconnects for the next.
            do { try await admin.write(alter) } catch { try await admin.write(alter) }
            // New sessions take the setting: cut the suite's current ones.
            _ = try await admin.read { tx in
                try tx.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            }
        }
        try await setReadOnly(true)
        var statuses: [Int: Int] = [:]
        var retryAfter = true
        for n in 10..<30 {
            let r = try await submit(suite, n)
            statuses[r.status, default: 0] += 1
            if r.status == 201 { acknowledged += 1 }
            if r.status == 503 && r.header("retry-after") == nil { retryAfter = false }
        }
        let database: String = try await eventually(timeout: 20) {
            let (status, body) = await readiness(suite, "intake")
            let database = body["database"] as? String ?? ""
            return status == 503 && database.hasPrefix("not writable") ? database : nil
        }
        try await setReadOnly(false)
        print("read-only database: intake answered \(statuses.sorted { $0.key < $1.key }); readyz said \(database)")
        #expect(statuses[500] == nil, "a read-only database is never a 500")
        #expect((statuses[503] ?? 0) > 0 && retryAfter)
        try await waitUntil(timeout: 30) { await readiness(suite, "intake").status == 200 }
        for n in 30..<35 where try await submit(suite, n).status == 201 { acknowledged += 1 }
        let total = Int64(acknowledged)
        try await waitUntil(timeout: 60) { try await dispatchedCount(suite) == total }
    }
}
