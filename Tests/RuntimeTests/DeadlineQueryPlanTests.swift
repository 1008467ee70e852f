import Foundation
import HotlineStorage
import HotlineStreams
import SupervisionService
import TestSupport
import Testing

/// Supervision finds an assignment's deadlines through the primary key (assignment, which):
/// migration 107 dropped the index on assignment alone, which every new deadline paid for
/// with another index insert. A letter finds the ticket's deadlines and alerts by index (108).
@Suite struct DeadlineQueryPlanTests {
    @Test(arguments: TestEngine.available)
    func lookUpsByAssignmentUseThePrimaryKey(engine: TestEngine) async throws {
        try await withTestDatabase(engine, schema: "supervision", migrations: StreamTables.migrations + SupervisionService().migrations) { db in
            try await db.write { tx in
                for i in 0..<30 {
                    try tx.execute(
                        "INSERT INTO deadlines (assignment, which, ticket, unit, policy, due_at) VALUES (?, ?, ?, 'civil', 'working_days', ?)",
                        [.text("A-\(i / 2)"), .text(i % 2 == 0 ? "response" : "reply"), .text("T\(i / 2)"),
                         .text(String(format: "2026-11-02T%02d:00:00.000Z", i % 24))])
                }
            }
            let key = engine == .sqlite ? "sqlite_autoindex_deadlines_1" : "deadlines_pkey"
            let statements = [
                // An approved return or an escalation ends every deadline of the assignment.
                "UPDATE deadlines SET cancelled_at = ? WHERE assignment = ? AND met_at IS NULL AND missed_at IS NULL AND cancelled_at IS NULL",
                "SELECT * FROM deadlines WHERE assignment = ? AND which = 'reply' AND met_at IS NULL AND missed_at IS NULL AND cancelled_at IS NULL",
            ]
            let parameters: [[SQLValue]] = [[.text("2026-11-03T00:00:00.000Z"), .text("A-3")], [.text("A-3")]]
            for (sql, values) in zip(statements, parameters) {
                let plan = try await db.read { tx in try queryPlan(tx, engine, sql, values) }
                #expect(plan.contains(key), "\(sql)\n\(plan)")
            }
            let indexes = try await db.read { tx in
                engine == .sqlite
                    ? try tx.query("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'deadlines'").compactMap { $0.string("name") }
                    : try tx.query("SELECT indexname FROM pg_indexes WHERE tablename = 'deadlines' AND schemaname = current_schema()")
                        .compactMap { $0.string("indexname") }
            }
            #expect(!indexes.isEmpty && !indexes.contains("deadlines_assignment"), "\(indexes)")
            // A supervision letter's history of the ticket (migration 108): by index, not a scan.
            let letterReads = [
                ("SELECT * FROM deadlines WHERE ticket = ? ORDER BY due_at, assignment, which", "deadlines_ticket"),
                ("SELECT level, at, addressee_role, addressee_name, note FROM alerts WHERE ticket = ? AND kind = 'ladder' ORDER BY at, level",
                 "alerts_ticket"),
            ]
            for (sql, index) in letterReads {
                let plan = try await db.read { tx in try queryPlan(tx, engine, sql, [.text("T3")]) }
                #expect(plan.contains(index), "\(sql)\n\(plan)")
            }
        }
    }
}
