import Foundation
import HotlineCore
import HotlineDomain
import HotlineStorage

/// The ids behind a figure's numerator or denominator, read by index a page at a time (KP-3
/// at scale): the same sets `KPICalculator` lists, for the county or one lead unit, sorted
/// by id. Tested against the calculator on generated histories at many moments.
enum EvidenceQueries {
    /// The SQL that selects one side's ids (column `id`), with its parameters.
    struct Selection {
        let sql: String
        let parameters: [SQLValue]
    }

    /// nil when the figure has no such side or is not read this way (same-day: see `sameDay`).
    static func selection(figure: String, numerator: Bool, _ p: KPICalculator.Period, now: Date, unit: String?) -> Selection? {
        let from = SQLValue.text(Timestamp.format(p.from)), to = SQLValue.text(Timestamp.format(p.to))
        let moment = SQLValue.text(Timestamp.format(min(p.to, now))), nowText = SQLValue.text(Timestamp.format(now))
        let lead = unit == nil ? "" : " AND a.lead_unit = ?"
        let leadParameter: [SQLValue] = unit.map { [.text($0)] } ?? []
        let assignment = "a.lead_unit IS NOT NULL AND a.dispatched_at IS NOT NULL" + lead
        let rated = assignment + " AND (a.approved_return IS NULL OR a.approved_return = 0)"
        func select(_ from: String, _ id: String, _ condition: String, _ parameters: [SQLValue]) -> Selection {
            Selection(sql: "SELECT DISTINCT \(id) AS id FROM \(from) WHERE \(condition)", parameters: parameters)
        }
        let dispatched = select("k_assignments a", "a.id", "\(assignment) AND a.dispatched_at >= ? AND a.dispatched_at < ?", leadParameter + [from, to])
        let replies = select("k_assignments a", "a.id", "\(assignment) AND a.replied_at >= ? AND a.replied_at < ?", leadParameter + [from, to])
        /// A deadline cohort: met when done by the due; decided when met or the due has passed.
        func deadline(_ due: String, _ done: String) -> Selection {
            let met = "a.\(done) IS NOT NULL AND a.\(done) <= a.\(due)"
            return select("k_assignments a", "a.id", "\(rated) AND a.\(due) >= ? AND a.\(due) < ? AND "
                              + (numerator ? "(\(met))" : "((\(met)) OR a.\(due) <= ?)"),
                          leadParameter + [from, to] + (numerator ? [] : [nowText]))
        }
        let reachedFrom = "k_callbacks c JOIN k_assignments a ON a.id = c.assignment"
        let reached = "a.lead_unit IS NOT NULL\(lead) AND (a.approved_return IS NULL OR a.approved_return = 0) AND c.reached = 1"
            + " AND c.completed_at >= ? AND c.completed_at < ?"
        switch (figure, numerator) {
        case ("received", _):
            guard unit == nil else { return nil }
            return Selection(sql: "SELECT id FROM k_tickets WHERE received_at >= ? AND received_at < ?", parameters: [from, to])
        case ("assignments", _), ("return_rate", false): return dispatched
        case ("response_rate", _): return deadline("response_due", "accepted_at")
        case ("on_time_rate", _): return deadline("reply_due", "replied_at")
        case ("resolution_rate", _), ("satisfaction_rate", false):
            return select(reachedFrom, "c.assignment", reached + (numerator ? " AND c.resolved = 1" : ""), leadParameter + [from, to])
        case ("satisfaction_rate", true):
            return select(reachedFrom, "c.assignment", reached + " AND c.satisfaction IN ('satisfied', 'basic')", leadParameter + [from, to])
        case ("return_rate", true):
            return select("k_returns r JOIN k_assignments a ON a.id = r.assignment", "r.dispute",
                          "a.lead_unit IS NOT NULL\(lead) AND r.requested_at >= ? AND r.requested_at < ?", leadParameter + [from, to])
        case ("rehandle_rate", true):
            return select("k_reopenings o JOIN k_assignments a ON a.ticket = o.ticket AND a.round = o.round - 1 AND a.replied_at IS NOT NULL",
                          "o.ticket || '#' || o.round", "a.lead_unit IS NOT NULL\(lead) AND o.at >= ? AND o.at < ?", leadParameter + [from, to])
        case ("rehandle_rate", false), ("avg_handling_hours", false): return replies
        case ("callback_rate", _):
            let met = "((c.completed_at IS NOT NULL AND c.completed_at <= c.due_at) OR (c.unreachable_at IS NOT NULL AND c.unreachable_at <= c.due_at))"
            return select(reachedFrom, "c.assignment", "a.lead_unit IS NOT NULL\(lead) AND c.due_at >= ? AND c.due_at < ? AND "
                              + (numerator ? met : "(\(met) OR c.due_at <= ?)"),
                          leadParameter + [from, to] + (numerator ? [] : [nowText]))
        case ("overdue_backlog", _):
            return select("k_assignments a", "a.id", """
                \(rated) AND a.dispatched_at < ? AND a.reply_due < ? AND (a.replied_at IS NULL OR a.replied_at > ?)
                AND (a.escalated_at IS NULL OR a.escalated_at > ?)
                """, leadParameter + [moment, moment, moment, moment])
        default:
            return nil
        }
    }

    /// A page of one side's ids after `after` (sorted by id), at most `limit`.
    static func page(_ tx: Transaction, figure: String, numerator: Bool, _ p: KPICalculator.Period, now: Date, unit: String?,
                     after: String?, limit: Int) throws -> [String] {
        if figure == "same_day_rate" {
            guard unit == nil else { return [] }
            return Array(try sameDay(tx, numerator: numerator, p).filter { id in after.map { id > $0 } ?? true }.prefix(limit))
        }
        guard let s = selection(figure: figure, numerator: numerator, p, now: now, unit: unit) else { return [] }
        let sql = "SELECT id FROM (\(s.sql)) ids" + (after == nil ? "" : " WHERE id > ?") + " ORDER BY id LIMIT ?"
        return try tx.query(sql, s.parameters + (after.map { [SQLValue.text($0)] } ?? []) + [.int(limit)]).compactMap { $0.string("id") }
    }

    /// Same-day evidence needs the local date of two instants: read the cohort, decide in Swift.
    static func sameDay(_ tx: Transaction, numerator: Bool, _ p: KPICalculator.Period) throws -> [String] {
        try tx.query(
            """
            SELECT id, received_at, first_reply_at, closed_at_intake FROM k_tickets WHERE received_at >= ? AND received_at < ?
            AND (is_repeat IS NULL OR is_repeat = 0) AND (is_invalid IS NULL OR is_invalid = 0) ORDER BY id
            """, [.text(Timestamp.format(p.from)), .text(Timestamp.format(p.to))]
        ).filter { r in
            guard numerator else { return true }
            if r.bool("closed_at_intake") { return true }
            guard let received = r.string("received_at").flatMap(Timestamp.parse), let reply = r.string("first_reply_at").flatMap(Timestamp.parse)
            else { return false }
            return LocalDate.day(of: received, in: p.zone) == LocalDate.day(of: reply, in: p.zone)
        }.compactMap { $0.string("id") }
    }
}
