import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// Supervision: response and reply deadlines on the working-day calendar, and a durable
/// timer that announces each missed deadline once, also after a restart. Follows dispatch.
public struct SupervisionService: ServiceLogic {
    /// The OpenAPI 3.1 document (`openapi.json` in this module), served at /openapi.json.
    public static let document = OpenAPIResource.load(from: .module)
    public var openAPIDocument: [UInt8]? { Self.document }

    public let name = "supervision"
    public let follows = ["dispatch"]

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
        ]
    }

    public func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/deadlines", roles: [.centre, .auditor]) { request in
                let state = request.queryValue("state") ?? "open"
                let condition: String
                switch state {
                case "open": condition = "met_at IS NULL AND missed_at IS NULL AND cancelled_at IS NULL"
                case "missed": condition = "missed_at IS NOT NULL"
                case "met": condition = "met_at IS NOT NULL"
                case "cancelled": condition = "cancelled_at IS NOT NULL"
                default: throw Problem.invalid([.init("state", "must be open, missed, met or cancelled")])
                }
                let rows = try await context.read { tx in
                    try tx.query("SELECT * FROM deadlines WHERE \(condition) ORDER BY due_at LIMIT 1000")
                }
                return try .json(rows.map { r in
                    ["assignment": r.string("assignment"), "ticket": r.string("ticket"), "unit": r.string("unit"),
                     "which": r.string("which"), "policy": r.string("policy"), "due": r.string("due_at"),
                     "met_at": r.string("met_at"), "missed_at": r.string("missed_at"), "cancelled_at": r.string("cancelled_at")]
                })
            },
        ]
    }

    public func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        guard let ticket = event.ticket else { return }
        switch event.type {
        case EventType.ticketDispatched:
            let d = try event.payload(TicketDispatched.self)
            let deadlines = try SLA.deadlines(for: d, dispatchedAt: event.date, county: context.county,
                                              calendar: context.calendar, zone: context.zone)
            for (which, due, policy) in deadlines {
                let dueText = Timestamp.format(due)
                try tx.execute(
                    "INSERT INTO deadlines (assignment, which, ticket, unit, policy, due_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [.text(d.assignment), .text(which), .text(ticket), .text(d.leadUnit), .text(policy), .text(dueText)])
                try emit.emit(EventType.deadlineSet, ticket: ticket,
                              DeadlineEvent(assignment: d.assignment, unit: d.leadUnit, which: which, due: dueText, policy: policy))
            }
        case EventType.assignmentAccepted:
            let a = try event.payload(AssignmentAccepted.self)
            try tx.execute("UPDATE deadlines SET met_at = ? WHERE assignment = ? AND which = 'response' AND met_at IS NULL",
                           [.text(event.at), .text(a.assignment)])
        case EventType.ticketReplied, EventType.assignmentReplied:
            // A reply (or a joint lead's part) meets the assignment's deadlines.
            let assignment = event.type == EventType.ticketReplied
                ? try event.payload(TicketReplied.self).assignment : try event.payload(AssignmentReplied.self).assignment
            try tx.execute("UPDATE deadlines SET met_at = ? WHERE assignment = ? AND met_at IS NULL",
                           [.text(event.at), .text(assignment)])
        case EventType.extensionDecided:
            // An approved extension replaces the reply due (domain.md, "SLA"), if it comes before
            // the due has passed: a miss already announced stands.
            let x = try event.payload(ExtensionDecided.self)
            guard x.approved, let due = x.replyDue, let parsed = Timestamp.parse(due),
                let d = try tx.queryOne(
                    "SELECT unit FROM deadlines WHERE assignment = ? AND which = 'reply' AND met_at IS NULL AND missed_at IS NULL AND cancelled_at IS NULL",
                    [.text(x.assignment)])
            else { return }
            let dueText = Timestamp.format(parsed)
            try tx.execute("UPDATE deadlines SET due_at = ?, policy = 'extension' WHERE assignment = ? AND which = 'reply'",
                           [.text(dueText), .text(x.assignment)])
            try emit.emit(EventType.deadlineSet, ticket: ticket, DeadlineEvent(
                assignment: x.assignment, unit: d.string("unit") ?? x.unit, which: "reply", due: dueText, policy: "extension"))
        case EventType.disputeDecided:
            let d = try event.payload(DisputeDecided.self)
            guard d.approved else { return }
            try tx.execute("UPDATE deadlines SET cancelled_at = ? WHERE assignment = ? AND met_at IS NULL AND missed_at IS NULL",
                           [.text(event.at), .text(d.assignment)])
        case EventType.ticketEscalated:
            // The next tier leads now, with deadlines of its own.
            let e = try event.payload(TicketEscalated.self)
            try tx.execute("UPDATE deadlines SET cancelled_at = ? WHERE assignment = ? AND met_at IS NULL AND missed_at IS NULL",
                           [.text(event.at), .text(e.assignment)])
        default:
            return
        }
    }

    /// Announces every deadline that passed unmet. The state lives in the table, so a
    /// restart neither loses nor repeats an announcement.
    public func tick(_ context: ServiceContext) async throws {
        let now = Timestamp.format(context.clock.now())
        while true {
            let announced = try await context.transact { tx, emit -> Int in
                let due = try tx.query(
                    "SELECT * FROM deadlines WHERE met_at IS NULL AND missed_at IS NULL AND cancelled_at IS NULL AND due_at <= ? ORDER BY due_at LIMIT 200",
                    [.text(now)])
                for d in due {
                    let assignment = d.string("assignment") ?? ""
                    let which = d.string("which") ?? ""
                    try tx.execute("UPDATE deadlines SET missed_at = ? WHERE assignment = ? AND which = ?",
                                   [.text(now), .text(assignment), .text(which)])
                    try emit.emit(EventType.deadlineMissed, ticket: d.string("ticket"), DeadlineEvent(
                        assignment: assignment, unit: d.string("unit") ?? "", which: which, due: d.string("due_at") ?? "",
                        policy: d.string("policy") ?? ""))
                }
                return due.count
            }
            if announced > 0 { context.logger.notice("deadlines missed", ["deadline.count": String(announced)]) }
            if announced < 200 { return }
        }
    }
}

/// Which policy applies and when each deadline falls: pure.
public enum SLA {
    /// - Returns: (which, due, policy id) for the response and reply deadlines.
    public static func deadlines(for d: TicketDispatched, dispatchedAt: Date, county: CountyConfig, calendar: WorkingCalendar,
                                 zone: TimeZone) throws -> [(String, Date, String)] {
        let utility = county.category(d.category)?.utility ?? false
        let channelDefault = county.channel(d.channel)?.defaultPolicy ?? "ordinary"
        guard let policy = county.sla.select(channel: d.channel, kind: d.kind, urgency: d.urgency, enterprise: d.enterprise,
                                             utility: utility, channelDefault: channelDefault),
            let response = DeadlineRule.parse(policy.response), let reply = DeadlineRule.parse(policy.reply)
        else { throw ConfigurationError("no SLA policy for channel \(d.channel)") }
        return [
            ("response", response.deadline(from: dispatchedAt, calendar: calendar, zone: zone), policy.id),
            ("reply", reply.deadline(from: dispatchedAt, calendar: calendar, zone: zone), policy.id),
        ]
    }
}
