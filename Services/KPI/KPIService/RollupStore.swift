import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineStorage

/// `k_rollup`: the daily sums of `KPIRollup`, kept by `KPIFacts.record` in the same
/// transaction as the facts, and read by `RollupFigures`.
enum RollupStore {
    static let columns = KPIRollup.Metric.allCases.map(\.rawValue)

    // The columns are written out: a migration never changes once released (a new metric is
    // a new migration adding its column).
    // The two unit × deadline indexes cover the evidence of the response and on-time rates: a
    // page of ids is read from the index alone, in its order.
    static let migration = Migration(107, "daily sums per unit, for figures at scale", """
        CREATE TABLE k_rollup (
            unit TEXT NOT NULL,
            day BIGINT NOT NULL,
            assigned BIGINT NOT NULL DEFAULT 0,
            response_due BIGINT NOT NULL DEFAULT 0,
            response_met BIGINT NOT NULL DEFAULT 0,
            reply_due BIGINT NOT NULL DEFAULT 0,
            reply_met BIGINT NOT NULL DEFAULT 0,
            replies BIGINT NOT NULL DEFAULT 0,
            handling_ms BIGINT NOT NULL DEFAULT 0,
            reached BIGINT NOT NULL DEFAULT 0,
            resolved BIGINT NOT NULL DEFAULT 0,
            satisfied BIGINT NOT NULL DEFAULT 0,
            returns BIGINT NOT NULL DEFAULT 0,
            callback_due BIGINT NOT NULL DEFAULT 0,
            callback_met BIGINT NOT NULL DEFAULT 0,
            backlog_enter BIGINT NOT NULL DEFAULT 0,
            backlog_exit BIGINT NOT NULL DEFAULT 0,
            received BIGINT NOT NULL DEFAULT 0,
            same_day_eligible BIGINT NOT NULL DEFAULT 0,
            same_day_met BIGINT NOT NULL DEFAULT 0,
            reopened BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (unit, day)
        );
        CREATE INDEX k_rollup_day ON k_rollup (day, unit);
        CREATE INDEX k_rollup_backlog ON k_rollup (unit, day, backlog_enter, backlog_exit);
        CREATE TABLE k_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE INDEX k_returns_assignment ON k_returns (assignment);
        CREATE INDEX k_assignments_unreplied ON k_assignments (reply_due) WHERE replied_at IS NULL;
        CREATE INDEX k_assignments_unit_reply ON k_assignments (lead_unit, reply_due, id, replied_at, approved_return, dispatched_at);
        CREATE INDEX k_assignments_unit_response ON k_assignments (lead_unit, response_due, id, accepted_at, approved_return, dispatched_at);
        """)

    static func date(_ v: SQLValue?) -> Date? { v?.string.flatMap(Timestamp.parse) }

    /// The assignment entity `id` as the rollup sees it: its row, its callback, its returns.
    /// One query (a row per return, or one without): kpi reads every entity a batch touches
    /// before and after it, and three look-ups each were a third of its statements.
    static func assignment(_ tx: Transaction, _ id: String) throws -> KPIRollup.Assignment { try assignmentFacts(tx, id).assignment }

    /// The assignment entity and, when it has a ticket and round, whether the next round's
    /// reopening is stored (its time): every change to an assignment touches that reopening
    /// (`RollupBatch`), and looking it up on its own was a statement per change.
    static func assignmentFacts(_ tx: Transaction, _ id: String) throws -> AssignmentFacts {
        assignmentFacts(rows: try tx.query(assignmentQuery(1), [.text(id)]))
    }

    typealias AssignmentFacts = (assignment: KPIRollup.Assignment, nextReopening: (entity: Entity, at: String?)?)

    /// The facts of several assignments, a few statements for all (`lookupChunks`).
    static func assignmentFacts(_ tx: Transaction, ids: [String]) throws -> [String: AssignmentFacts] {
        var out: [String: AssignmentFacts] = [:]
        for chunk in lookupChunks(ids) {
            let rows = try tx.query(assignmentQuery(chunk.count), chunk.map(SQLValue.text))
            for (id, its) in Dictionary(grouping: rows, by: { $0.string("qid") ?? "" }) { out[id] = assignmentFacts(rows: its) }
        }
        return out
    }

    /// One assignment's facts from its rows of `assignmentQuery`.
    private static func assignmentFacts(rows: [Row]) -> AssignmentFacts {
        var a = KPIRollup.Assignment()
        guard let r = rows.first else { return (a, nil) }
        a.ticket = r.string("ticket")
        a.round = r.int("round").map { Int($0) }
        a.unit = r.string("lead_unit")
        a.dispatchedAt = date(r["dispatched_at"])
        a.responseDue = date(r["response_due"])
        a.acceptedAt = date(r["accepted_at"])
        a.replyDue = date(r["reply_due"])
        a.repliedAt = date(r["replied_at"])
        a.approvedReturn = r.bool("approved_return")
        a.escalatedAt = date(r["escalated_at"])
        a.callbackDue = date(r["callback_due_at"])
        a.callbackCompletedAt = date(r["callback_completed_at"])
        a.callbackUnreachableAt = date(r["callback_unreachable_at"])
        a.reached = r.bool("callback_reached")
        a.resolved = r.bool("callback_resolved")
        a.satisfaction = r.string("callback_satisfaction")
        a.returnsRequestedAt = rows.compactMap { date($0["return_requested_at"]) }
        guard let ticket = a.ticket, let round = a.round else { return (a, nil) }
        return (a, (.reopening(ticket, round + 1), r.string("next_reopened_at")))
    }

    /// Facts of `count` assignments whichever of their tables hold them yet (each joined to the
    /// id): at least a row for each id asked, `qid` saying which.
    private static func assignmentQuery(_ count: Int) -> String {
        let ids = Array(repeating: "SELECT CAST(? AS TEXT) AS id", count: count).joined(separator: " UNION ")
        return """
        SELECT q.id AS qid, a.ticket, a.round, a.lead_unit, a.dispatched_at, a.response_due, a.accepted_at, a.reply_due, a.replied_at,
            a.approved_return, a.escalated_at, c.due_at AS callback_due_at, c.completed_at AS callback_completed_at,
            c.unreachable_at AS callback_unreachable_at, c.reached AS callback_reached, c.resolved AS callback_resolved,
            c.satisfaction AS callback_satisfaction, r.requested_at AS return_requested_at, o.at AS next_reopened_at
        FROM (\(ids)) q
        LEFT JOIN k_assignments a ON a.id = q.id
        LEFT JOIN k_callbacks c ON c.assignment = q.id
        LEFT JOIN k_returns r ON r.assignment = q.id AND r.requested_at IS NOT NULL
        LEFT JOIN k_reopenings o ON o.ticket = a.ticket AND o.round = a.round + 1
        """
    }

    /// Keys to look up together, in chunks of at most 64, each padded (with its last key) to 1,
    /// 4, 16 or 64: a handful of statement texts, each prepared once per connection.
    static func lookupChunks(_ keys: [String]) -> [[String]] {
        stride(from: 0, to: keys.count, by: 64).map { start in
            var chunk = Array(keys[start..<min(start + 64, keys.count)])
            let size = [1, 4, 16, 64].first { $0 >= chunk.count }!
            chunk += Array(repeating: chunk.last!, count: size - chunk.count)
            return chunk
        }
    }

    static func ticket(_ tx: Transaction, _ id: String) throws -> KPIRollup.Ticket { try ticketFacts(tx, id).ticket }

    /// The ticket entity, with its first reply as stored (text: `firstReply` changes keep the
    /// earliest by comparing the text, as the store's upsert does).
    static func ticketFacts(_ tx: Transaction, _ id: String) throws -> TicketFacts {
        ticketFacts(row: try tx.queryOne(ticketQuery(1), [.text(id)]))
    }

    typealias TicketFacts = (ticket: KPIRollup.Ticket, firstReply: String?)

    /// The ticket entities of several ids (those without a row too), a few statements for all.
    static func ticketFacts(_ tx: Transaction, ids: [String]) throws -> [String: TicketFacts] {
        var out: [String: TicketFacts] = [:]
        for chunk in lookupChunks(ids) {
            let rows = try tx.query(ticketQuery(chunk.count), chunk.map(SQLValue.text))
            for id in chunk { out[id] = ticketFacts(row: nil) }
            for row in rows { out[row.string("id") ?? ""] = ticketFacts(row: row) }
        }
        return out
    }

    private static func ticketQuery(_ count: Int) -> String {
        "SELECT id, received_at, is_repeat, is_invalid, first_reply_at, closed_at_intake FROM k_tickets WHERE id IN ("
            + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }

    private static func ticketFacts(row r: Row?) -> TicketFacts {
        var t = KPIRollup.Ticket()
        var firstReply: String?
        if let r {
            t.receivedAt = date(r["received_at"])
            t.isRepeat = r.bool("is_repeat")
            t.isInvalid = r.bool("is_invalid")
            firstReply = r.string("first_reply_at")
            t.firstReplyAt = firstReply.flatMap(Timestamp.parse)
            t.closedAtIntake = r.bool("closed_at_intake")
        }
        return (t, firstReply)
    }

    static func reopening(_ tx: Transaction, ticket: String, round: Int) throws -> KPIRollup.Reopening {
        var r = KPIRollup.Reopening()
        r.at = try tx.queryOne("SELECT at FROM k_reopenings WHERE ticket = ? AND round = ?", [.text(ticket), .int(round)])?.string("at")
            .flatMap(Timestamp.parse)
        guard r.at != nil else { return r }
        r.leads = Set(try tx.query(
            "SELECT DISTINCT lead_unit FROM k_assignments WHERE ticket = ? AND round = ? AND replied_at IS NOT NULL AND lead_unit IS NOT NULL",
            [.text(ticket), .int(round - 1)]).compactMap { $0.string("lead_unit") })
        return r
    }

    /// Which entities a change touches.
    enum Entity: Hashable {
        case assignment(String), ticket(String), reopening(String, Int)
    }

    static func contribution(_ tx: Transaction, _ e: Entity, zone: TimeZone) throws -> KPIRollup.Contribution {
        switch e {
        case .assignment(let id): return KPIRollup.contribution(try assignment(tx, id), zone: zone)
        case .ticket(let id): return KPIRollup.contribution(try ticket(tx, id), zone: zone)
        case .reopening(let ticket, let round): return KPIRollup.contribution(try reopening(tx, ticket: ticket, round: round), zone: zone)
        }
    }

    /// Adds `delta` to the stored sums: one upsert per unit and day.
    static func add(_ tx: Transaction, _ delta: KPIRollup.Contribution) throws {
        var rows: [String: [(KPIRollup.Metric, Double)]] = [:]
        var keys: [String: (String, Int)] = [:]
        for (cell, n) in delta {
            let key = "\(cell.unit)\n\(cell.day)"
            rows[key, default: []].append((cell.metric, n))
            keys[key] = (cell.unit, cell.day)
        }
        for (key, metrics) in rows.sorted(by: { $0.key < $1.key }) {
            let (unit, day) = keys[key]!
            let names = metrics.map(\.0.rawValue)
            let placeholders = Array(repeating: "?", count: names.count + 2).joined(separator: ", ")
            try tx.executeDeferred(
                "INSERT INTO k_rollup (unit, day, \(names.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT (unit, day) DO UPDATE SET "
                    + names.map { "\($0) = k_rollup.\($0) + excluded.\($0)" }.joined(separator: ", "),
                [.text(unit), .int(day)] + metrics.map { .integer(Int64($0.1)) })
        }
    }

    /// Fills the sums from the facts when they were never built (a store from before
    /// migration 107) or were built in another zone, before any event is applied. One
    /// transaction: all or nothing.
    static func buildIfNeeded(_ tx: Transaction, zone: TimeZone) throws -> Int {
        // Days are the zone's local days: a store built in another zone is built again.
        let builtFor = try tx.queryOne("SELECT value FROM k_meta WHERE key = 'rollup'")?.string("value")
        guard builtFor != zone.identifier else { return 0 }
        try tx.executeDeferred("DELETE FROM k_rollup")
        try tx.executeDeferred("DELETE FROM k_meta WHERE key = 'rollup'")
        var total: KPIRollup.Contribution = [:]
        var entities = 0
        for r in try tx.query("SELECT id FROM k_assignments") {
            for (cell, n) in try contribution(tx, .assignment(r.string("id") ?? ""), zone: zone) { total[cell, default: 0] += n }
            entities += 1
        }
        for r in try tx.query("SELECT id FROM k_tickets") {
            for (cell, n) in try contribution(tx, .ticket(r.string("id") ?? ""), zone: zone) { total[cell, default: 0] += n }
            entities += 1
        }
        for r in try tx.query("SELECT ticket, round FROM k_reopenings") {
            let entity = Entity.reopening(r.string("ticket") ?? "", Int(r.int("round") ?? 0))
            for (cell, n) in try contribution(tx, entity, zone: zone) { total[cell, default: 0] += n }
            entities += 1
        }
        try add(tx, total.filter { $0.value != 0 })
        try tx.executeDeferred("INSERT INTO k_meta (key, value) VALUES ('rollup', ?)", [.text(zone.identifier)])
        return entities
    }

    /// Each unit's overdue backlog at the start of local day `end`: entered minus left before it.
    static func backlog(_ tx: Transaction, before end: Int, unit: String?) throws -> [String: Int] {
        var out: [String: Int] = [:]
        let rows = unit == nil
            ? try tx.query("SELECT unit, SUM(backlog_enter) - SUM(backlog_exit) AS n FROM k_rollup WHERE day < ? GROUP BY unit", [.int(end)])
            : try tx.query("SELECT unit, SUM(backlog_enter) - SUM(backlog_exit) AS n FROM k_rollup WHERE unit = ? AND day < ? GROUP BY unit",
                           [.text(unit!), .int(end)])
        for r in rows {
            let n = Int(r.int("n") ?? 0)
            if let u = r.string("unit"), !u.isEmpty, n != 0 { out[u] = n }
        }
        return out
    }

    /// Sums per unit of every metric over local days [from, to).
    static func sums(_ tx: Transaction, days: Range<Int>, unit: String? = nil) throws -> [String: [KPIRollup.Metric: Double]] {
        guard !days.isEmpty else { return [:] }
        var sql = "SELECT unit, " + columns.map { "SUM(\($0)) AS \($0)" }.joined(separator: ", ") + " FROM k_rollup WHERE day >= ? AND day < ?"
        var parameters: [SQLValue] = [.int(days.lowerBound), .int(days.upperBound)]
        if let unit {
            sql += " AND (unit = ? OR unit = '')"
            parameters.append(.text(unit))
        }
        var out: [String: [KPIRollup.Metric: Double]] = [:]
        for r in try tx.query(sql + " GROUP BY unit", parameters) {
            var m: [KPIRollup.Metric: Double] = [:]
            for metric in KPIRollup.Metric.allCases { m[metric] = r.double(metric.rawValue) ?? 0 }
            out[r.string("unit") ?? ""] = m
        }
        return out
    }
}
