import Foundation
import HotlineCore
import HotlineStorage
import TestSupport
import Testing

@Suite struct DatabaseTests {
    private func withDatabase(_ engine: TestEngine, _ body: (Database) async throws -> Void) async throws {
        try await withTestDatabase(engine, schema: "store", migrations: [
            Migration(1, "items", "CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT NOT NULL, x DOUBLE PRECISION, note TEXT)")
        ], body)
    }

    @Test func commitDelayWaitsOnlyWhenBusyWritersLeaveACommitThin() {
        let delay = CommitDelay(microseconds: 300)
        #expect(delay.shouldWait(queued: 3, recentBatch: 14, maxBatch: 512))
        #expect(!delay.shouldWait(queued: 3, recentBatch: 1, maxBatch: 512))  // lone writers never wait
        #expect(!delay.shouldWait(queued: 12, recentBatch: 14, maxBatch: 512))  // already well filled
        #expect(!delay.shouldWait(queued: 1, recentBatch: 100, maxBatch: 1))  // group commit off
        #expect(!CommitDelay(microseconds: 0).shouldWait(queued: 1, recentBatch: 100, maxBatch: 512))
        #expect(CommitDelay(microseconds: -5).microseconds == 0)
        // After a burst, writes that come one at a time stop waiting within a few commits.
        var recent = 20.0
        var waits = 0
        for _ in 0..<20 {
            if delay.shouldWait(queued: 1, recentBatch: recent, maxBatch: 512) { waits += 1 }
            recent = CommitDelay.average(recent, after: 1)
        }
        #expect(waits > 0 && waits <= 4)
    }

    /// With the delay on, bursts and lone writes all commit, and a failing write still fails
    /// alone.
    @Test(arguments: TestEngine.available)
    func writesCommitWithACommitDelay(engine: TestEngine) async throws {
        try await withTestDatabase(engine, schema: "delay", migrations: [
            Migration(1, "items", "CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT NOT NULL)")
        ], commitDelay: 2000) { db in
            for round in 0..<3 {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for i in 0..<40 {
                        group.addTask {
                            do {
                                try await db.write { tx in
                                    try tx.execute("INSERT INTO items (id, n) VALUES (?, ?)", [.text("r\(round)-\(i)"), .int(i)])
                                    if i == 7 { throw DatabaseError(code: .misuse, engineMessage: "refused on purpose") }
                                }
                                return true
                            } catch { return false }
                        }
                    }
                    var failed = 0
                    for try await ok in group where !ok { failed += 1 }
                    #expect(failed == 1)
                }
                try await db.write { tx in try tx.execute("INSERT INTO items (id, n) VALUES (?, ?)", [.text("lone-\(round)"), .int(0)]) }
            }
            #expect(try await db.read { tx in try tx.scalarInt("SELECT COUNT(*) FROM items") } == 3 * 40)
            #expect(try await db.read { tx in try tx.scalarInt("SELECT COUNT(*) FROM items WHERE id LIKE 'r%-7'") } == 0)
        }
    }

    /// Rows handed over one by one are the rows a query returns, in its order; a failure in the
    /// body stops the read, reaches the caller, and leaves the statement ready for the next use.
    @Test(arguments: TestEngine.available)
    func rowsAreVisitedInOrderAndAFailureStopsTheVisit(engine: TestEngine) async throws {
        try await withTestDatabase(engine, schema: "visit", migrations: [
            Migration(1, "items", "CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT NOT NULL, note TEXT)")
        ]) { db in
            try await db.write { tx in
                for i in 0..<300 {
                    try tx.execute("INSERT INTO items (id, n, note) VALUES (?, ?, ?)",
                                   [.text(String(format: "i%03d", i)), .int(i), i % 3 == 0 ? .null : .text("备注 \(i) " + String(repeating: "x", count: i % 40))])
                }
            }
            let sql = "SELECT id, n, note FROM items WHERE n >= ? ORDER BY id"
            try await db.read { tx in
                var visited: [Row] = []
                try tx.forEachRow(sql, [.int(10)]) { visited.append($0) }
                let queried = try tx.query(sql, [.int(10)])
                #expect(visited.count == 290)
                #expect(visited.map(\.values) == queried.map(\.values) && visited.first?.columns == ["id", "n", "note"])
                struct Enough: Error {}
                var seen = 0
                #expect(throws: Enough.self) {
                    try tx.forEachRow(sql, [.int(0)]) { _ in
                        seen += 1
                        if seen == 5 { throw Enough() }
                    }
                }
                #expect(seen == 5, "the visit stops at the failure")
                var last: [Int64?] = []
                try tx.forEachRow(sql, [.int(299)]) { last.append($0.int("n")) }
                #expect(last == [299])
                #expect(try tx.query(sql, [.int(298)]).count == 2)
            }
        }
    }

    /// The writer's statements are counted, and known by the time the write is answered;
    /// round trips only on PostgreSQL (SQLite runs in the process).
    @Test(arguments: TestEngine.available)
    func writerExchangesAreCounted(engine: TestEngine) async throws {
        try await withTestDatabase(engine, schema: "exchanges", migrations: [
            Migration(1, "items", "CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT NOT NULL)")
        ]) { db in
            let write = { @Sendable (id: String) async throws in
                try await db.write { tx in
                    try tx.execute("INSERT INTO items (id, n) VALUES (?, ?)", [.text(id), .int(1)])
                    try tx.execute("UPDATE items SET n = n + 1 WHERE id = ?", [.text(id)])
                    _ = try tx.query("SELECT n FROM items WHERE id = ?", [.text(id)])
                }
            }
            try await write("first")
            let before = db.commitStats.exchanges
            try await write("second")
            let after = db.commitStats.exchanges
            // BEGIN, the three statements, COMMIT.
            #expect(after.statements - before.statements == 5)
            if engine == .sqlite {
                #expect(after.roundTrips == 0)
            } else {
                #expect(after.roundTrips - before.roundTrips == 5)
            }
        }
    }

    /// A writer sees the writes still queued or committing besides its own; once they are
    /// done (or failed), none.
    @Test(arguments: TestEngine.available)
    func writesInFlightAreCountedUntilAnswered(engine: TestEngine) async throws {
        try await withDatabase(engine) { db in
            #expect(!db.hasWritesInFlight)
            let release = DispatchSemaphore(value: 0)
            let blocking = Task {
                try await db.write { tx in
                    release.wait()
                    try tx.execute("INSERT INTO items (id, n) VALUES ('held', 1)")
                }
            }
            try await waitUntil { db.hasWritesInFlight }
            // Queued behind the held one: both in flight.
            let queued = Task { try await db.write { tx in try tx.execute("INSERT INTO items (id, n) VALUES ('next', 2)") } }
            release.signal()
            try await blocking.value
            try await queued.value
            #expect(!db.hasWritesInFlight)
            await #expect(throws: (any Error).self) {
                try await db.write { tx in try tx.execute("INSERT INTO items (id, n) VALUES ('held', 3)") }
            }
            #expect(!db.hasWritesInFlight)
        }
    }

    @Test(arguments: TestEngine.available)
    func roundTripsValues(engine: TestEngine) async throws {
        try await withDatabase(engine) { db in
            try await db.write { tx in
                try tx.execute("INSERT INTO items (id, n, x, note) VALUES (?, ?, ?, ?)",
                               ["a", .integer(Int64.max), .real(1.25), .text("中文 'quoted' ? mark")])
                try tx.execute("INSERT INTO items (id, n, x, note) VALUES (?, ?, ?, ?)", ["b", -7, .null, .null])
            }
            let rows = try await db.read { tx in try tx.query("SELECT id, n, x, note FROM items ORDER BY id") }
            #expect(rows.count == 2)
            #expect(rows[0].int("n") == Int64.max)
            #expect(rows[0].double("x") == 1.25)
            #expect(rows[0].string("note") == "中文 'quoted' ? mark")
            #expect(rows[1].int("n") == -7)
            #expect(rows[1]["x"].isNull)
        }
    }

    @Test(arguments: TestEngine.available)
    func failedWriteLeavesNothing(engine: TestEngine) async throws {
        struct Boom: Error {}
        try await withDatabase(engine) { db in
            await #expect(throws: Boom.self) {
                try await db.write { tx in
                    try tx.execute("INSERT INTO items (id, n) VALUES ('x', 1)")
                    throw Boom()
                }
            }
            let count = try await db.read { tx in try tx.scalarInt("SELECT COUNT(*) FROM items") }
            #expect(count == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func uniqueViolationIsTyped(engine: TestEngine) async throws {
        try await withDatabase(engine) { db in
            try await db.write { tx in try tx.execute("INSERT INTO items (id, n) VALUES ('dup', 1)") }
            do {
                try await db.write { tx in try tx.execute("INSERT INTO items (id, n) VALUES ('dup', 2)") }
                Issue.record("expected a unique violation")
            } catch let error as DatabaseError {
                #expect(error.code == .uniqueViolation)
                #expect(engine == .sqlite ? error.sqliteCode == 1555 : error.sqlState == "23505")
                #expect(!error.description.contains("dup"))
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func concurrentWritesShareCommitsAndFailuresStayIsolated(engine: TestEngine) async throws {
        struct Boom: Error {}
        try await withDatabase(engine) { db in
            let n = 400
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<n {
                    group.addTask {
                        do {
                            try await db.write { tx in
                                try tx.execute("INSERT INTO items (id, n) VALUES (?, ?)", [.text("k\(i)"), .int(i)])
                                if i % 10 == 0 { throw Boom() }
                            }
                            return true
                        } catch is Boom { return false }
                    }
                }
                var ok = 0
                for try await success in group where success { ok += 1 }
                return ok
            }
            #expect(outcomes == n - n / 10)
            let count = try await db.read { tx in try tx.scalarInt("SELECT COUNT(*) FROM items") }
            #expect(count == Int64(n - n / 10))
            let failed = try await db.read { tx in try tx.scalarInt("SELECT COUNT(*) FROM items WHERE n % 10 = 0") }
            #expect(failed == 0)
            let stats = db.commitStats
            #expect(stats.commits < stats.writes, "concurrent writes should be grouped: \(stats)")
        }
    }

    @Test(arguments: TestEngine.available)
    func migrationsApplyOnceAndRecordVersions(engine: TestEngine) async throws {
        let url = try engine.makeURL()
        let schema = uniqueSchema("mig")
        let migrations = [
            Migration(1, "a", "CREATE TABLE a (id BIGINT PRIMARY KEY)"),
            Migration(2, "b", "CREATE TABLE b (id BIGINT PRIMARY KEY); INSERT INTO b (id) VALUES (1)"),
        ]
        for _ in 0..<2 {
            let db = try Database(url: url, schema: schema, logger: quietLogger())
            #expect(try await Migrator.migrate(db, migrations, logger: quietLogger()) == 2)
            #expect(try await Migrator.currentVersion(db) == 2)
            let rows = try await db.read { tx in try tx.scalarInt("SELECT COUNT(*) FROM b") }
            #expect(rows == 1)
            db.close()
        }
        await dropTestSchema(url, schema)
    }

    @Test func sqliteURLParsing() throws {
        #expect(try DatabaseURL.parse("sqlite:data") == .sqlite(directory: "data", synchronousFull: true))
        #expect(try DatabaseURL.parse("sqlite:///var/lib/h?synchronous=normal")
                == .sqlite(directory: "/var/lib/h", synchronousFull: false))
        #expect(try DatabaseURL.parse("postgresql:///x?host=/tmp") == .postgres(conninfo: "postgresql:///x?host=/tmp"))
        #expect(throws: ConfigurationError.self) { try DatabaseURL.parse("mysql://x") }
        #expect(throws: ConfigurationError.self) { try DatabaseURL.parse("sqlite:d?synchronous=off") }
    }
}
