import Foundation
@testable import HotlineStorage
import TestSupport
import Testing

/// A PostgreSQL session keeps the read-only default it began with (a database switched to
/// read-only, a fail-over) after the database is writable again. Its refused write retires
/// it: the next write runs on a new session, so a service recovers without an operator
/// cutting its connections.
@Suite struct ReadOnlySessionTests {
    @Test func aSessionLeftReadOnlyIsReplacedAfterItsRefusal() async throws {
        guard TestEngine.available.contains(.postgres) else { return }
        let notes = Migration(1, "notes", "CREATE TABLE notes (n BIGINT PRIMARY KEY)")
        try await withTestDatabase(.postgres, schema: "read_only", migrations: [notes]) { db in
            // What a session that began during a read-only switch carries.
            try await db.write { tx in try tx.executeScript("SET SESSION default_transaction_read_only = on") }
            await #expect(throws: DatabaseError.self) {
                try await db.write { tx in _ = try tx.execute("INSERT INTO notes (n) VALUES (1)", []) }
            }
            try await db.write { tx in _ = try tx.execute("INSERT INTO notes (n) VALUES (2)", []) }
            #expect(try await db.read { tx in try tx.scalarInt("SELECT COUNT(*) FROM notes") } == 1)
        }
    }

    /// A session the server closed while it sat idle (`pg_terminate_backend`, a restart) is
    /// found before the next write's work runs, and replaced: the write succeeds.
    @Test func aSessionClosedWhileIdleIsReplacedBeforeTheNextWrite() async throws {
        guard TestEngine.available.contains(.postgres), let url = TestEngine.postgresURL else { return }
        let notes = Migration(1, "notes", "CREATE TABLE notes (n BIGINT PRIMARY KEY)")
        try await withTestDatabase(.postgres, schema: "idle_closed", migrations: [notes]) { db in
            try await db.write { tx in _ = try tx.execute("INSERT INTO notes (n) VALUES (1)", []) }
            let ownPID = try await db.write { tx in try tx.scalarInt("SELECT pg_backend_pid()") } ?? 0
            let admin = try PostgresConnection(conninfo: url, schema: "hl_terminator_test", logger: quietLogger())
            defer { admin.close() }
            let ended = try admin.query("SELECT pg_terminate_backend(CAST(? AS INTEGER)) AS ended", [.integer(ownPID)]).first?.bool("ended")
            #expect(ended == true)
            try await Task.sleep(nanoseconds: 200_000_000)
            try await db.write { tx in _ = try tx.execute("INSERT INTO notes (n) VALUES (2)", []) }
            #expect(try await db.read { tx in try tx.scalarInt("SELECT COUNT(*) FROM notes") } == 2)
        }
    }
}
