import Foundation
import HotlineCore
import HotlineStorage
import HotlineStreams
@testable import KPIService
import Testing
import TestSupport

/// How kpi reads an assignment's facts for its daily sums: one query over the assignment, its
/// callback and its returns, whichever of them are stored yet (facts arrive in any order).
@Suite struct RollupStoreTests {
    @Test(arguments: TestEngine.available)
    func anAssignmentIsReadWithItsCallbackAndEveryReturn(engine: TestEngine) async throws {
        try await withTestDatabase(engine, schema: "kpi", migrations: StreamTables.migrations + KPIService().migrations) { db in
            try await db.write { tx in
                try tx.execute("""
                    INSERT INTO k_assignments (id, ticket, lead_unit, round, dispatched_at, response_due, reply_due, accepted_at, replied_at,
                                               approved_return, escalated_at)
                    VALUES ('A1', 'T1', 'xicheng', 2, '2026-11-02T01:00:00.000Z', '2026-11-02T05:00:00.000Z', '2026-11-06T16:00:00.000Z',
                            '2026-11-02T02:00:00.000Z', '2026-11-05T03:00:00.000Z', 1, NULL)
                    """)
                try tx.execute("""
                    INSERT INTO k_callbacks (assignment, ticket, due_at, completed_at, reached, resolved, satisfaction)
                    VALUES ('A1', 'T1', '2026-11-06T01:00:00.000Z', '2026-11-06T02:00:00.000Z', 1, 0, 'unsatisfied')
                    """)
                for (dispute, assignment, at) in [("D1", "A1", "2026-11-02T03:00:00.000Z"), ("D2", "A1", "2026-11-03T03:00:00.000Z"),
                                                  ("D3", "A2", "2026-11-04T03:00:00.000Z")] {
                    try tx.execute("INSERT INTO k_returns (dispute, assignment, requested_at) VALUES (?, ?, ?)", [.text(dispute), .text(assignment), .text(at)])
                }
                // Known so far only from its callback's and return's streams.
                try tx.execute("INSERT INTO k_callbacks (assignment, ticket, due_at) VALUES ('A2', 'T2', '2026-11-07T01:00:00.000Z')")
                // A return whose request time is not known yet counts nowhere.
                try tx.execute("INSERT INTO k_returns (dispute, assignment) VALUES ('D4', 'A1')")
            }
            func date(_ text: String) -> Date { Timestamp.parse(text)! }
            var full = KPIRollup.Assignment()
            full.ticket = "T1"
            full.round = 2
            full.unit = "xicheng"
            full.dispatchedAt = date("2026-11-02T01:00:00.000Z")
            full.responseDue = date("2026-11-02T05:00:00.000Z")
            full.replyDue = date("2026-11-06T16:00:00.000Z")
            full.acceptedAt = date("2026-11-02T02:00:00.000Z")
            full.repliedAt = date("2026-11-05T03:00:00.000Z")
            full.approvedReturn = true
            full.callbackDue = date("2026-11-06T01:00:00.000Z")
            full.callbackCompletedAt = date("2026-11-06T02:00:00.000Z")
            full.reached = true
            full.satisfaction = "unsatisfied"
            full.returnsRequestedAt = [date("2026-11-02T03:00:00.000Z"), date("2026-11-03T03:00:00.000Z")]
            var partial = KPIRollup.Assignment()
            partial.callbackDue = date("2026-11-07T01:00:00.000Z")
            partial.returnsRequestedAt = [date("2026-11-04T03:00:00.000Z")]
            let (a1, a2, none) = try await db.read { tx in
                (try RollupStore.assignment(tx, "A1"), try RollupStore.assignment(tx, "A2"), try RollupStore.assignment(tx, "A3"))
            }
            #expect(a1.ticket == full.ticket && a1.round == full.round && a1.unit == full.unit && a1.dispatchedAt == full.dispatchedAt)
            #expect(a1.responseDue == full.responseDue && a1.replyDue == full.replyDue && a1.acceptedAt == full.acceptedAt
                        && a1.repliedAt == full.repliedAt && a1.approvedReturn && a1.escalatedAt == nil)
            #expect(a1.callbackDue == full.callbackDue && a1.callbackCompletedAt == full.callbackCompletedAt && a1.callbackUnreachableAt == nil
                        && a1.reached && !a1.resolved && a1.satisfaction == "unsatisfied")
            #expect(a1.returnsRequestedAt.sorted() == full.returnsRequestedAt)
            #expect(a2.ticket == nil && a2.unit == nil && a2.callbackDue == partial.callbackDue && a2.returnsRequestedAt == partial.returnsRequestedAt)
            #expect(none.ticket == nil && none.callbackDue == nil && none.returnsRequestedAt.isEmpty && !none.approvedReturn)
            // What the daily sums take from each: the returns count on their own days.
            let zone = TimeZone(identifier: "Asia/Shanghai")!
            let returns = KPIRollup.contribution(a1, zone: zone).filter { $0.key.metric == .returns }
            #expect(returns.values.reduce(0, +) == 2 && returns.count == 2)
            // The next round's reopening comes with the assignment: none stored yet, then stored,
            // and none for an assignment not known to a ticket yet.
            let before = try await db.read { tx in try RollupStore.assignmentFacts(tx, "A1").nextReopening }
            #expect(before?.entity == .reopening("T1", 3) && before?.at == nil)
            try await db.write { tx in
                try tx.execute("INSERT INTO k_reopenings (ticket, round, at, reason) VALUES ('T1', 3, '2026-11-07T02:00:00.000Z', 'unsatisfied')")
                // Another round's reopening is not the next one.
                try tx.execute("INSERT INTO k_reopenings (ticket, round, at, reason) VALUES ('T1', 2, '2026-11-04T02:00:00.000Z', 'unsatisfied')")
            }
            let (after, orphan) = try await db.read { tx in
                (try RollupStore.assignmentFacts(tx, "A1"), try RollupStore.assignmentFacts(tx, "A2").nextReopening)
            }
            #expect(after.nextReopening?.entity == .reopening("T1", 3) && after.nextReopening?.at == "2026-11-07T02:00:00.000Z")
            #expect(after.assignment.returnsRequestedAt.count == 2)
            #expect(orphan == nil)

            // Read together (as a run's entities are read ahead of it), each says what it says
            // read alone, the ids without a row too, in chunks padded to few statement texts.
            try await db.write { tx in
                for i in 0..<70 {
                    try tx.execute("INSERT INTO k_tickets (id, received_at, is_repeat) VALUES (?, ?, ?)",
                                   [.text("T\(i)"), .text("2026-11-02T0\(i % 10):00:00.000Z"), .int(i % 2)])
                    try tx.execute("INSERT INTO k_assignments (id, ticket, round, lead_unit) VALUES (?, ?, 1, 'xicheng') ON CONFLICT (id) DO NOTHING",
                                   [.text("B\(i)"), .text("T\(i)")])
                }
            }
            let ticketIDs = (0..<75).map { "T\($0)" }, assignmentIDs = ["A1", "A2", "A3"] + (0..<68).map { "B\($0)" }
            try await db.read { tx in
                let tickets = try RollupStore.ticketFacts(tx, ids: ticketIDs)
                #expect(tickets.count == ticketIDs.count)
                for id in ticketIDs {
                    let alone = try RollupStore.ticketFacts(tx, id)
                    #expect(tickets[id]?.ticket == alone.ticket && tickets[id]?.firstReply == alone.firstReply)
                }
                let assignments = try RollupStore.assignmentFacts(tx, ids: assignmentIDs)
                #expect(assignments.count == assignmentIDs.count)
                for id in assignmentIDs {
                    let alone = try RollupStore.assignmentFacts(tx, id), together = assignments[id]
                    #expect(together?.assignment.ticket == alone.assignment.ticket && together?.assignment.round == alone.assignment.round)
                    #expect(together?.assignment.callbackDue == alone.assignment.callbackDue
                                && together?.assignment.returnsRequestedAt.sorted() == alone.assignment.returnsRequestedAt.sorted())
                    #expect(together?.nextReopening?.entity == alone.nextReopening?.entity && together?.nextReopening?.at == alone.nextReopening?.at)
                }
            }
            #expect(RollupStore.lookupChunks(["a"]) == [["a"]])
            #expect(RollupStore.lookupChunks(["a", "b"]) == [["a", "b", "b", "b"]])
            #expect(RollupStore.lookupChunks((0..<65).map(String.init)).map(\.count) == [64, 1])
            #expect(RollupStore.lookupChunks((0..<81).map(String.init)).map(\.count) == [64, 64] && RollupStore.lookupChunks([]).isEmpty)
        }
    }
}
