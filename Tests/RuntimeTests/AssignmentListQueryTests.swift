@testable import DispatchService
import Foundation
import HotlineStorage
import HotlineStreams
import TestSupport
import Testing

/// `GET /v1/assignments?status=dispatched&sort=dispatched` — the centre's hourly "not yet
/// accepted" list — walks the partial index of what waits for acceptance (migration 110), page
/// after page, instead of scanning and sorting every assignment the county ever had; and one
/// ticket's replied assignments are still found by the ticket, not by walking that index.
@Suite struct AssignmentListQueryTests {
    @Test(arguments: TestEngine.available)
    func theStatusListReadsItsIndexInDispatchOrder(engine: TestEngine) async throws {
        try await withTestDatabase(engine, schema: "dispatch", migrations: StreamTables.migrations + DispatchService().migrations) { db in
            try await db.write { tx in
                for i in 0..<40 {
                    try tx.execute(
                        """
                        INSERT INTO assignments (id, ticket, round, tier, mode, lead_unit, assists, status, by_whom, dispatched_at)
                        VALUES (?, ?, 1, 3, 'independent', 'civil', '[]', ?, 'rule', ?)
                        """,
                        [.text(String(format: "A-%03d", 39 - i)), .text("T\(i)"), .text(i % 3 == 0 ? "dispatched" : "accepted"),
                         .text(String(format: "2026-11-02T%02d:00:00.000Z", i / 2))])
                }
            }
            // Pages of 5 in (dispatched_at, id) order, each continuing after the last.
            var seen: [String] = [], after: (key: String, id: String)?
            repeat {
                let q = DispatchService.assignmentListQuery(unit: nil, role: nil, status: "dispatched", tier: nil, mode: nil, dueBefore: nil,
                                                            sort: "dispatched", after: after, limit: 5)
                let rows = try await db.read { tx in try tx.query(q.sql, q.parameters) }
                let page = rows.prefix(5)
                seen += page.map { $0.string("id") ?? "" }
                after = rows.count > 5 ? (page.last!.string("dispatched_at")!, page.last!.string("id")!) : nil
            } while after != nil
            let open: [(at: Int, id: String)] = stride(from: 0, to: 40, by: 3).map { i in (i / 2, String(format: "A-%03d", 39 - i)) }
            let expected: [String] = open.sorted { a, b in a.at != b.at ? a.at < b.at : a.id < b.id }.map { $0.id }
            #expect(seen == expected)

            let q = DispatchService.assignmentListQuery(unit: nil, role: nil, status: "dispatched", tier: nil, mode: nil, dueBefore: nil,
                                                        sort: "dispatched", after: ("2026-11-02T03:00:00.000Z", "A-000"), limit: 500)
            let plan = try await db.read { tx in try queryPlan(tx, engine, q.sql, q.parameters) }
            #expect(plan.contains("assignments_dispatched_open") && !plan.contains("TEMP B-TREE") && !plan.contains("Sort"), "\(plan)")
            // The reply path's look-up of a round's replied parts stays on the ticket's index.
            let partsPlan = try await db.read { tx in
                try queryPlan(tx, engine, "SELECT * FROM assignments WHERE ticket = ? AND round = ? AND status = 'replied' ORDER BY dispatched_at, id",
                              [.text("T3"), .int(1)])
            }
            #expect(partsPlan.contains("assignments_ticket"), "\(partsPlan)")
        }
    }
}
