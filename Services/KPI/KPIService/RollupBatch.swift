import FoundationEssentials
import HotlineCore
import HotlineStorage

/// The entities one run of events touches, for moving the daily sums once per run
/// (`KPIFacts.record`): each entity is read from the store before its first change, and its
/// state after the run is those facts with the run's changes applied in memory — the same
/// columns the store's upserts write, read back the way `RollupStore` reads them. Reading each
/// entity a second time after the run was most of kpi's statements.
///
/// What memory cannot follow is read from the store after the run: a return request (the
/// store keys it by dispute) and a reopening that exists (its leads are a query over the
/// round before). A reopening without a row before the run and without a `reopening` change in
/// it contributes nothing after it either.
struct RollupBatch {
    private let tx: Transaction
    private let zone: TimeZone
    /// What each touched entity contributed before the run, in the order first touched.
    private var before: [RollupStore.Entity: KPIRollup.Contribution] = [:]
    private var order: [RollupStore.Entity] = []
    private var assignments: [String: KPIRollup.Assignment] = [:]
    private var tickets: [String: (ticket: KPIRollup.Ticket, firstReply: String?)] = [:]
    /// Entities whose state after the run is read from the store.
    private var reread: Set<RollupStore.Entity> = []
    /// Reopenings an assignment's look-up said are stored (their time) or not (nil).
    private var knownReopenings: [RollupStore.Entity: String?] = [:]
    /// Entities read ahead of the run (`prefetch`), taken when first touched.
    private var prefetchedTickets: [String: RollupStore.TicketFacts] = [:]
    private var prefetchedAssignments: [String: RollupStore.AssignmentFacts] = [:]

    init(_ tx: Transaction, zone: TimeZone) {
        self.tx = tx
        self.zone = zone
    }

    /// Reads the tickets and assignments the run's changes will touch, before any change is
    /// stored: their state before the run, as each would be read when first touched (an entity
    /// is always read before anything that changes what its look-up reads), in a few
    /// statements instead of one each — each a round trip on PostgreSQL.
    mutating func prefetch(_ changes: [KPIFacts.FactChange]) throws {
        var ticketIDs: [String] = [], assignmentIDs: [String] = []
        var seen: Set<RollupStore.Entity> = []
        for change in changes {
            switch change {
            case .fill(.tickets, let key, _), .firstReply(let key, _):
                if seen.insert(.ticket(key)).inserted { ticketIDs.append(key) }
            case .fill(.callbacks, let key, _), .fill(.assignments, let key, _):
                if seen.insert(.assignment(key)).inserted { assignmentIDs.append(key) }
            case .fill(.returns, _, let columns):
                if let a = columns.first(where: { $0.name == "assignment" })?.value.string, seen.insert(.assignment(a)).inserted {
                    assignmentIDs.append(a)
                }
            case .reopening: break
            }
        }
        prefetchedTickets = try RollupStore.ticketFacts(tx, ids: ticketIDs)
        prefetchedAssignments = try RollupStore.assignmentFacts(tx, ids: assignmentIDs)
    }

    /// Notes `change` before the store applies it: reads what it touches for the first time,
    /// then applies it to the entities held in memory.
    mutating func observe(_ change: KPIFacts.FactChange) throws {
        switch change {
        case .fill(.tickets, let key, let columns):
            try loadTicket(key)
            for c in columns {
                // The text too, which a later `firstReply` compares with.
                if c.name == "first_reply_at" { tickets[key]!.firstReply = c.value.string }
                Self.fill(&tickets[key]!.ticket, c)
            }
        case .firstReply(let key, let at):
            try loadTicket(key)
            // The earliest, as the store's upsert keeps it.
            if let earlier = tickets[key]!.firstReply, earlier <= at {} else {
                tickets[key]!.firstReply = at
                tickets[key]!.ticket.firstReplyAt = Timestamp.parse(at)
            }
        case .fill(.callbacks, let key, let columns):
            try loadAssignment(key)
            for c in columns { Self.fillCallback(&assignments[key]!, c) }
        case .fill(.assignments, let key, let columns):
            try loadAssignment(key)
            // Its reply decides whom a reopening of the next round counts against: the round it
            // is in now, and the one this change puts it in.
            let now = assignments[key]!
            if let ticket = now.ticket, let round = now.round { try touchReopening(ticket, round + 1) }
            if let ticket = columns.first(where: { $0.name == "ticket" })?.value.string,
                let round = columns.first(where: { $0.name == "round" })?.value.int {
                try touchReopening(ticket, Int(round) + 1)
            }
            for c in columns { Self.fill(&assignments[key]!, c) }
        case .fill(.returns, _, let columns):
            if let a = columns.first(where: { $0.name == "assignment" })?.value.string {
                try loadAssignment(a)
                reread.insert(.assignment(a))
            }
        case .reopening(let ticket, let round, _, _):
            try touchReopening(ticket, round)
            reread.insert(.reopening(ticket, round))
        }
    }

    /// What to add to the stored sums once the run's changes are stored: after − before.
    func delta() throws -> KPIRollup.Contribution {
        var was: KPIRollup.Contribution = [:], now: KPIRollup.Contribution = [:]
        for e in order {
            for (cell, n) in before[e]! { was[cell, default: 0] += n }
            for (cell, n) in try after(e) { now[cell, default: 0] += n }
        }
        return KPIRollup.delta(from: was, to: now)
    }

    private func after(_ e: RollupStore.Entity) throws -> KPIRollup.Contribution {
        if reread.contains(e) { return try RollupStore.contribution(tx, e, zone: zone) }
        switch e {
        case .assignment(let id): return KPIRollup.contribution(assignments[id]!, zone: zone)
        case .ticket(let id): return KPIRollup.contribution(tickets[id]!.ticket, zone: zone)
        case .reopening: return [:]  // no row before and none inserted: nothing either side
        }
    }

    private mutating func loadTicket(_ id: String) throws {
        guard tickets[id] == nil else { return }
        let facts = try prefetchedTickets.removeValue(forKey: id) ?? RollupStore.ticketFacts(tx, id)
        tickets[id] = facts
        remember(.ticket(id), KPIRollup.contribution(facts.ticket, zone: zone))
    }

    private mutating func loadAssignment(_ id: String) throws {
        guard assignments[id] == nil else { return }
        let (a, next) = try prefetchedAssignments.removeValue(forKey: id) ?? RollupStore.assignmentFacts(tx, id)
        assignments[id] = a
        if let next { knownReopenings[next.entity] = next.at }
        remember(.assignment(id), KPIRollup.contribution(a, zone: zone))
    }

    private mutating func touchReopening(_ ticket: String, _ round: Int) throws {
        let e = RollupStore.Entity.reopening(ticket, round)
        guard before[e] == nil else { return }
        // Known absent from an assignment's look-up: still absent, because a reopening stored
        // in this run was touched (and so remembered) before it was stored.
        if let known = knownReopenings[e], known == nil {
            remember(e, KPIRollup.contribution(KPIRollup.Reopening(), zone: zone))
            return
        }
        let r = try RollupStore.reopening(tx, ticket: ticket, round: round)
        if r.at != nil { reread.insert(e) }
        remember(e, KPIRollup.contribution(r, zone: zone))
    }

    private mutating func remember(_ e: RollupStore.Entity, _ contribution: KPIRollup.Contribution) {
        before[e] = contribution
        order.append(e)
    }

    // The columns `RollupStore` reads, converted as it converts them; the others no figure reads.

    private static func fill(_ t: inout KPIRollup.Ticket, _ c: KPIFacts.FactColumn) {
        switch c.name {
        case "received_at": t.receivedAt = RollupStore.date(c.value)
        case "is_repeat": t.isRepeat = flag(c.value)
        case "is_invalid": t.isInvalid = flag(c.value)
        case "closed_at_intake": t.closedAtIntake = flag(c.value)
        case "first_reply_at": t.firstReplyAt = RollupStore.date(c.value)
        default: break
        }
    }

    private static func fill(_ a: inout KPIRollup.Assignment, _ c: KPIFacts.FactColumn) {
        switch c.name {
        case "ticket": a.ticket = c.value.string
        case "round": a.round = c.value.int.map { Int($0) }
        case "lead_unit": a.unit = c.value.string
        case "dispatched_at": a.dispatchedAt = RollupStore.date(c.value)
        case "response_due": a.responseDue = RollupStore.date(c.value)
        case "accepted_at": a.acceptedAt = RollupStore.date(c.value)
        case "reply_due": a.replyDue = RollupStore.date(c.value)
        case "replied_at": a.repliedAt = RollupStore.date(c.value)
        case "approved_return": a.approvedReturn = flag(c.value)
        case "escalated_at": a.escalatedAt = RollupStore.date(c.value)
        default: break
        }
    }

    private static func fillCallback(_ a: inout KPIRollup.Assignment, _ c: KPIFacts.FactColumn) {
        switch c.name {
        case "due_at": a.callbackDue = RollupStore.date(c.value)
        case "completed_at": a.callbackCompletedAt = RollupStore.date(c.value)
        case "unreachable_at": a.callbackUnreachableAt = RollupStore.date(c.value)
        case "reached": a.reached = flag(c.value)
        case "resolved": a.resolved = flag(c.value)
        case "satisfaction": a.satisfaction = c.value.string
        default: break
        }
    }

    /// As `Row.bool` reads a stored flag.
    private static func flag(_ v: SQLValue) -> Bool { (v.int ?? 0) != 0 }
}
