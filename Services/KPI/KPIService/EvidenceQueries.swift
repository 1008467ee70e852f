import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineStorage

/// The ids behind a figure's numerator or denominator, read by index a page at a time (KP-3
/// at scale): the same sets `KPICalculator` lists, for the county or one lead unit, in the
/// order of the date that puts each in the cohort (a deadline, a dispatch, a callback…),
/// then id — the order of the indexes, so a page costs its size, not the cohort's. Tested
/// against the calculator on generated histories at many moments.
enum EvidenceQueries {
    /// The SQL that selects one side's rows (columns `key`, the cohort date, and `id`), with its parameters.
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
        func select(_ from: String, _ key: String, _ id: String, _ condition: String, _ parameters: [SQLValue], distinct: Bool = false) -> Selection {
            Selection(sql: "SELECT \(distinct ? "DISTINCT " : "")\(key) AS key, \(id) AS id FROM \(from) WHERE \(condition)", parameters: parameters)
        }
        let dispatched = select("k_assignments a", "a.dispatched_at", "a.id", "\(assignment) AND a.dispatched_at >= ? AND a.dispatched_at < ?",
                                leadParameter + [from, to])
        let replies = select("k_assignments a", "a.replied_at", "a.id", "\(assignment) AND a.replied_at >= ? AND a.replied_at < ?",
                             leadParameter + [from, to])
        /// A deadline cohort: met when done by the due; decided when met or the due has passed.
        func deadline(_ due: String, _ done: String) -> Selection {
            let met = "a.\(done) IS NOT NULL AND a.\(done) <= a.\(due)"
            return select("k_assignments a", "a.\(due)", "a.id", "\(rated) AND a.\(due) >= ? AND a.\(due) < ? AND "
                              + (numerator ? "(\(met))" : "((\(met)) OR a.\(due) <= ?)"),
                          leadParameter + [from, to] + (numerator ? [] : [nowText]))
        }
        let reachedFrom = "k_callbacks c JOIN k_assignments a ON a.id = c.assignment"
        let reached = "a.lead_unit IS NOT NULL\(lead) AND (a.approved_return IS NULL OR a.approved_return = 0) AND c.reached = 1"
            + " AND c.completed_at >= ? AND c.completed_at < ?"
        switch (figure, numerator) {
        case ("received", _):
            guard unit == nil else { return nil }
            return Selection(sql: "SELECT received_at AS key, id FROM k_tickets WHERE received_at >= ? AND received_at < ?", parameters: [from, to])
        case ("assignments", _), ("return_rate", false): return dispatched
        case ("response_rate", _): return deadline("response_due", "accepted_at")
        case ("on_time_rate", _): return deadline("reply_due", "replied_at")
        case ("resolution_rate", _), ("satisfaction_rate", false):
            return select(reachedFrom, "c.completed_at", "c.assignment", reached + (numerator ? " AND c.resolved = 1" : ""), leadParameter + [from, to])
        case ("satisfaction_rate", true):
            return select(reachedFrom, "c.completed_at", "c.assignment", reached + " AND c.satisfaction IN ('satisfied', 'basic')",
                          leadParameter + [from, to])
        case ("return_rate", true):
            return select("k_returns r JOIN k_assignments a ON a.id = r.assignment", "r.requested_at", "r.dispute",
                          "a.lead_unit IS NOT NULL\(lead) AND r.requested_at >= ? AND r.requested_at < ?", leadParameter + [from, to])
        case ("rehandle_rate", true):
            return select("k_reopenings o JOIN k_assignments a ON a.ticket = o.ticket AND a.round = o.round - 1 AND a.replied_at IS NOT NULL",
                          "o.at", "o.ticket || '#' || o.round", "a.lead_unit IS NOT NULL\(lead) AND o.at >= ? AND o.at < ?", leadParameter + [from, to],
                          distinct: true)
        case ("rehandle_rate", false), ("avg_handling_hours", false): return replies
        case ("callback_rate", _):
            let met = "((c.completed_at IS NOT NULL AND c.completed_at <= c.due_at) OR (c.unreachable_at IS NOT NULL AND c.unreachable_at <= c.due_at))"
            return select(reachedFrom, "c.due_at", "c.assignment", "a.lead_unit IS NOT NULL\(lead) AND c.due_at >= ? AND c.due_at < ? AND "
                              + (numerator ? met : "(\(met) OR c.due_at <= ?)"),
                          leadParameter + [from, to] + (numerator ? [] : [nowText]))
        case ("overdue_backlog", _):
            return select("k_assignments a", "a.reply_due", "a.id", """
                \(rated) AND a.dispatched_at < ? AND a.reply_due < ? AND (a.replied_at IS NULL OR a.replied_at > ?)
                AND (a.escalated_at IS NULL OR a.escalated_at > ?)
                """, leadParameter + [moment, moment, moment, moment])
        default:
            return nil
        }
    }

    /// One id with the cohort date it is ordered by.
    struct Item: Sendable, Equatable {
        let key: String
        let id: String
    }

    /// A page of one side's items after `after` (by cohort date, then id), at most `limit`.
    static func page(_ tx: Transaction, figure: String, numerator: Bool, _ p: KPICalculator.Period, now: Date, unit: String?,
                     after: (key: String, id: String)?, limit: Int) throws -> [Item] {
        func later(_ i: Item) -> Bool { after.map { i.key > $0.key || (i.key == $0.key && i.id > $0.id) } ?? true }
        if figure == "same_day_rate" {
            guard unit == nil else { return [] }
            return Array(try sameDay(tx, numerator: numerator, p).filter(later).prefix(limit))
        }
        guard let s = selection(figure: figure, numerator: numerator, p, now: now, unit: unit) else { return [] }
        let sql = "SELECT key, id FROM (\(s.sql)) ids" + (after == nil ? "" : " WHERE key > ? OR (key = ? AND id > ?)") + " ORDER BY key, id LIMIT ?"
        let position: [SQLValue] = after.map { [.text($0.key), .text($0.key), .text($0.id)] } ?? []
        return try tx.query(sql, s.parameters + position + [.int(limit)]).compactMap { r in
            guard let key = r.string("key"), let id = r.string("id") else { return nil }
            return Item(key: key, id: id)
        }
    }

    /// Same-day evidence needs the local date of two instants: read the cohort, decide in Swift.
    static func sameDay(_ tx: Transaction, numerator: Bool, _ p: KPICalculator.Period) throws -> [Item] {
        try tx.query(
            """
            SELECT id, received_at, first_reply_at, closed_at_intake FROM k_tickets WHERE received_at >= ? AND received_at < ?
            AND (is_repeat IS NULL OR is_repeat = 0) AND (is_invalid IS NULL OR is_invalid = 0) ORDER BY received_at, id
            """, [.text(Timestamp.format(p.from)), .text(Timestamp.format(p.to))]
        ).filter { r in
            guard numerator else { return true }
            if r.bool("closed_at_intake") { return true }
            guard let received = r.string("received_at").flatMap(Timestamp.parse), let reply = r.string("first_reply_at").flatMap(Timestamp.parse)
            else { return false }
            return LocalDate.day(of: received, in: p.zone) == LocalDate.day(of: reply, in: p.zone)
        }.compactMap { r in r.string("id").flatMap { id in r.string("received_at").map { Item(key: $0, id: id) } } }
    }
}
