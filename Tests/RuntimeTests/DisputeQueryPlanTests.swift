import DispatchService
import Foundation
import HotlineStorage
import HotlineStreams
import TestSupport
import Testing

/// A return request counts the assignment's earlier disputes to name its own (migration 111):
/// by index, not by scanning every dispute the county ever had.
@Suite struct DisputeQueryPlanTests {
    @Test(arguments: TestEngine.available)
    func aReturnRequestCountsTheAssignmentsDisputesByIndex(engine: TestEngine) async throws {
        try await withTestDatabase(engine, schema: "dispatch", migrations: StreamTables.migrations + DispatchService().migrations) { db in
            try await db.write { tx in
                for i in 0..<60 {
                    try tx.execute(
                        """
                        INSERT INTO disputes (id, assignment, ticket, unit, reason, requested_by, requested_at, status)
                        VALUES (?, ?, ?, 'civil', 'not ours', 'civil.clerk', ?, ?)
                        """,
                        [.text("D-\(i)"), .text("A-\(i / 3)"), .text("T\(i / 3)"), .text(String(format: "2026-11-02T%02d:00:00.000Z", i % 24)),
                         .text(i % 3 == 2 ? "open" : "rejected")])
                }
            }
            let sql = "SELECT COUNT(*) FROM disputes WHERE assignment = ?"
            let count = try await db.read { tx in try tx.scalarInt(sql, [.text("A-7")]) }
            #expect(count == 3)
            let plan = try await db.read { tx in try queryPlan(tx, engine, sql, [.text("A-7")]) }
            #expect(plan.contains("disputes_assignment"), "\(plan)")
        }
    }
}
