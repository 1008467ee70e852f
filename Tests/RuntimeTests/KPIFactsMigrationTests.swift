import Foundation
import HotlineStorage
import HotlineStreams
import TestSupport
import Testing

@testable import KPIService

/// Migration 101 turns a store of the old shape into facts without losing a row.
@Suite struct KPIFactsMigrationTests {
    @Test(arguments: TestEngine.available)
    func oldStoreKeepsEveryRow(engine: TestEngine) async throws {
        let old = StreamTables.migrations + KPIFacts.migrations.filter { $0.version == 100 }
        try await withTestDatabase(engine, schema: "kpi", migrations: old) { db in
            try await db.write { tx in
                try tx.execute("INSERT INTO k_tickets (id, received_at, channel, category, kind, region, is_repeat) VALUES ('T1', '2026-11-02T01:00:00.000Z', 'phone_12345', 'city.sanitation', 'complaint', NULL, 0)")
                // The race's damage: an assignment without deadlines, a callback on unit "".
                try tx.execute("INSERT INTO k_assignments (id, ticket, lead_unit, round, dispatched_at) VALUES ('A1', 'T1', 'xicheng', 1, '2026-11-02T01:00:01.000Z')")
                try tx.execute("INSERT INTO k_callbacks (assignment, ticket, lead_unit, completed_at, reached, resolved, satisfaction) VALUES ('A1', 'T1', '', '2026-11-03T01:00:00.000Z', 1, 1, 'satisfied')")
            }
            _ = try await Migrator.migrate(db, StreamTables.migrations + KPIFacts.migrations, logger: quietLogger())
            let (tickets, assignment, callback) = try await db.read { tx in
                (try tx.scalarInt("SELECT COUNT(*) FROM k_tickets") ?? -1,
                 try tx.queryOne("SELECT * FROM k_assignments WHERE id = 'A1'"),
                 try tx.queryOne("SELECT * FROM k_callbacks WHERE assignment = 'A1'"))
            }
            #expect(tickets == 1)
            #expect(assignment?.string("lead_unit") == "xicheng" && assignment?.string("response_due") == nil)
            #expect(callback?.string("satisfaction") == "satisfied")
            #expect(callback?.columns.contains("lead_unit") == false, "a callback's unit comes from its assignment")
            // The facts now take a deadline arriving for a row in any state.
            try await db.write { tx in
                try tx.execute("INSERT INTO k_assignments (id, response_due) VALUES ('A2', '2026-11-02T03:00:00.000Z') ON CONFLICT (id) DO UPDATE SET response_due = excluded.response_due")
            }
        }
    }
}
