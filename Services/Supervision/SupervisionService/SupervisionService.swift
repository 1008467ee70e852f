import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// Supervision: response, reply and assisting-unit deadlines on the working-day calendar,
/// pauses and extensions, reminders and misses, the five-level ladder with its letters, and
/// hotspot clusters — durable timers that fire each announcement once, also after a restart
/// or a clock jump. Follows dispatch (the work) and intake (where tickets come from).
public struct SupervisionService: ServiceLogic {
    /// The OpenAPI 3.1 document (`OpenAPIJSON.swift` in this module), served at /openapi.json.
    public static let document: [UInt8]? = Array(openAPIJSON.utf8)
    public var openAPIDocument: [UInt8]? { Self.document }

    public let name = "supervision"
    public let follows = ["dispatch", "intake"]

    /// Whether `calendar.json` covers the current year (logged once per year entered).
    private let calendarWatch = CalendarWatch()

    public init() {}

    public var migrations: [Migration] {
        [
            Migration(100, "deadlines", """
                CREATE TABLE deadlines (
                    assignment TEXT NOT NULL,
                    which TEXT NOT NULL,
                    ticket TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    policy TEXT NOT NULL,
                    due_at TEXT NOT NULL,
                    met_at TEXT,
                    missed_at TEXT,
                    PRIMARY KEY (assignment, which)
                );
                CREATE INDEX deadlines_open ON deadlines (due_at) WHERE met_at IS NULL AND missed_at IS NULL;
                """),
            // An approved return or an escalation ends its assignment: its deadlines no longer
            // run (the new assignment has its own).
            Migration(101, "deadlines ended by an approved return", "ALTER TABLE deadlines ADD COLUMN cancelled_at TEXT"),
            DeadlineStore.migration,
            LadderStore.migration,
            HotspotStore.migration,
            DoubleAlerts.migration,
            SpotChecks.migration,
            DeadlineStore.dropAssignmentIndex,
            LadderStore.ticketIndexes,
        ]
    }

    public func warnings(_ context: ServiceContext) async throws -> [String] {
        try await CalendarWatch.warnings(context)
    }

    public func routes(_ context: ServiceContext) -> [Route] {
        CalendarWatch.routes(context) + AlertRoutes.routes(context) + HotspotStore.routes(context) + DoubleAlerts.routes(context) + SpotChecks.routes(context) + [
            Route("GET", "/v1/deadlines", roles: [.centre, .auditor]) { request in
                let state = request.queryValue("state") ?? "open"
                let condition: String
                switch state {
                case "open": condition = "met_at IS NULL AND missed_at IS NULL AND cancelled_at IS NULL"
                case "paused": condition = "paused_since IS NOT NULL AND met_at IS NULL AND missed_at IS NULL AND cancelled_at IS NULL"
                case "missed": condition = "missed_at IS NOT NULL"
                case "met": condition = "met_at IS NOT NULL"
                case "cancelled": condition = "cancelled_at IS NOT NULL"
                default: throw Problem.invalid([.init("state", "must be open, paused, missed, met or cancelled")])
                }
                let rows = try await context.read { tx in
                    try tx.query("SELECT * FROM deadlines WHERE \(condition) ORDER BY due_at LIMIT 1000")
                }
                return try .json(rows.map { r -> JSONValue in
                    let text = { (column: String) -> JSONValue in r.string(column).map(JSONValue.string) ?? .null }
                    return .object([
                        "assignment": text("assignment"), "ticket": text("ticket"), "unit": text("unit"), "which": text("which"),
                        "policy": text("policy"), "due": text("due_at"), "rule": text("rule"), "met_at": text("met_at"),
                        "missed_at": text("missed_at"), "cancelled_at": text("cancelled_at"), "done_at": text("done_at"),
                        "paused_since": text("paused_since"), "pause_reason": text("pause_reason"),
                        "pauses": .number(Double(r.int("pauses") ?? 0)), "calendar_gap": text("calendar_gap"),
                    ])
                })
            },
        ]
    }

    public func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        guard let ticket = event.ticket else { return }
        let deadlines = DeadlineStore(tx: tx, emit: emit, ticket: ticket, context: context)
        let ladder = LadderStore(tx: tx, emit: emit, context: context)
        if event.stream == "intake" {
            // Intake's events count into hotspot clusters only.
            if event.type == EventType.ticketReceived {
                try HotspotStore(tx: tx, emit: emit, context: context).received(try event.payload(TicketReceived.self), ticket: ticket)
            }
            return
        }
        switch event.type {
        case EventType.ticketDispatched:
            let d = try event.payload(TicketDispatched.self)
            try ladder.record(d, ticket: ticket, at: event.at)
            if d.tags?.contains(DoubleAlerts.petitionTag) == true {
                try DoubleAlerts.raise(ticket: ticket, reason: DoubleAlerts.petitionTag, unitID: d.leadUnit, note: nil, at: event.date, tx: tx,
                                       emit: emit, context: context)
            }
            for deadline in try SLA.deadlines(for: d, dispatchedAt: event.date, county: context.county, calendar: context.calendar,
                                              zone: context.zone) {
                try deadlines.set(deadline, assignment: d.assignment, unit: d.leadUnit, start: event.date)
            }
            // Each assisting unit answers within `assist_response` (24 hours in the sample).
            guard let rule = DeadlineRule.parse(context.county.sla.assistResponse) else {
                throw ConfigurationError("sla.json: invalid assist_response '\(context.county.sla.assistResponse)'")
            }
            for unit in d.assistingUnits {
                let deadline = SLA.deadline(SLA.assistWhich(unit), rule, from: event.date, policy: "assist", calendar: context.calendar,
                                            zone: context.zone)
                try deadlines.set(deadline, assignment: d.assignment, unit: unit, start: event.date)
            }
        case EventType.assistResponded:
            let a = try event.payload(AssistResponded.self)
            try deadlines.fulfil(a.assignment, which: [SLA.assistWhich(a.unit)], at: event.date)
        case EventType.ticketReopened:
            // Reopened twice or more (round 3 on): the head and the county leader watch it.
            let r = try event.payload(TicketReopened.self)
            if r.round >= 3, let unit = try DoubleAlerts.leadUnit(ticket, tx) {
                try DoubleAlerts.raise(ticket: ticket, reason: "reopened_twice", unitID: unit, note: r.reason, at: event.date, tx: tx, emit: emit,
                                       context: context)
            }
        case EventType.ticketClosed:
            // Closed after a reply: one of the week's population for spot checks.
            guard try event.payload(TicketClosed.self).how != "intake" else { return }
            try SpotChecks.closed(ticket: ticket, at: event.date, tx: tx, context: context)
        case EventType.assignmentAccepted:
            let a = try event.payload(AssignmentAccepted.self)
            try deadlines.fulfil(a.assignment, which: ["response"], at: event.date)
        case EventType.ticketReplied, EventType.assignmentReplied:
            // A reply (or a joint lead's part) fulfils the assignment's deadlines: met in time, missed when late.
            let assignment = event.type == EventType.ticketReplied
                ? try event.payload(TicketReplied.self).assignment : try event.payload(AssignmentReplied.self).assignment
            try deadlines.fulfil(assignment, which: ["response", "reply"], at: event.date, clearingReminders: false)
            // The ticket is answered: its ladder stops (a joint part alone does not stop it).
            if event.type == EventType.ticketReplied { try ladder.stop(ticket: ticket, assignment: assignment, at: event.date) }
            // The lead has answered the citizen: what assisting units still owed is moot (and
            // every reminder not yet sent goes, the fulfilled deadlines' too).
            try deadlines.cancel(assignment, at: event.date)
        case EventType.assignmentPaused:
            let p = try event.payload(AssignmentPaused.self)
            try deadlines.pause(p.assignment, reason: p.missing, at: event.date)
        case EventType.assignmentResumed:
            let r = try event.payload(AssignmentResumed.self)
            try deadlines.resume(r.assignment, at: event.date)
        case EventType.extensionDecided:
            // An approved extension replaces the reply due (domain.md, "SLA"), if it comes before
            // the due has passed: a miss already announced stands.
            let x = try event.payload(ExtensionDecided.self)
            guard x.approved, let due = x.replyDue.flatMap(Timestamp.parse) else { return }
            try deadlines.extend(x.assignment, to: due)
        case EventType.disputeDecided:
            let d = try event.payload(DisputeDecided.self)
            guard d.approved else { return }
            try deadlines.cancel(d.assignment, at: event.date)
            // Wrongly dispatched: the new lead starts with deadlines of its own, the ladder anew.
            try ladder.stop(ticket: ticket, assignment: d.assignment, at: event.date)
        case EventType.ticketEscalated:
            // The next tier leads now, with deadlines of its own.
            try deadlines.cancel(try event.payload(TicketEscalated.self).assignment, at: event.date)
        default:
            return
        }
    }

    /// Announces every reminder and every miss whose time has come, in time order. The state
    /// lives in the tables, so a restart neither loses nor repeats one, and a clock jump of any
    /// length fires them all, in order, in batches.
    public func tick(_ context: ServiceContext) async throws {
        calendarWatch.look(context)
        let now = context.clock.now()
        while true {
            let (fired, more) = try await context.transact { tx, emit -> (Int, Bool) in
                try DeadlineStore.fireDue(until: now, tx: tx, emit: emit, context: context)
            }
            if fired > 0 { context.logger.notice("deadline timers fired", ["deadline.count": String(fired)]) }
            if !more { return }
        }
    }
}
