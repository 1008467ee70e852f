import FoundationEssentials
import HotlineCore
import HotlineStorage

/// Reads the joined facts any figure of a period can depend on. Facts still incomplete (a
/// ticket whose receipt, an assignment whose dispatch has not been applied yet) count nowhere
/// until their stream catches up: `/readyz` shows the lag.
enum FactQueries {
    /// The records any figure of `p` can depend on, as of `now`.
    static func facts(_ tx: Transaction, _ p: KPICalculator.Period, now: Date) throws -> KPICalculator.Facts {
        let from = Timestamp.format(p.from)
        let to = Timestamp.format(p.to)
        let moment = Timestamp.format(min(p.to, now))
        func date(_ r: Row, _ column: String) -> Date? { r.string(column).flatMap(Timestamp.parse) }
        /// A ticket's own fields from the joined `t_*` columns.
        func attributes(_ r: Row) -> [String: String] { KPIFacts.attributes { r.string("t_" + $0) } }
        let ticketColumns = "t.channel AS t_channel, t.category AS t_category, t.kind AS t_kind, t.domain AS t_domain, t.region AS t_region, t.tags AS t_tags"
        func assignment(_ r: Row) -> KPICalculator.AssignmentRecord {
            KPICalculator.AssignmentRecord(
                id: r.string("id") ?? "", leadUnit: r.string("lead_unit") ?? "", dispatchedAt: date(r, "dispatched_at") ?? .distantPast,
                responseDue: date(r, "response_due"), replyDue: date(r, "reply_due"), acceptedAt: date(r, "accepted_at"),
                repliedAt: date(r, "replied_at"), approvedReturn: r.bool("approved_return"), escalatedAt: date(r, "escalated_at"),
                attributes: attributes(r))
        }
        /// The records a query's rows make, each row dropped once it is made.
        func records<T>(_ sql: String, _ parameters: [SQLValue], _ make: (Row) -> T) throws -> [T] {
            var out: [T] = []
            try tx.forEachRow(sql, parameters) { out.append(make($0)) }
            return out
        }
        do {
            var facts = KPICalculator.Facts()
            facts.tickets = try records("SELECT t.*, \(ticketColumns) FROM k_tickets t WHERE t.received_at >= ? AND t.received_at < ?",
                                        [.text(from), .text(to)]) { r in
                KPICalculator.TicketRecord(id: r.string("id") ?? "", receivedAt: date(r, "received_at") ?? .distantPast, isRepeat: r.bool("is_repeat"),
                                           isInvalid: r.bool("is_invalid"), firstReplyAt: date(r, "first_reply_at"),
                                           closedAtIntake: r.bool("closed_at_intake"), attributes: attributes(r))
            }
            facts.assignments = try records(
                """
                SELECT a.*, \(ticketColumns) FROM k_assignments a LEFT JOIN k_tickets t ON t.id = a.ticket
                WHERE a.lead_unit IS NOT NULL AND a.dispatched_at IS NOT NULL AND (
                    (a.dispatched_at >= ? AND a.dispatched_at < ?) OR (a.response_due >= ? AND a.response_due < ?)
                    OR (a.reply_due >= ? AND a.reply_due < ?) OR (a.replied_at >= ? AND a.replied_at < ?))
                """, [.text(from), .text(to), .text(from), .text(to), .text(from), .text(to), .text(from), .text(to)], assignment
            )
            // The unit answering for a callback is the assignment's lead unit (kpi.md). Callbacks
            // completed in the period and those due in it are mostly the same rows: one read
            // (joining each to its assignment and ticket once) gives both.
            try tx.forEachRow(
                """
                SELECT c.assignment, c.completed_at, c.reached, c.resolved, c.satisfaction, c.due_at, c.unreachable_at, a.lead_unit,
                    a.approved_return, \(ticketColumns)
                FROM k_callbacks c JOIN k_assignments a ON a.id = c.assignment LEFT JOIN k_tickets t ON t.id = a.ticket
                WHERE a.lead_unit IS NOT NULL AND ((c.completed_at >= ? AND c.completed_at < ?) OR (c.due_at >= ? AND c.due_at < ?))
                """, [.text(from), .text(to), .text(from), .text(to)]
            ) { r in
                let completed = r.string("completed_at")
                let due = r.string("due_at")
                let assignment = r.string("assignment") ?? "", leadUnit = r.string("lead_unit") ?? "", attributes = attributes(r)
                if let completed, completed >= from && completed < to {
                    facts.callbacks.append(KPICalculator.CallbackRecord(
                        assignment: assignment, leadUnit: leadUnit, completedAt: Timestamp.parse(completed) ?? .distantPast,
                        reached: r.bool("reached"), resolved: r.bool("resolved"), satisfaction: r.string("satisfaction") ?? "",
                        approvedReturn: r.bool("approved_return"), attributes: attributes))
                }
                if let due, due >= from && due < to {
                    let done = [completed.flatMap(Timestamp.parse), date(r, "unreachable_at")].compactMap { $0 }.min()
                    facts.callbackDues.append(KPICalculator.CallbackDue(assignment: assignment, leadUnit: leadUnit,
                                                                        due: Timestamp.parse(due) ?? .distantPast, doneAt: done,
                                                                        attributes: attributes))
                }
            }
            facts.returns = try records(
                """
                SELECT r.dispute, r.requested_at, a.lead_unit, \(ticketColumns) FROM k_returns r JOIN k_assignments a ON a.id = r.assignment
                LEFT JOIN k_tickets t ON t.id = a.ticket WHERE a.lead_unit IS NOT NULL AND r.requested_at >= ? AND r.requested_at < ?
                """, [.text(from), .text(to)]
            ) { r in
                KPICalculator.ReturnRecord(dispute: r.string("dispute") ?? "", leadUnit: r.string("lead_unit") ?? "",
                                           requestedAt: date(r, "requested_at") ?? .distantPast, attributes: attributes(r))
            }
            // A reopening counts against the lead(s) whose reply in the round before failed.
            facts.reopenings = try records(
                """
                SELECT DISTINCT o.ticket, o.round, o.at, a.lead_unit, \(ticketColumns) FROM k_reopenings o
                JOIN k_assignments a ON a.ticket = o.ticket AND a.round = o.round - 1 AND a.replied_at IS NOT NULL
                LEFT JOIN k_tickets t ON t.id = o.ticket WHERE a.lead_unit IS NOT NULL AND o.at >= ? AND o.at < ?
                """, [.text(from), .text(to)]
            ) { r in
                KPICalculator.ReopenRecord(id: "\(r.string("ticket") ?? "")#\(r.int("round") ?? 0)", leadUnit: r.string("lead_unit") ?? "",
                                           at: date(r, "at") ?? .distantPast, attributes: attributes(r))
            }
            // Unreplied by the moment: not replied at all, or replied after it. Two indexed reads
            // (the unreplied are few, the replies after the moment recent) instead of one over
            // every assignment ever due before the moment, which grew with the store's history.
            let overdue = """
                a.lead_unit IS NOT NULL AND a.dispatched_at IS NOT NULL AND a.reply_due < ?
                    AND (a.escalated_at IS NULL OR a.escalated_at > ?) AND (a.approved_return IS NULL OR a.approved_return = 0)
                """
            facts.backlog = try records(
                """
                SELECT a.*, \(ticketColumns) FROM k_assignments a LEFT JOIN k_tickets t ON t.id = a.ticket
                WHERE a.replied_at IS NULL AND \(overdue)
                UNION ALL
                SELECT a.*, \(ticketColumns) FROM k_assignments a LEFT JOIN k_tickets t ON t.id = a.ticket
                WHERE a.replied_at > ? AND \(overdue)
                """, [.text(moment), .text(moment), .text(moment), .text(moment), .text(moment)], assignment
            )
            return facts
        }
    }
}
