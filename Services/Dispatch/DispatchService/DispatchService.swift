import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// Dispatch: routes tickets to units and runs the unit workflow (accept, reply); closes or
/// reopens after the callback. Follows intake and survey.
public struct DispatchService: ServiceLogic {
    /// The OpenAPI 3.1 document (`openapi.json` in this module), served at /openapi.json.
    public static let document = OpenAPIResource.load(from: .module)
    public var openAPIDocument: [UInt8]? { Self.document }

    public let name = "dispatch"
    public let follows = ["intake", "survey"]

    public init() {}

    public var migrations: [Migration] {
        [
            Migration(100, "tickets and assignments", """
                CREATE TABLE tickets (
                    id TEXT PRIMARY KEY,
                    channel TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    category TEXT NOT NULL,
                    urgency TEXT NOT NULL,
                    region TEXT,
                    enterprise BIGINT NOT NULL,
                    anonymous BIGINT NOT NULL,
                    status TEXT NOT NULL,
                    first_unit TEXT,
                    round BIGINT NOT NULL,
                    queued_reason TEXT,
                    received_at TEXT NOT NULL
                );
                CREATE INDEX dispatch_tickets_status ON tickets (status);
                CREATE TABLE assignments (
                    id TEXT PRIMARY KEY,
                    ticket TEXT NOT NULL,
                    round BIGINT NOT NULL,
                    tier BIGINT NOT NULL,
                    mode TEXT NOT NULL,
                    lead_unit TEXT NOT NULL,
                    assists TEXT NOT NULL,
                    status TEXT NOT NULL,
                    by_whom TEXT NOT NULL,
                    dispatched_at TEXT NOT NULL,
                    accepted_at TEXT,
                    replied_at TEXT,
                    result TEXT,
                    UNIQUE (ticket, round)
                );
                CREATE INDEX assignments_unit ON assignments (lead_unit, status);
                """),
        ]
    }

    public struct AssignmentView: Codable, Sendable {
        public let id: String
        public let ticket: String
        public let round: Int64
        public let tier: Int64
        public let mode: String
        public let leadUnit: String
        public let assistingUnits: [String]
        public let status: String
        public let dispatchedAt: String
        public let acceptedAt: String?
        public let repliedAt: String?
        public let result: String?

        enum CodingKeys: String, CodingKey {
            case id, ticket, round, tier, mode, status, result
            case leadUnit = "lead_unit"
            case assistingUnits = "assisting_units"
            case dispatchedAt = "dispatched_at"
            case acceptedAt = "accepted_at"
            case repliedAt = "replied_at"
        }

        init(_ r: Row) {
            id = r.string("id") ?? ""
            ticket = r.string("ticket") ?? ""
            round = r.int("round") ?? 0
            tier = r.int("tier") ?? 0
            mode = r.string("mode") ?? ""
            leadUnit = r.string("lead_unit") ?? ""
            assistingUnits = (try? JSONCoding.decode([String].self, from: r.string("assists") ?? "[]")) ?? []
            status = r.string("status") ?? ""
            dispatchedAt = r.string("dispatched_at") ?? ""
            acceptedAt = r.string("accepted_at")
            repliedAt = r.string("replied_at")
            result = r.string("result")
        }
    }

    /// The states of an assignment, for `GET /v1/assignments?status=`.
    static let assignmentStatuses = ["dispatched", "accepted", "replied", "closed", "reopened"]

    struct ManualDispatch: Codable, Sendable {
        let leadUnit: String
        let assistingUnits: [String]?
        enum CodingKeys: String, CodingKey {
            case leadUnit = "lead_unit"
            case assistingUnits = "assisting_units"
        }
    }

    struct Reply: Codable, Sendable {
        let result: String
    }

    public func routes(_ context: ServiceContext) -> [Route] {
        DirectoryRoutes.routes(context) + [
            Route("GET", "/v1/queue", roles: [.centre]) { _ in
                let rows = try await context.read { tx in
                    try tx.query("SELECT id, category, region, urgency, queued_reason, received_at FROM tickets WHERE status = 'queued' ORDER BY received_at LIMIT 500")
                }
                return try .json(rows.map { r in
                    ["ticket": r.string("id"), "category": r.string("category"), "region": r.string("region"),
                     "urgency": r.string("urgency"), "reason": r.string("queued_reason"), "received_at": r.string("received_at")]
                })
            },
            Route("POST", "/v1/tickets/{id}/dispatch", roles: [.centre], maxBody: 8 * 1024) { request in
                let body = try request.decodeJSON(ManualDispatch.self)
                let ticket = request.parameter("id")
                let named = body.assistingUnits ?? []
                var errors: [Problem.FieldError] = []
                if context.county.unit(body.leadUnit) == nil { errors.append(.init("lead_unit", "is not a known unit")) }
                for (i, a) in named.enumerated() where context.county.unit(a) == nil {
                    errors.append(.init("assisting_units[\(i)]", "is not a known unit"))
                }
                if Set(named).count != named.count { errors.append(.init("assisting_units", "names a unit twice")) }
                guard errors.isEmpty else { throw Problem.invalid(errors) }
                // The lead does not assist itself.
                let view = try await Self.dispatchByHand(ticket: ticket, lead: body.leadUnit, assists: named.filter { $0 != body.leadUnit },
                                                         context)
                return try .json(view, status: 201)
            },
            Route("GET", "/v1/assignments", roles: [.unit, .centre]) { request in
                let status = request.queryValue("status")
                if let status, !Self.assignmentStatuses.contains(status) {
                    throw Problem.invalid([.init("status", "must be one of \(Self.assignmentStatuses.joined(separator: ", "))")])
                }
                let unit = request.principal?.role == .unit ? request.principal?.unit : request.queryValue("unit")
                let rows = try await context.read { tx in
                    var sql = "SELECT * FROM assignments WHERE 1 = 1"
                    var params: [SQLValue] = []
                    if let unit {
                        sql += " AND lead_unit = ?"
                        params.append(.text(unit))
                    }
                    if let status {
                        sql += " AND status = ?"
                        params.append(.text(status))
                    }
                    return try tx.query(sql + " ORDER BY dispatched_at LIMIT 500", params)
                }
                return try .json(rows.map(AssignmentView.init))
            },
            Route("GET", "/v1/assignments/{id}", roles: [.unit, .centre]) { request in
                let id = request.parameter("id")
                guard let row = try await context.read({ tx in try tx.queryOne("SELECT * FROM assignments WHERE id = ?", [.text(id)]) })
                else { throw Problem.notFound("no assignment \(id)") }
                if request.principal?.role == .unit, row.string("lead_unit") != request.principal?.unit {
                    Self.logForeignAttempt(request.principal, assignment: id, action: "read", context)
                    throw Problem.notFound("no assignment \(id)")
                }
                return try .json(AssignmentView(row))
            },
            Route("POST", "/v1/assignments/{id}/accept", roles: [.unit, .centre], maxBody: 8 * 1024) { request in
                try await act(request, action: "accept", context)
            },
            Route("POST", "/v1/assignments/{id}/reply", roles: [.unit, .centre], maxBody: 64 * 1024) { request in
                try await act(request, action: "reply", context)
            },
        ]
    }

    private func act(_ request: HTTPRequest, action: String, _ context: ServiceContext) async throws -> HTTPResponse {
        guard let principal = request.principal else { throw Problem(status: 401) }
        var result = ""
        if action == "reply" {
            let text = try request.decodeJSON(Reply.self).result
            if let problem = TextRules.problem(required: text, maxLength: 5000, lines: .multiple) { throw Problem.invalid([.init("result", problem)]) }
            // A reply goes to the citizen, the callback agents and the auditors: numbers in it
            // (a unit's contact, the citizen's) are masked in what is stored and emitted.
            result = Redaction.scrubPhones(text.trimmingWhitespaceAndNewlines())
        }
        return try .json(try await Self.act(assignment: request.parameter("id"), action: action, result: result, by: principal, context))
    }

    /// A unit reached for another unit's assignment: answered as if it did not exist, and
    /// logged for the centre (DI-8).
    static func logForeignAttempt(_ principal: Principal?, assignment: String, action: String, _ context: ServiceContext) {
        context.logger.warning("unit tried another unit's assignment", [
            "unit": principal?.unit ?? "", "staff": principal?.name ?? "", "assignment.id": assignment, "assignment.action": action,
        ])
    }

    /// The centre dispatches a queued ticket (the checked request of `POST /v1/tickets/{id}/dispatch`).
    static func dispatchByHand(ticket: String, lead: String, assists: [String], _ context: ServiceContext) async throws
        -> AssignmentView
    {
        try await context.transact { tx, emit -> AssignmentView in
            guard let t = try tx.queryOne("SELECT * FROM tickets WHERE id = ?", [.text(ticket)]) else {
                throw Problem.notFound("no ticket \(ticket)")
            }
            guard t.string("status") == "queued" else { throw Problem.conflict("ticket is \(t.string("status") ?? "")") }
            let tier = Int(context.county.unit(lead)?.tier ?? 3)
            return try Self.dispatch(t, lead: lead, assists: assists, tier: tier, mode: assists.isEmpty ? "independent" : "lead_assist",
                                     by: "centre", round: 1, tx: tx, emit: emit)
        }
    }

    /// A unit (or the centre) accepts or replies to an assignment; `result` is the checked reply text.
    static func act(assignment id: String, action: String, result reply: String, by principal: Principal, _ context: ServiceContext)
        async throws -> AssignmentView
    {
        let view = try await context.transact { tx, emit -> AssignmentView in
            guard let a = try tx.queryOne("SELECT * FROM assignments WHERE id = ?", [.text(id)]) else {
                throw Problem.notFound("no assignment \(id)")
            }
            let lead = a.string("lead_unit") ?? ""
            let ticket = a.string("ticket") ?? ""
            if principal.role == .unit && principal.unit != lead {
                Self.logForeignAttempt(principal, assignment: id, action: action, context)
            }
            let next: String
            switch DispatchRules.transition(status: a.string("status") ?? "", lead: lead, principal: principal, action: action) {
            case .success(let s): next = s
            case .failure(let p): throw p
            }
            let now = Timestamp.format(emit.now)
            if action == "accept" {
                try tx.execute("UPDATE assignments SET status = ?, accepted_at = ? WHERE id = ?", [.text(next), .text(now), .text(id)])
                try emit.emit(EventType.assignmentAccepted, ticket: ticket, AssignmentAccepted(assignment: id, unit: lead))
            } else {
                try tx.execute("UPDATE assignments SET status = ?, replied_at = ?, result = ? WHERE id = ?",
                               [.text(next), .text(now), .text(reply), .text(id)])
                try tx.execute("UPDATE tickets SET status = 'replied' WHERE id = ?", [.text(ticket)])
                let anonymous = try tx.queryOne("SELECT anonymous FROM tickets WHERE id = ?", [.text(ticket)])?.bool("anonymous") ?? false
                try emit.emit(EventType.ticketReplied, ticket: ticket,
                              TicketReplied(assignment: id, unit: lead, result: reply, callerAnonymous: anonymous))
            }
            return AssignmentView(try tx.queryOne("SELECT * FROM assignments WHERE id = ?", [.text(id)])!)
        }
        context.logger.info("assignment updated", ["assignment.id": id, "assignment.action": action, "unit": view.leadUnit])
        return view
    }

    /// Creates an assignment and announces it.
    static func dispatch(_ t: Row, lead: String, assists: [String], tier: Int, mode: String, by: String, round: Int,
                         tx: Transaction, emit: EventSink) throws -> AssignmentView {
        let ticket = t.string("id") ?? ""
        // Derived from the ticket and round (unique per assignment): the same inputs give the
        // same id, so events that name it mean the same thing in any replay.
        let id = "A-" + NamedUUID.make("assignment\n\(ticket)\n\(round)")
        try tx.execute(
            """
            INSERT INTO assignments (id, ticket, round, tier, mode, lead_unit, assists, status, by_whom, dispatched_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'dispatched', ?, ?)
            """,
            [.text(id), .text(ticket), .int(round), .int(tier), .text(mode), .text(lead), .text(try JSONCoding.string(assists)),
             .text(by), .text(Timestamp.format(emit.now))])
        try tx.execute("UPDATE tickets SET status = 'dispatched', first_unit = COALESCE(first_unit, ?), round = ?, queued_reason = NULL WHERE id = ?",
                       [.text(lead), .int(round), .text(ticket)])
        try emit.emit(EventType.ticketDispatched, ticket: ticket, TicketDispatched(
            assignment: id, round: round, tier: tier, mode: mode, leadUnit: lead, assistingUnits: assists, by: by,
            channel: t.string("channel") ?? "", kind: t.string("kind") ?? "", urgency: t.string("urgency") ?? "",
            category: t.string("category") ?? "", enterprise: t.bool("enterprise")))
        return AssignmentView(try tx.queryOne("SELECT * FROM assignments WHERE id = ?", [.text(id)])!)
    }

    public func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        guard let ticket = event.ticket else { return }
        switch (event.stream, event.type) {
        case ("intake", EventType.ticketReceived):
            let r = try event.payload(TicketReceived.self)
            try tx.execute(
                """
                INSERT INTO tickets (id, channel, kind, category, urgency, region, enterprise, anonymous, status, round, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'received', 0, ?)
                """,
                [.text(ticket), .text(r.channel), .text(r.kind), .text(r.category), .text(r.urgency),
                 .optional(r.location.region), .bool(r.enterprise), .bool(r.caller.anonymous), .text(r.receivedAt)])
            if r.repeatOf != nil {
                // IN-4: a repeat of an open ticket is not dispatched again.
                try tx.execute("UPDATE tickets SET status = 'repeat' WHERE id = ?", [.text(ticket)])
                return
            }
            if r.closedAtIntake == true {
                try tx.execute("UPDATE tickets SET status = 'closed' WHERE id = ?", [.text(ticket)])
                try emit.emit(EventType.ticketClosed, ticket: ticket, TicketClosed(how: "intake"))
                return
            }
            let t = try tx.queryOne("SELECT * FROM tickets WHERE id = ?", [.text(ticket)])!
            switch DispatchRules.route(category: r.category, region: r.location.region,
                                       catalogue: ResponsibilityCatalogue(context.county.responsibilities), county: context.county) {
            case .dispatch(let lead, let assists, let tier, let mode):
                _ = try Self.dispatch(t, lead: lead, assists: assists, tier: tier, mode: mode, by: "rule", round: 1, tx: tx, emit: emit)
            case .queue(let reason):
                try tx.execute("UPDATE tickets SET status = 'queued', queued_reason = ? WHERE id = ?", [.text(reason), .text(ticket)])
                try emit.emit(EventType.ticketQueued, ticket: ticket, TicketQueued(reason: reason))
            }
        case ("survey", EventType.callbackCompleted):
            let c = try event.payload(CallbackCompleted.self)
            guard let a = try tx.queryOne("SELECT * FROM assignments WHERE id = ?", [.text(c.assignment)]),
                let t = try tx.queryOne("SELECT * FROM tickets WHERE id = ?", [.text(ticket)]),
                t.string("status") == "replied", t.int("round") == a.int("round")
            else { return }  // a stale callback for an earlier round
            switch DispatchRules.afterCallback(resolved: c.resolved, satisfaction: c.satisfaction) {
            case .close(let how):
                try tx.execute("UPDATE tickets SET status = 'closed' WHERE id = ?", [.text(ticket)])
                try emit.emit(EventType.ticketClosed, ticket: ticket, TicketClosed(how: how))
            case .reopen(let reason):
                let round = Int(a.int("round") ?? 1) + 1
                try emit.emit(EventType.ticketReopened, ticket: ticket, TicketReopened(reason: reason, round: round))
                let assists = (try? JSONCoding.decode([String].self, from: a.string("assists") ?? "[]")) ?? []
                _ = try Self.dispatch(t, lead: a.string("lead_unit") ?? "", assists: assists, tier: Int(a.int("tier") ?? 3),
                                      mode: a.string("mode") ?? "independent", by: "rehandling", round: round, tx: tx, emit: emit)
            }
        case ("survey", EventType.callbackUnreachable):
            guard let t = try tx.queryOne("SELECT status FROM tickets WHERE id = ?", [.text(ticket)]),
                t.string("status") == "replied"
            else { return }
            try tx.execute("UPDATE tickets SET status = 'closed' WHERE id = ?", [.text(ticket)])
            try emit.emit(EventType.ticketClosed, ticket: ticket, TicketClosed(how: "no_callback_possible"))
        default:
            return
        }
    }
}
