import Foundation
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
        do {
            var facts = KPICalculator.Facts()
            facts.tickets = try tx.query("SELECT t.*, \(ticketColumns) FROM k_tickets t WHERE t.received_at >= ? AND t.received_at < ?",
                                         [.text(from), .text(to)]).map { r in
                KPICalculator.TicketRecord(id: r.string("id") ?? "", receivedAt: date(r, "received_at") ?? .distantPast, isRepeat: r.bool("is_repeat"),
                                           isInvalid: r.bool("is_invalid"), firstReplyAt: date(r, "first_reply_at"),
                                           closedAtIntake: r.bool("closed_at_intake"), attributes: attributes(r))
            }
            facts.assignments = try tx.query(
                """
                SELECT a.*, \(ticketColumns) FROM k_assignments a LEFT JOIN k_tickets t ON t.id = a.ticket
                WHERE a.lead_unit IS NOT NULL AND a.dispatched_at IS NOT NULL AND (
                    (a.dispatched_at >= ? AND a.dispatched_at < ?) OR (a.response_due >= ? AND a.response_due < ?)
                    OR (a.reply_due >= ? AND a.reply_due < ?) OR (a.replied_at >= ? AND a.replied_at < ?))
                """, [.text(from), .text(to), .text(from), .text(to), .text(from), .text(to), .text(from), .text(to)]
            ).map(assignment)
            // The unit answering for a callback is the assignment's lead unit (kpi.md).
            facts.callbacks = try tx.query(
                """
                SELECT c.assignment, c.completed_at, c.reached, c.resolved, c.satisfaction, a.lead_unit, a.approved_return, \(ticketColumns)
                FROM k_callbacks c JOIN k_assignments a ON a.id = c.assignment LEFT JOIN k_tickets t ON t.id = a.ticket
                WHERE a.lead_unit IS NOT NULL AND c.completed_at >= ? AND c.completed_at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                KPICalculator.CallbackRecord(
                    assignment: r.string("assignment") ?? "", leadUnit: r.string("lead_unit") ?? "", completedAt: date(r, "completed_at") ?? .distantPast,
                    reached: r.bool("reached"), resolved: r.bool("resolved"), satisfaction: r.string("satisfaction") ?? "",
                    approvedReturn: r.bool("approved_return"), attributes: attributes(r))
            }
            facts.callbackDues = try tx.query(
                """
                SELECT c.assignment, c.due_at, c.completed_at, c.unreachable_at, a.lead_unit, \(ticketColumns) FROM k_callbacks c
                JOIN k_assignments a ON a.id = c.assignment LEFT JOIN k_tickets t ON t.id = a.ticket
                WHERE a.lead_unit IS NOT NULL AND c.due_at >= ? AND c.due_at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                let done = [date(r, "completed_at"), date(r, "unreachable_at")].compactMap { $0 }.min()
                return KPICalculator.CallbackDue(assignment: r.string("assignment") ?? "", leadUnit: r.string("lead_unit") ?? "",
                                                 due: date(r, "due_at") ?? .distantPast, doneAt: done, attributes: attributes(r))
            }
            facts.returns = try tx.query(
                """
                SELECT r.dispute, r.requested_at, a.lead_unit, \(ticketColumns) FROM k_returns r JOIN k_assignments a ON a.id = r.assignment
                LEFT JOIN k_tickets t ON t.id = a.ticket WHERE a.lead_unit IS NOT NULL AND r.requested_at >= ? AND r.requested_at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                KPICalculator.ReturnRecord(dispute: r.string("dispute") ?? "", leadUnit: r.string("lead_unit") ?? "",
                                           requestedAt: date(r, "requested_at") ?? .distantPast, attributes: attributes(r))
            }
            // A reopening counts against the lead(s) whose reply in the round before failed.
            facts.reopenings = try tx.query(
                """
                SELECT DISTINCT o.ticket, o.round, o.at, a.lead_unit, \(ticketColumns) FROM k_reopenings o
                JOIN k_assignments a ON a.ticket = o.ticket AND a.round = o.round - 1 AND a.replied_at IS NOT NULL
                LEFT JOIN k_tickets t ON t.id = o.ticket WHERE a.lead_unit IS NOT NULL AND o.at >= ? AND o.at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                KPICalculator.ReopenRecord(id: "\(r.string("ticket") ?? "")#\(r.int("round") ?? 0)", leadUnit: r.string("lead_unit") ?? "",
                                           at: date(r, "at") ?? .distantPast, attributes: attributes(r))
            }
            facts.backlog = try tx.query(
                """
                SELECT a.*, \(ticketColumns) FROM k_assignments a LEFT JOIN k_tickets t ON t.id = a.ticket
                WHERE a.lead_unit IS NOT NULL AND a.dispatched_at IS NOT NULL AND a.reply_due < ?
                    AND (a.replied_at IS NULL OR a.replied_at > ?) AND (a.escalated_at IS NULL OR a.escalated_at > ?)
                    AND (a.approved_return IS NULL OR a.approved_return = 0)
                """, [.text(moment), .text(moment), .text(moment)]
            ).map(assignment)
            return facts
        }
    }
}
