import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// Callback survey: a callback is due after every reply; agents record whether the citizen
/// was reached, whether it was resolved and how satisfied they are. Follows dispatch.
public struct SurveyService: ServiceLogic {
    /// The OpenAPI 3.1 document (`openapi.json` in this module), served at /openapi.json.
    public static let document = OpenAPIResource.load(from: .module)
    public var openAPIDocument: [UInt8]? { Self.document }

    public let name = "survey"
    public let follows = ["dispatch"]
    /// Failed attempts after which the citizen counts as unreachable.
    public static let maxAttempts = 3

    public init() {}

    public var migrations: [Migration] {
        [
            Migration(100, "callbacks", """
                CREATE TABLE callbacks (
                    assignment TEXT PRIMARY KEY,
                    ticket TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    status TEXT NOT NULL,
                    due_at TEXT NOT NULL,
                    attempts BIGINT NOT NULL,
                    reached BIGINT,
                    resolved BIGINT,
                    satisfaction TEXT,
                    comment TEXT,
                    agent TEXT,
                    completed_at TEXT
                );
                CREATE INDEX callbacks_ticket ON callbacks (ticket, status);
                """),
        ]
    }

    /// What an agent records.
    public struct Outcome: Codable, Sendable, Equatable {
        public var reached: Bool
        public var resolved: Bool?
        public var satisfaction: String?
        public var comment: String?

        public init(reached: Bool, resolved: Bool? = nil, satisfaction: String? = nil, comment: String? = nil) {
            self.reached = reached
            self.resolved = resolved
            self.satisfaction = satisfaction
            self.comment = comment
        }
    }

    public static let satisfactionLevels = ["satisfied", "basic", "unsatisfied"]

    /// Pure validation of an outcome.
    public static func validate(_ o: Outcome) -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        if o.reached {
            if o.resolved == nil { errors.append(.init("resolved", "is required when the citizen was reached")) }
            if !satisfactionLevels.contains(o.satisfaction ?? "") {
                errors.append(.init("satisfaction", "must be one of satisfied, basic, unsatisfied"))
            }
        }
        if let c = o.comment, let problem = TextRules.problem(optional: c, maxLength: 2000, lines: .multiple) { errors.append(.init("comment", problem)) }
        return errors
    }

    public func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/callbacks", roles: [.callbackAgent, .centre]) { request in
                let status = request.queryValue("status") ?? "scheduled"
                guard ["scheduled", "completed", "unreachable"].contains(status) else {
                    throw Problem.invalid([.init("status", "must be scheduled, completed or unreachable")])
                }
                let rows = try await context.read { tx in
                    try tx.query("SELECT * FROM callbacks WHERE status = ? ORDER BY due_at LIMIT 500", [.text(status)])
                }
                return try .json(rows.map { r in
                    ["ticket": r.string("ticket"), "assignment": r.string("assignment"), "unit": r.string("unit"),
                     "status": r.string("status"), "due": r.string("due_at"), "attempts": r.string("attempts")]
                })
            },
            Route("POST", "/v1/callbacks/{ticket}", roles: [.callbackAgent], maxBody: 16 * 1024) { request in
                let outcome = try request.decodeJSON(Outcome.self)
                let errors = Self.validate(outcome)
                guard errors.isEmpty else { throw Problem.invalid(errors) }
                let ticket = request.parameter("ticket")
                let agent = request.principal?.name ?? ""
                // Numbers a citizen gives in the call stay out of survey's store and stream (CB-2).
                let comment = outcome.comment.map(Redaction.scrubPhones)
                let result = try await context.transact { tx, emit -> [String: String] in
                    guard let c = try tx.queryOne(
                        "SELECT * FROM callbacks WHERE ticket = ? AND status = 'scheduled' ORDER BY due_at DESC LIMIT 1", [.text(ticket)])
                    else { throw Problem.notFound("no callback due for ticket \(ticket)") }
                    let assignment = c.string("assignment") ?? ""
                    let now = Timestamp.format(emit.now)
                    let attempts = Int(c.int("attempts") ?? 0) + 1
                    if outcome.reached {
                        try tx.execute(
                            "UPDATE callbacks SET status = 'completed', attempts = ?, reached = 1, resolved = ?, satisfaction = ?, comment = ?, agent = ?, completed_at = ? WHERE assignment = ?",
                            [.int(attempts), .bool(outcome.resolved ?? false), .optional(outcome.satisfaction),
                             .optional(comment), .text(agent), .text(now), .text(assignment)])
                        try emit.emit(EventType.callbackCompleted, ticket: ticket, CallbackCompleted(
                            assignment: assignment, resolved: outcome.resolved ?? false,
                            satisfaction: outcome.satisfaction ?? "", comment: comment))
                        return ["ticket": ticket, "status": "completed"]
                    }
                    if attempts >= Self.maxAttempts {
                        try tx.execute("UPDATE callbacks SET status = 'unreachable', attempts = ?, reached = 0, agent = ?, completed_at = ? WHERE assignment = ?",
                                       [.int(attempts), .text(agent), .text(now), .text(assignment)])
                        try emit.emit(EventType.callbackUnreachable, ticket: ticket,
                                      CallbackUnreachable(assignment: assignment, attempts: attempts, reason: "unreachable"))
                        return ["ticket": ticket, "status": "unreachable"]
                    }
                    try tx.execute("UPDATE callbacks SET attempts = ? WHERE assignment = ?", [.int(attempts), .text(assignment)])
                    try emit.emit(EventType.callbackAttempted, ticket: ticket, CallbackAttempted(assignment: assignment, attempt: attempts))
                    return ["ticket": ticket, "status": "scheduled", "attempts": String(attempts)]
                }
                return try .json(result)
            },
        ]
    }

    public func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        guard event.type == EventType.ticketReplied, let ticket = event.ticket else { return }
        let r = try event.payload(TicketReplied.self)
        let within = DurationText.parse(context.county.sla.callbackWithin) ?? 172_800
        let due = Timestamp.format(event.date.addingTimeInterval(within))
        if r.callerAnonymous {
            // Nobody to call: recorded as impossible at once, so dispatch can close the ticket.
            try tx.execute(
                "INSERT INTO callbacks (assignment, ticket, unit, status, due_at, attempts, completed_at) VALUES (?, ?, ?, 'unreachable', ?, 0, ?)",
                [.text(r.assignment), .text(ticket), .text(r.unit), .text(due), .text(event.at)])
            try emit.emit(EventType.callbackUnreachable, ticket: ticket,
                          CallbackUnreachable(assignment: r.assignment, attempts: 0, reason: "anonymous"))
            return
        }
        try tx.execute(
            "INSERT INTO callbacks (assignment, ticket, unit, status, due_at, attempts) VALUES (?, ?, ?, 'scheduled', ?, 0)",
            [.text(r.assignment), .text(ticket), .text(r.unit), .text(due)])
        try emit.emit(EventType.callbackScheduled, ticket: ticket, CallbackScheduled(assignment: r.assignment, due: due))
    }
}
