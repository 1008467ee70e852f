@testable import DispatchService
import Foundation
import HotlineStorage
import HotlineStreams
import TestSupport
import Testing

/// The centre's queue reads the queued tickets from an index that holds only them, in the
/// queue's order (migration 112): a ticket's other moves no longer rewrite an index entry.
@Suite struct QueueQueryPlanTests {
    @Test(arguments: TestEngine.available)
    func theQueueWalksAnIndexOfTheQueuedTicketsInOrder(engine: TestEngine) async throws {
        try await withTestDatabase(engine, schema: "dispatch", migrations: StreamTables.migrations + DispatchService().migrations) { db in
            let statuses = ["received", "queued", "dispatched", "closed"]
            try await db.write { tx in
                for i in 0..<80 {
                    // Two tickets at each hour: the id breaks the tie.
                    try tx.execute(
                        """
                        INSERT INTO tickets (id, channel, kind, category, urgency, region, enterprise, anonymous, status, round, received_at)
                        VALUES (?, 'phone', 'complaint', 'noise', 'normal', 'chengguan', 0, 0, ?, 0, ?)
                        """,
                        [.text(String(format: "T%03d", 79 - i)), .text(statuses[i % 4]),
                         .text(String(format: "2026-11-02T%02d:00:00.000Z", (i / 2) % 24))])
                }
            }
            let rows = try await db.read { tx in try tx.query(DispatchService.queueSQL) }
            let expected = try await db.read { tx in
                try tx.query("SELECT id, received_at FROM tickets WHERE status = 'queued'")
            }.map { ($0.string("received_at") ?? "", $0.string("id") ?? "") }.sorted { $0 < $1 }.map(\.1)
            #expect(rows.count == 20)
            #expect(rows.map { $0.string("id") ?? "" } == expected)
            let plan = try await db.read { tx in try queryPlan(tx, engine, DispatchService.queueSQL) }
            #expect(plan.contains("dispatch_tickets_queued"), "\(plan)")
            if engine == .sqlite { #expect(!plan.contains("TEMP B-TREE"), "\(plan)") }
        }
    }
}
