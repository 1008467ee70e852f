import FoundationEssentials
import HotlineCore
import HotlineStorage

/// The KPI facts held in memory: what an audit recomputes from the streams, independently of
/// the live store. It applies the same `FactChange`s as the store and joins them in Swift
/// the way `FactQueries` joins them in SQL, so a difference between the two shows a fault
/// in incremental maintenance (a lost or doubled event, an order dependence, a bad upsert).
struct FactLedger {
    typealias Columns = [String: SQLValue]
    private(set) var rows: [KPIFacts.Table: [String: Columns]] = [:]
    /// Reopenings by ticket and round: (at, reason).
    private(set) var reopenings: [String: [Int: String]] = [:]

    mutating func apply(_ change: KPIFacts.FactChange) {
        switch change {
        case .fill(let table, let key, let columns):
            var row = rows[table, default: [:]][key] ?? [:]
            for c in columns { row[c.name] = c.value }
            rows[table, default: [:]][key] = row
        case .firstReply(let ticket, let at):
            var row = rows[.tickets, default: [:]][ticket] ?? [:]
            if let earlier = row["first_reply_at"]?.string, earlier <= at {} else { row["first_reply_at"] = .text(at) }
            rows[.tickets, default: [:]][ticket] = row
        case .reopening(let ticket, let round, let at, _):
            if reopenings[ticket]?[round] == nil { reopenings[ticket, default: [:]][round] = at }
        }
    }

    /// The records of every period, as `FactQueries` would read them for `p` as of `now`
    /// (the calculator picks each figure's cohort by its own dates).
    func facts(_ p: KPICalculator.Period, now: Date) -> KPICalculator.Facts {
        let tickets = rows[.tickets] ?? [:]
        let assignmentRows = rows[.assignments] ?? [:]
        func date(_ row: Columns?, _ column: String) -> Date? { row?[column]?.string.flatMap(Timestamp.parse) }
        func flag(_ row: Columns?, _ column: String) -> Bool { (row?[column]?.int ?? 0) != 0 }
        var attributesCache: [String: [String: String]] = [:]
        func attributes(ofTicket id: String?) -> [String: String] {
            guard let id else { return [:] }
            if let cached = attributesCache[id] { return cached }
            let row = tickets[id]
            let a = KPIFacts.attributes { row?[$0]?.string }
            attributesCache[id] = a
            return a
        }
        var facts = KPICalculator.Facts()
        for (id, row) in tickets {
            guard let received = date(row, "received_at") else { continue }
            facts.tickets.append(KPICalculator.TicketRecord(
                id: id, receivedAt: received, isRepeat: flag(row, "is_repeat"), isInvalid: flag(row, "is_invalid"),
                firstReplyAt: date(row, "first_reply_at"), closedAtIntake: flag(row, "closed_at_intake"), attributes: attributes(ofTicket: id)))
        }
        // An assignment counts once its dispatch facts are in (lead unit and dispatch time).
        var assignments: [String: KPICalculator.AssignmentRecord] = [:]
        var byTicketRound: [String: [KPICalculator.AssignmentRecord]] = [:]
        for (id, row) in assignmentRows {
            guard let lead = row["lead_unit"]?.string, let dispatched = date(row, "dispatched_at") else { continue }
            let ticket = row["ticket"]?.string
            let record = KPICalculator.AssignmentRecord(
                id: id, leadUnit: lead, dispatchedAt: dispatched, responseDue: date(row, "response_due"), replyDue: date(row, "reply_due"),
                acceptedAt: date(row, "accepted_at"), repliedAt: date(row, "replied_at"), approvedReturn: flag(row, "approved_return"),
                escalatedAt: date(row, "escalated_at"), attributes: attributes(ofTicket: ticket))
            assignments[id] = record
            if let ticket, let round = row["round"]?.int { byTicketRound["\(ticket)#\(round)", default: []].append(record) }
        }
        facts.assignments = Array(assignments.values)
        facts.backlog = facts.assignments
        for (id, row) in rows[.callbacks] ?? [:] {
            guard let a = assignments[id] else { continue }
            if let completed = date(row, "completed_at") {
                facts.callbacks.append(KPICalculator.CallbackRecord(
                    assignment: id, leadUnit: a.leadUnit, completedAt: completed, reached: flag(row, "reached"), resolved: flag(row, "resolved"),
                    satisfaction: row["satisfaction"]?.string ?? "", approvedReturn: a.approvedReturn, attributes: a.attributes))
            }
            if let due = date(row, "due_at") {
                let done = [date(row, "completed_at"), date(row, "unreachable_at")].compactMap { $0 }.min()
                facts.callbackDues.append(KPICalculator.CallbackDue(assignment: id, leadUnit: a.leadUnit, due: due, doneAt: done,
                                                                    attributes: a.attributes))
            }
        }
        for (dispute, row) in rows[.returns] ?? [:] {
            guard let a = row["assignment"]?.string.flatMap({ assignments[$0] }), let at = date(row, "requested_at") else { continue }
            facts.returns.append(KPICalculator.ReturnRecord(dispute: dispute, leadUnit: a.leadUnit, requestedAt: at, attributes: a.attributes))
        }
        // A reopening counts against each lead (once) whose reply in the round before failed.
        for (ticket, rounds) in reopenings {
            for (round, atText) in rounds {
                guard let at = Timestamp.parse(atText) else { continue }
                let leads = Set((byTicketRound["\(ticket)#\(round - 1)"] ?? []).filter { $0.repliedAt != nil }.map(\.leadUnit))
                for lead in leads.sorted() {
                    facts.reopenings.append(KPICalculator.ReopenRecord(id: "\(ticket)#\(round)", leadUnit: lead, at: at,
                                                                       attributes: attributes(ofTicket: ticket)))
                }
            }
        }
        return facts
    }
}
