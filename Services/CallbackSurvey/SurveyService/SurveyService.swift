import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// Callback survey: a callback is due after every reply (and for a sample of consultations
/// closed at intake), on the working-day calendar; agents claim one, record failed attempts
/// until it is unreachable, or whether the citizen found it resolved and how satisfied they
/// are — which closes the ticket or sends it back. Follows dispatch and intake.
public struct SurveyService: ServiceLogic {
    /// The OpenAPI 3.1 document (`OpenAPIJSON.swift` in this module), served at /openapi.json.
    public static let document: [UInt8]? = Array(openAPIJSON.utf8)
    public var openAPIDocument: [UInt8]? { Self.document }

    public let name = "survey"
    public let follows = ["dispatch", "intake"]

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
            Migration(101, "the callback queue: claims, attempts, samples, lists", """
                ALTER TABLE callbacks ADD COLUMN kind TEXT NOT NULL DEFAULT 'reply';
                ALTER TABLE callbacks ADD COLUMN scheduled_at TEXT;
                ALTER TABLE callbacks ADD COLUMN reply TEXT;
                ALTER TABLE callbacks ADD COLUMN category TEXT;
                ALTER TABLE callbacks ADD COLUMN last_attempt_at TEXT;
                ALTER TABLE callbacks ADD COLUMN claimed_by TEXT;
                ALTER TABLE callbacks ADD COLUMN claim_expires_at TEXT;
                CREATE INDEX callbacks_queue ON callbacks (status, due_at, assignment);
                CREATE INDEX callbacks_unit ON callbacks (unit, completed_at);
                CREATE TABLE callback_attempts (
                    assignment TEXT NOT NULL,
                    attempt BIGINT NOT NULL,
                    at TEXT NOT NULL,
                    agent TEXT NOT NULL,
                    reached BIGINT NOT NULL,
                    PRIMARY KEY (assignment, attempt)
                );
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
        } else if let s = o.satisfaction, !satisfactionLevels.contains(s) {
            // Not reached, nothing to say; but a value that is no level is wrong whatever else.
            errors.append(.init("satisfaction", "must be one of satisfied, basic, unsatisfied"))
        }
        if let c = o.comment, let problem = TextRules.problem(optional: c, maxLength: 2000, lines: .multiple) { errors.append(.init("comment", problem)) }
        return errors
    }

    public func routes(_ context: ServiceContext) -> [Route] {
        CallbackRoutes.routes(context) + CallbackLists.routes(context)
    }

    public func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        guard let ticket = event.ticket else { return }
        guard let rule = context.county.sla.callbackRule else {
            throw ConfigurationError("sla.json: invalid callback_within '\(context.county.sla.callbackWithin)'")
        }
        switch (event.stream, event.type) {
        case ("dispatch", EventType.ticketReplied):
            let r = try event.payload(TicketReplied.self)
            let due = Timestamp.format(CallbackRules.due(repliedAt: event.date, rule: rule, calendar: context.calendar, zone: context.zone))
            if r.callerAnonymous {
                // Nobody to call: recorded as impossible at once, so dispatch can close the ticket.
                try tx.executeDeferred(
                    """
                    INSERT INTO callbacks (assignment, ticket, unit, status, due_at, attempts, completed_at, scheduled_at, reply)
                    VALUES (?, ?, ?, 'unreachable', ?, 0, ?, ?, ?)
                    """,
                    [.text(r.assignment), .text(ticket), .text(r.unit), .text(due), .text(event.at), .text(event.at),
                     .text(Redaction.scrubPhones(r.result))])
                try emit.emit(EventType.callbackUnreachable, ticket: ticket,
                              CallbackUnreachable(assignment: r.assignment, attempts: 0, reason: "anonymous"))
                return
            }
            try tx.executeDeferred(
                "INSERT INTO callbacks (assignment, ticket, unit, status, due_at, attempts, scheduled_at, reply) VALUES (?, ?, ?, 'scheduled', ?, 0, ?, ?)",
                [.text(r.assignment), .text(ticket), .text(r.unit), .text(due), .text(event.at), .text(Redaction.scrubPhones(r.result))])
            try emit.emit(EventType.callbackScheduled, ticket: ticket, CallbackScheduled(assignment: r.assignment, due: due))
        case ("intake", EventType.ticketReceived):
            // CB-4: a sample of the consultations answered at intake is called back too, picked
            // from the ticket id so nobody can steer it; anonymous callers cannot be.
            let r = try event.payload(TicketReceived.self)
            guard r.closedAtIntake == true, !r.caller.anonymous,
                CallbackRules.isSampled(ticket: ticket, rate: context.county.sla.intakeCallbackShare)
            else { return }
            let assignment = "intake:" + ticket
            let due = Timestamp.format(CallbackRules.due(repliedAt: event.date, rule: rule, calendar: context.calendar, zone: context.zone))
            try tx.executeDeferred(
                """
                INSERT INTO callbacks (assignment, ticket, unit, status, due_at, attempts, scheduled_at, kind, category)
                VALUES (?, ?, 'centre', 'scheduled', ?, 0, ?, 'intake_sample', ?)
                """, [.text(assignment), .text(ticket), .text(due), .text(event.at), .text(r.category)])
            try emit.emit(EventType.callbackScheduled, ticket: ticket, CallbackScheduled(assignment: assignment, due: due, kind: "intake_sample"))
        default:
            return
        }
    }
}
