import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// Dispatch: routes tickets to units and runs the unit workflow (accept, reply, returns,
/// extensions, escalation); closes or reopens after the callback or a failed spot check.
/// Follows intake, survey, and supervision (deadlines for the inbox order, spot checks, the
/// ladder's level 4).
public struct DispatchService: ServiceLogic {
    /// The OpenAPI 3.1 document (`OpenAPIJSON.swift` in this module), served at /openapi.json.
    public static let document: [UInt8]? = Array(openAPIJSON.utf8)
    public var openAPIDocument: [UInt8]? { Self.document }

    public let name = "dispatch"
    public let follows = ["intake", "survey", "supervision"]

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
            Migration(101, "unit workflow: pause, extensions", """
                ALTER TABLE assignments ADD COLUMN paused_at TEXT;
                ALTER TABLE assignments ADD COLUMN pause_missing TEXT;
                ALTER TABLE assignments ADD COLUMN extension_pending BIGINT NOT NULL DEFAULT 0;
                ALTER TABLE assignments ADD COLUMN extension_until TEXT;
                ALTER TABLE assignments ADD COLUMN extension_reason TEXT;
                ALTER TABLE assignments ADD COLUMN extensions_approved BIGINT NOT NULL DEFAULT 0;
                ALTER TABLE assignments ADD COLUMN extended_reply_due TEXT;
                """),
            // A return approved re-dispatches within the same round: a round may now hold
            // several assignments (the returned one and its successor).
            Migration(102, "returns and disputes", sql: { engine in
                let widen = engine == .postgres
                    ? "ALTER TABLE assignments DROP CONSTRAINT IF EXISTS assignments_ticket_round_key;"
                    : """
                      CREATE TABLE assignments_v102 AS SELECT * FROM assignments;
                      DROP TABLE assignments;
                      CREATE TABLE assignments (
                          id TEXT PRIMARY KEY, ticket TEXT NOT NULL, round BIGINT NOT NULL, tier BIGINT NOT NULL, mode TEXT NOT NULL,
                          lead_unit TEXT NOT NULL, assists TEXT NOT NULL, status TEXT NOT NULL, by_whom TEXT NOT NULL,
                          dispatched_at TEXT NOT NULL, accepted_at TEXT, replied_at TEXT, result TEXT, paused_at TEXT, pause_missing TEXT,
                          extension_pending BIGINT NOT NULL DEFAULT 0, extension_until TEXT, extension_reason TEXT,
                          extensions_approved BIGINT NOT NULL DEFAULT 0, extended_reply_due TEXT
                      );
                      INSERT INTO assignments SELECT * FROM assignments_v102;
                      DROP TABLE assignments_v102;
                      CREATE INDEX assignments_unit ON assignments (lead_unit, status);
                      """
                return widen + """

                    CREATE INDEX assignments_ticket ON assignments (ticket, round);
                    ALTER TABLE assignments ADD COLUMN return_from TEXT;
                    CREATE TABLE disputes (
                        id TEXT PRIMARY KEY,
                        assignment TEXT NOT NULL,
                        ticket TEXT NOT NULL,
                        unit TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        requested_by TEXT NOT NULL,
                        requested_at TEXT NOT NULL,
                        status TEXT NOT NULL,
                        decided_by TEXT,
                        decided_at TEXT,
                        decision TEXT
                    );
                    CREATE INDEX disputes_status ON disputes (status, requested_at);
                    """
            }),
            Migration(103, "escalation", """
                ALTER TABLE assignments ADD COLUMN escalation_pending BIGINT NOT NULL DEFAULT 0;
                ALTER TABLE assignments ADD COLUMN escalation_reason TEXT;
                """),
            BoundaryList.migration,
            AssistRoutes.migration,
            Migration(107, "reply attachments", "ALTER TABLE assignments ADD COLUMN reply_attachments TEXT"),
            Migration(108, "joint mode; due times from supervision", """
                ALTER TABLE assignments ADD COLUMN joint_leads TEXT;
                ALTER TABLE assignments ADD COLUMN response_due TEXT;
                ALTER TABLE assignments ADD COLUMN reply_due TEXT;
                ALTER TABLE catalogue_rules ADD COLUMN joint_leads TEXT;
                """),
            Migration(109, "ticket tags for supervision's double alert", "ALTER TABLE tickets ADD COLUMN tags TEXT"),
            // The centre's "not yet accepted" list in dispatch order (read every hour) walks this
            // index instead of scanning and sorting every assignment the county ever had. Partial:
            // an index on every status, without statistics, lured SQLite's planner into walking
            // all replied assignments to find one ticket's (it spares a sort), and it holds only
            // what waits for acceptance.
            Migration(110, "assignments waiting for acceptance in dispatch order",
                      "CREATE INDEX assignments_dispatched_open ON assignments (dispatched_at, id) WHERE status = 'dispatched'"),
            // A return request names its dispute by how many the assignment already had; without
            // this index that count scanned every dispute of the county (765 µs a request after a
            // simulated month, growing every day).
            Migration(111, "disputes by assignment", "CREATE INDEX disputes_assignment ON disputes (assignment)"),
            Migration(104, "emergency notifications", """
                CREATE TABLE notifications (
                    unit TEXT NOT NULL,
                    ticket TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    assignment TEXT NOT NULL,
                    lead_unit TEXT NOT NULL,
                    category TEXT NOT NULL,
                    at TEXT NOT NULL,
                    PRIMARY KEY (unit, ticket, kind)
                );
                CREATE INDEX notifications_at ON notifications (unit, at);
                """),
            // The queue is the one reader of a ticket's status by index: an index of every
            // ticket's status was rewritten at each of a ticket's two or three moves; this one
            // holds only the queued tickets, in the queue's order.
            Migration(112, "the centre's queue in order, only the queued tickets indexed", """
                DROP INDEX dispatch_tickets_status;
                CREATE INDEX dispatch_tickets_queued ON tickets (received_at, id) WHERE status = 'queued';
                """),
        ]
    }

    /// The centre's queue (`GET /v1/queue`): the tickets no rule routed, oldest first.
    static let queueSQL = """
        SELECT id, category, region, urgency, queued_reason, received_at FROM tickets WHERE status = 'queued'
        ORDER BY received_at, id LIMIT 500
        """

    public struct AssignmentView: Codable, Sendable, JSONValueConvertible, CanonicalJSONWritable {
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
        /// While paused: what the citizen must supply.
        public let pauseMissing: String?
        public let extensionPending: Bool
        public let extensionsApproved: Int64
        /// The reply due of the latest approved extension.
        public let extendedReplyDue: String?
        public let escalationPending: Bool
        /// Links the lead unit attached to its reply.
        public let replyAttachments: [String]?
        /// Joint mode: every lead of the joint dispatch (this one included), each replying for its part.
        public let jointLeads: [String]?
        /// From supervision's `deadline.set`; nil until it is known.
        public let responseDue: String?
        /// The reply due: an approved extension's, else supervision's.
        public let replyDue: String?
        /// The next due the unit must meet: the response due until accepted, then the reply due.
        public let dueAt: String?

        enum CodingKeys: String, CodingKey {
            case id, ticket, round, tier, mode, status, result
            case leadUnit = "lead_unit"
            case assistingUnits = "assisting_units"
            case dispatchedAt = "dispatched_at"
            case acceptedAt = "accepted_at"
            case repliedAt = "replied_at"
            case pauseMissing = "pause_missing"
            case extensionPending = "extension_pending"
            case extensionsApproved = "extensions_approved"
            case extendedReplyDue = "extended_reply_due"
            case escalationPending = "escalation_pending"
            case replyAttachments = "reply_attachments"
            case jointLeads = "joint_leads"
            case responseDue = "response_due"
            case replyDue = "reply_due"
            case dueAt = "due_at"
        }

        /// Built by hand: every unit action and every listing answers with these.
        public var jsonValue: JSONValue {
            var o: [String: JSONValue] = [
                "id": .string(id), "ticket": .string(ticket), "round": .number(Double(round)), "tier": .number(Double(tier)),
                "mode": .string(mode), "lead_unit": .string(leadUnit), "assisting_units": .array(assistingUnits.map(JSONValue.string)),
                "status": .string(status), "dispatched_at": .string(dispatchedAt), "extension_pending": .bool(extensionPending),
                "extensions_approved": .number(Double(extensionsApproved)), "escalation_pending": .bool(escalationPending),
            ]
            o["accepted_at"] = acceptedAt.jsonMember
            o["replied_at"] = repliedAt.jsonMember
            o["result"] = result.jsonMember
            o["pause_missing"] = pauseMissing.jsonMember
            o["extended_reply_due"] = extendedReplyDue.jsonMember
            o["reply_attachments"] = replyAttachments.map { .array($0.map(JSONValue.string)) }
            o["joint_leads"] = jointLeads.map { .array($0.map(JSONValue.string)) }
            o["response_due"] = responseDue.jsonMember
            o["reply_due"] = replyDue.jsonMember
            o["due_at"] = dueAt.jsonMember
            return .object(o)
        }

        /// The same bytes as `CanonicalJSON.bytes(jsonValue)`, written in key order directly.
        public func writeCanonicalJSON(to out: inout [UInt8]) {
            CanonicalJSON.writeObject(to: &out) { o in
                o.string("accepted_at", acceptedAt)
                o.strings("assisting_units", assistingUnits)
                o.string("dispatched_at", dispatchedAt)
                o.string("due_at", dueAt)
                o.bool("escalation_pending", escalationPending)
                o.string("extended_reply_due", extendedReplyDue)
                o.bool("extension_pending", extensionPending)
                o.integer("extensions_approved", extensionsApproved)
                o.string("id", id)
                o.strings("joint_leads", jointLeads)
                o.string("lead_unit", leadUnit)
                o.string("mode", mode)
                o.string("pause_missing", pauseMissing)
                o.string("replied_at", repliedAt)
                o.strings("reply_attachments", replyAttachments)
                o.string("reply_due", replyDue)
                o.string("response_due", responseDue)
                o.string("result", result)
                o.integer("round", round)
                o.string("status", status)
                o.string("ticket", ticket)
                o.integer("tier", tier)
            }
        }

        init(_ r: Row) throws {
            id = r.string("id") ?? ""
            ticket = r.string("ticket") ?? ""
            round = r.int("round") ?? 0
            tier = r.int("tier") ?? 0
            mode = r.string("mode") ?? ""
            leadUnit = r.string("lead_unit") ?? ""
            assistingUnits = try DispatchService.units(inAssists: r)
            status = r.string("status") ?? ""
            dispatchedAt = r.string("dispatched_at") ?? ""
            acceptedAt = r.string("accepted_at")
            repliedAt = r.string("replied_at")
            result = r.string("result")
            pauseMissing = r.string("paused_at") == nil ? nil : r.string("pause_missing")
            extensionPending = r.bool("extension_pending")
            extensionsApproved = r.int("extensions_approved") ?? 0
            extendedReplyDue = r.string("extended_reply_due")
            escalationPending = r.bool("escalation_pending")
            let id = r.string("id") ?? "?"
            do {
                replyAttachments = try r.string("reply_attachments").map { try JSONCoding.decode([String].self, from: $0) }
                jointLeads = try r.string("joint_leads").map { try JSONCoding.decode([String].self, from: $0) }
            } catch {
                throw DispatchError("assignment \(id) has unreadable reply attachments or joint leads: \(error)")
            }
            responseDue = r.string("response_due")
            replyDue = r.string("extended_reply_due") ?? r.string("reply_due")
            dueAt = status == AssignmentWorkflow.State.dispatched.rawValue ? responseDue : replyDue
        }
    }

    /// The next due an assignment must meet (as `AssignmentView.dueAt`), in SQL.
    static let nextDueSQL = "(CASE WHEN status = 'dispatched' THEN response_due ELSE COALESCE(extended_reply_due, reply_due) END)"
    /// Sorts after every time: work whose due supervision has not told yet comes last.
    static let unknownDue = "~"
    static let nextDueSortSQL = "COALESCE(\(nextDueSQL), '\(unknownDue)')"

    /// The states of an assignment, for `GET /v1/assignments?status=`.
    static let assignmentStatuses = AssignmentWorkflow.State.allCases.map(\.rawValue)

    struct ManualDispatch: Codable, Sendable {
        let leadUnit: String
        let assistingUnits: [String]?
        /// Joint mode: further lead units, each replying for its own part.
        let jointUnits: [String]?
        enum CodingKeys: String, CodingKey {
            case leadUnit = "lead_unit"
            case assistingUnits = "assisting_units"
            case jointUnits = "joint_units"
        }
    }

    /// The units a dispatch names, checked against the county: every error by field, or the
    /// leads (the lead first, each once) and the assisting units (a unit that leads does not
    /// also assist).
    static func checkUnits(lead: String?, joint: [String]?, assists: [String]?, county: CountyConfig)
        -> (leads: [String], assists: [String], errors: [Problem.FieldError])
    {
        var errors: [Problem.FieldError] = []
        if let lead, county.unit(lead) == nil { errors.append(.init("lead_unit", "is not a known unit")) }
        let joint = joint ?? [], named = assists ?? []
        for (i, u) in joint.enumerated() where county.unit(u) == nil { errors.append(.init("joint_units[\(i)]", "is not a known unit")) }
        for (i, u) in named.enumerated() where county.unit(u) == nil { errors.append(.init("assisting_units[\(i)]", "is not a known unit")) }
        if joint.count > 9 { errors.append(.init("joint_units", "at most 9 further leads")) }
        if named.count > 20 { errors.append(.init("assisting_units", "at most 20")) }
        if Set(joint).count != joint.count { errors.append(.init("joint_units", "names a unit twice")) }
        if Set(named).count != named.count { errors.append(.init("assisting_units", "names a unit twice")) }
        var leads: [String] = []
        for u in (lead.map { [$0] } ?? []) + joint where !leads.contains(u) { leads.append(u) }
        return (leads, named.filter { !leads.contains($0) }, errors)
    }

    struct Reply: Codable, Sendable {
        let result: String
        /// Links to photos or documents of what was done (at most 10).
        let attachments: [String]?
    }

    struct Pause: Codable, Sendable {
        let missing: String
    }

    struct ExtensionRequest: Codable, Sendable {
        let until: String
        let reason: String
    }

    struct Decision: Codable, Sendable {
        let approved: Bool
        let note: String?
    }

    struct EscalationBody: Codable, Sendable {
        let reason: String?
    }

    /// The optional `reason` of a body (an empty body has none), checked and masked.
    static func optionalText(_ request: HTTPRequest, _ field: String) throws -> String? {
        guard !request.body.isEmpty else { return nil }
        guard let text = try request.decodeJSON(EscalationBody.self).reason else { return nil }
        if let problem = TextRules.problem(optional: text, maxLength: 2000, lines: .multiple) { throw Problem.invalid([.init(field, problem)]) }
        let clean = Redaction.scrubPhones(text.trimmingWhitespaceAndNewlines())
        return clean.isEmpty ? nil : clean
    }

    public func routes(_ context: ServiceContext) -> [Route] {
        DirectoryRoutes.routes(context) + CatalogueRoutes.routes(context) + AssistRoutes.routes(context) + DisputeRoutes.routes(context) + HistoryRoutes.routes(context) + [
            Route("GET", "/v1/queue", roles: [.centre]) { _ in
                let rows = try await context.read { tx in
                    try tx.query(Self.queueSQL)
                }
                return try .json(rows.map { r in
                    ["ticket": r.string("id"), "category": r.string("category"), "region": r.string("region"),
                     "urgency": r.string("urgency"), "reason": r.string("queued_reason"), "received_at": r.string("received_at")]
                })
            },
            Route("POST", "/v1/tickets/{id}/dispatch", roles: [.centre], maxBody: 8 * 1024, quick: true) { request in
                let body = try request.decodeJSON(ManualDispatch.self)
                let checked = Self.checkUnits(lead: body.leadUnit, joint: body.jointUnits, assists: body.assistingUnits, county: context.county)
                guard checked.errors.isEmpty else { throw Problem.invalid(checked.errors) }
                let view = try await Self.dispatchByHand(ticket: request.parameter("id"), leads: checked.leads, assists: checked.assists, context)
                return try .json(view, status: 201)
            },
            Route("GET", "/v1/notifications", roles: [.unit, .centre]) { request in
                // A unit reads its own; the centre all (DI-7: emergencies the unit must know of).
                let unit = request.principal?.role == .unit ? request.principal?.unit : nil
                let rows = try await context.read { tx in
                    unit == nil ? try tx.query("SELECT * FROM notifications ORDER BY at DESC LIMIT 500")
                        : try tx.query("SELECT * FROM notifications WHERE unit = ? ORDER BY at DESC LIMIT 500", [.text(unit ?? "")])
                }
                return try .json(rows.map { r in
                    ["unit": r.string("unit") ?? "", "ticket": r.string("ticket") ?? "", "kind": r.string("kind") ?? "",
                     "assignment": r.string("assignment") ?? "", "lead_unit": r.string("lead_unit") ?? "",
                     "category": r.string("category") ?? "", "at": r.string("at") ?? ""]
                })
            },
            Route("GET", "/v1/assignments", roles: [.unit, .centre]) { request in
                // A unit's inbox: the work it leads and the work it assists (DI-8); the centre's: all.
                var errors: [Problem.FieldError] = []
                let status = request.queryValue("status")
                if let status, !Self.assignmentStatuses.contains(status) {
                    errors.append(.init("status", "must be one of \(Self.assignmentStatuses.joined(separator: ", "))"))
                }
                let role = request.queryValue("role")
                if let role, role != "lead" && role != "assisting" { errors.append(.init("role", "must be lead or assisting")) }
                let tierText = request.queryValue("tier")
                let tier = tierText.flatMap(Int.init)
                if tierText != nil && !(1...4).contains(tier ?? 0) { errors.append(.init("tier", "must be 1, 2, 3 or 4")) }
                let mode = request.queryValue("mode")
                if let mode, !["independent", "lead_assist", "joint"].contains(mode) {
                    errors.append(.init("mode", "must be independent, lead_assist or joint"))
                }
                let page = PageQuery(request, defaultLimit: 500, errors: &errors)
                let sort = request.queryValue("sort") ?? "due"
                if sort != "due" && sort != "dispatched" { errors.append(.init("sort", "must be due or dispatched")) }
                let dueBeforeText = request.queryValue("due_before")
                let dueBefore = dueBeforeText.flatMap(DatePattern.parseDateTime)
                if dueBeforeText != nil && dueBefore == nil {
                    errors.append(.init("due_before", "must be a date-time with its offset, e.g. 2026-12-01T18:00:00+08:00"))
                }
                guard errors.isEmpty else { throw Problem.invalid(errors) }
                let unit = request.principal?.role == .unit ? request.principal?.unit : request.queryValue("unit")
                let query = Self.assignmentListQuery(unit: unit, role: role, status: status, tier: tier, mode: mode, dueBefore: dueBefore,
                                                     sort: sort, after: page.after, limit: page.limit)
                let rows = try await context.read { tx in try tx.query(query.sql, query.parameters) }
                let views = try rows.prefix(page.limit).map(AssignmentView.init)
                var response = try HTTPResponse.json(views)
                // More follow: the next page starts after this one's last assignment.
                let last = views.last
                if let next = page.nextCursor(fetched: rows.count, lastKey: sort == "due" ? last.map { $0.dueAt ?? Self.unknownDue } : last?.dispatchedAt,
                                              lastID: last?.id) {
                    response.headers.append(next)
                }
                return response
            },
            Route("GET", "/v1/assignments/{id}", roles: [.unit, .centre], quick: true) { request in
                let id = request.parameter("id")
                guard let row = try await context.read({ tx in try tx.queryOne("SELECT * FROM assignments WHERE id = ?", [.text(id)]) })
                else { throw Self.unseen("assignment \(id)", request.principal) }
                if request.principal?.role == .unit, row.string("lead_unit") != request.principal?.unit,
                    !(try Self.units(inAssists: row)).contains(request.principal?.unit ?? "") {
                    Self.logForeignAttempt(request.principal, assignment: id, action: "read", context)
                    throw Self.unseen("assignment \(id)", request.principal)
                }
                return try .json(try AssignmentView(row))
            },
            Route("POST", "/v1/assignments/{id}/accept", roles: [.unit, .centre], maxBody: 8 * 1024, quick: true) { request in
                try await act(request, .accept, .none, context)
            },
            Route("POST", "/v1/assignments/{id}/reply", roles: [.unit, .centre], maxBody: 64 * 1024, quick: true) { request in
                let body = try request.decodeJSON(Reply.self)
                var errors: [Problem.FieldError] = []
                if let problem = TextRules.problem(required: body.result, maxLength: 5000, lines: .multiple) { errors.append(.init("result", problem)) }
                let attachments = body.attachments ?? []
                if attachments.count > 10 { errors.append(.init("attachments", "at most 10")) }
                for (i, url) in attachments.enumerated() where !AttachmentURL.isValid(url) {
                    errors.append(.init("attachments[\(i)]", "must be an http(s) URL of printable ASCII, at most \(AttachmentURL.maxLength) characters"))
                }
                guard errors.isEmpty else { throw Problem.invalid(errors) }
                // A reply goes to the citizen, the callback agents and the auditors: numbers in it
                // (a unit's contact, the citizen's) are masked in what is stored and emitted.
                return try await act(request, .reply, .reply(Redaction.scrubPhones(body.result.trimmingWhitespaceAndNewlines()), attachments: attachments),
                                     context)
            },
            Route("POST", "/v1/assignments/{id}/pause", roles: [.unit, .centre], maxBody: 16 * 1024, quick: true) { request in
                let missing = try request.decodeJSON(Pause.self).missing
                if let problem = TextRules.problem(required: missing, maxLength: 2000, lines: .multiple) {
                    throw Problem.invalid([.init("missing", problem)])
                }
                return try await act(request, .pause, .pause(missing: Redaction.scrubPhones(missing.trimmingWhitespaceAndNewlines())), context)
            },
            Route("POST", "/v1/assignments/{id}/resume", roles: [.unit, .centre], maxBody: 8 * 1024, quick: true) { request in
                try await act(request, .resume, .none, context)
            },
            Route("POST", "/v1/assignments/{id}/extension", roles: [.unit], maxBody: 16 * 1024, quick: true) { request in
                let body = try request.decodeJSON(ExtensionRequest.self)
                var errors: [Problem.FieldError] = []
                let until = Timestamp.parse(body.until)
                if until == nil { errors.append(.init("until", "must be a date-time with its offset, e.g. 2026-12-01T18:00:00+08:00")) }
                if let problem = TextRules.problem(required: body.reason, maxLength: 2000, lines: .multiple) { errors.append(.init("reason", problem)) }
                guard errors.isEmpty, let until else { throw Problem.invalid(errors) }
                return try await act(request, .requestExtension,
                                     .extensionRequest(until: until, reason: Redaction.scrubPhones(body.reason.trimmingWhitespaceAndNewlines())),
                                     context)
            },
            Route("POST", "/v1/assignments/{id}/escalation", roles: [.unit], maxBody: 16 * 1024, quick: true) { request in
                let reason = try request.decodeJSON(EscalationBody.self).reason ?? ""
                if let problem = TextRules.problem(required: reason, maxLength: 2000, lines: .multiple) {
                    throw Problem.invalid([.init("reason", problem)])
                }
                return try await act(request, .requestEscalation, .escalation(reason: Redaction.scrubPhones(reason.trimmingWhitespaceAndNewlines())),
                                     context)
            },
            Route("POST", "/v1/assignments/{id}/escalate", roles: [.centre], maxBody: 16 * 1024, quick: true) { request in
                try await act(request, .escalate, .escalation(reason: try Self.optionalText(request, "reason")), context)
            },
            Route("POST", "/v1/assignments/{id}/escalation/rejection", roles: [.centre], maxBody: 16 * 1024, quick: true) { request in
                try await act(request, .rejectEscalation, .escalation(reason: try Self.optionalText(request, "reason")), context)
            },
            Route("POST", "/v1/assignments/{id}/extension/decision", roles: [.centre], maxBody: 16 * 1024, quick: true) { request in
                let body = try request.decodeJSON(Decision.self)
                if let note = body.note, let problem = TextRules.problem(optional: note, maxLength: 2000, lines: .multiple) {
                    throw Problem.invalid([.init("note", problem)])
                }
                let note = body.note.map { Redaction.scrubPhones($0.trimmingWhitespaceAndNewlines()) }.flatMap { $0.isEmpty ? nil : $0 }
                return try await act(request, body.approved ? .approveExtension : .rejectExtension, .decision(note: note), context)
            },
        ]
    }

    private func act(_ request: HTTPRequest, _ action: AssignmentWorkflow.Action, _ input: AssignmentActions.Input,
                     _ context: ServiceContext) async throws -> HTTPResponse {
        guard let principal = request.principal else { throw Problem(status: 401) }
        return try .json(try await AssignmentActions.perform(request.parameter("id"), action, input, by: principal, context))
    }

    /// A ticket row's state.
    static func state(_ t: Row) throws -> TicketLifecycle.State {
        guard let state = TicketLifecycle.State(rawValue: t.string("status") ?? "") else {
            throw DispatchError("ticket \(t.string("id") ?? "?") is in no known state (\(t.string("status") ?? "none"))")
        }
        return state
    }

    /// Moves a ticket by `step` from `state` (where the caller found it).
    static func move(_ ticket: String, from state: TicketLifecycle.State, _ step: TicketLifecycle.Step, _ tx: Transaction) throws {
        guard let next = TicketLifecycle.next(state, step) else {
            throw DispatchError("ticket \(ticket) is \(state.rawValue): it cannot take \(step.rawValue)")
        }
        try tx.executeDeferred("UPDATE tickets SET status = ? WHERE id = ?", [.text(next.rawValue), .text(ticket)])
    }

    /// The assisting units an assignment row holds (a JSON array dispatch itself wrote).
    static func units(inAssists row: Row) throws -> [String] {
        let text = row.string("assists") ?? "[]"
        do {
            return try JSONCoding.decode([String].self, from: text)
        } catch {
            throw DispatchError("assignment \(row.string("id") ?? "?") has unreadable assisting units: \(error)")
        }
    }

    /// What a caller is told of work it may not see (DI-8): a unit gets 403 whether the work
    /// is another unit's or does not exist at all, so a unit learns nothing of others' work by
    /// guessing ids; the centre and auditors get 404 for what does not exist.
    static func unseen(_ what: String, _ principal: Principal?) -> Problem {
        principal?.role == .unit ? .forbidden("\(what) is not among this unit's work") : .notFound("no \(what)")
    }

    /// A unit reached for another unit's assignment: refused as `unseen`, and logged for the
    /// centre (DI-8).
    static func logForeignAttempt(_ principal: Principal?, assignment: String, action: String, _ context: ServiceContext) {
        context.logger.warning("unit tried another unit's assignment", [
            "unit": principal?.unit ?? "", "staff": principal?.name ?? "", "assignment.id": assignment, "assignment.action": action,
        ])
    }

    /// The centre dispatches a queued ticket (the checked request of `POST /v1/tickets/{id}/dispatch`).
    /// Answers the first lead's assignment.
    static func dispatchByHand(ticket: String, leads: [String], assists: [String], _ context: ServiceContext) async throws
        -> AssignmentView
    {
        try await context.transact { tx, emit -> AssignmentView in
            guard let t = try tx.queryOne("SELECT * FROM tickets WHERE id = ?", [.text(ticket)]) else {
                throw Problem.notFound("no ticket \(ticket)")
            }
            guard try Self.state(t) == .queued else { throw Problem.conflict("ticket is \(t.string("status") ?? ""), not queued") }
            let tier = Int(context.county.unit(leads.first ?? "")?.tier ?? 3)
            return try Self.dispatch(t, leads: leads, assists: assists, tier: tier, by: "centre", round: 1, step: .dispatchByHand,
                                     tx: tx, emit: emit)[0]
        }
    }

    /// Creates one assignment per lead (several only in joint mode; the assisting units help
    /// the first) and announces each. Answers them in the order of `leads`.
    static func dispatch(_ t: Row, leads: [String], assists: [String], tier: Int, mode: DispatchMode? = nil, by: String, round: Int,
                         step: TicketLifecycle.Step = .dispatch, tx: Transaction, emit: EventSink) throws -> [AssignmentView] {
        let ticket = t.string("id") ?? ""
        let state = try Self.state(t)
        guard let next = TicketLifecycle.next(state, step), !leads.isEmpty else {
            throw DispatchError("ticket \(ticket) is \(state.rawValue): it cannot take \(step.rawValue)" + (leads.isEmpty ? " (no lead unit)" : ""))
        }
        let mode = mode ?? DispatchMode(leads: leads.count, assists: assists.count)
        let joint = mode == .joint ? leads : nil
        var views: [AssignmentView] = []
        for (i, lead) in leads.enumerated() {
            let helpers = i == 0 ? assists : []
            // How many the round already holds (a return, an escalation or a joint part adds
            // one) is part of the id's name: `AssignmentID`.
            let earlier = try tx.scalarInt("SELECT COUNT(*) FROM assignments WHERE ticket = ? AND round = ?", [.text(ticket), .int(round)]) ?? 0
            let id = AssignmentID.make(ticket: ticket, round: Int64(round), index: Int(earlier))
            // The stored row is the answer's view.
            guard let row = try tx.write(
                """
                INSERT INTO assignments (id, ticket, round, tier, mode, lead_unit, assists, status, by_whom, dispatched_at, joint_leads)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'dispatched', ?, ?, ?)
                """,
                [.text(id), .text(ticket), .int(round), .int(tier), .text(mode.rawValue), .text(lead), .text(try JSONCoding.string(helpers)),
                 .text(by), .text(Timestamp.format(emit.now)), try joint.map { .text(try JSONCoding.string($0)) } ?? .null],
                readingBack: "SELECT * FROM assignments WHERE id = ?", [.text(id)])
            else { throw DispatchError("assignment \(id) was not stored") }
            try emit.emit(EventType.ticketDispatched, ticket: ticket, TicketDispatched(
                assignment: id, round: round, tier: tier, mode: mode.rawValue, leadUnit: lead, assistingUnits: helpers, by: by,
                channel: t.string("channel") ?? "", kind: t.string("kind") ?? "", urgency: t.string("urgency") ?? "",
                category: t.string("category") ?? "", enterprise: t.bool("enterprise"), jointLeads: joint,
                tags: try t.string("tags").map { try JSONCoding.decode([String].self, from: $0) }))
            views.append(try AssignmentView(row))
        }
        // The first unit (首接单位) is the first lead of the first dispatch, accountable to the end.
        try tx.executeDeferred("UPDATE tickets SET status = ?, first_unit = COALESCE(first_unit, ?), round = ?, queued_reason = NULL WHERE id = ?",
                       [.text(next.rawValue), .text(leads[0]), .int(round), .text(ticket)])
        return views
    }

    /// DI-7: the linked units learn of an emergency at the moment it is dispatched, in their
    /// notifications (`GET /v1/notifications`) and by `ticket.emergency_notified`.
    static func notifyEmergency(_ a: AssignmentView, _ r: TicketReceived, tx: Transaction, emit: EventSink,
                                _ context: ServiceContext) throws {
        let units = context.county.county.emergencyLinks.filter { $0 != a.leadUnit }
        for unit in units {
            try tx.executeDeferred(
                """
                INSERT INTO notifications (unit, ticket, kind, assignment, lead_unit, category, at) VALUES (?, ?, 'emergency', ?, ?, ?, ?)
                ON CONFLICT (unit, ticket, kind) DO NOTHING
                """, [.text(unit), .text(a.ticket), .text(a.id), .text(a.leadUnit), .text(r.category), .text(Timestamp.format(emit.now))])
        }
        try emit.emit(EventType.ticketEmergencyNotified, ticket: a.ticket, EmergencyNotified(
            assignment: a.id, leadUnit: a.leadUnit, units: units, category: r.category, urgency: r.urgency))
    }

    public func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        guard let ticket = event.ticket else { return }
        switch (event.stream, event.type) {
        case ("intake", EventType.ticketReceived):
            let r = try event.payload(TicketReceived.self)
            // The stored row is what routing and the dispatch read.
            guard let t = try tx.write(
                """
                INSERT INTO tickets (id, channel, kind, category, urgency, region, enterprise, anonymous, status, round, received_at, tags)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'received', 0, ?, ?)
                """,
                [.text(ticket), .text(r.channel), .text(r.kind), .text(r.category), .text(r.urgency),
                 .optional(r.location.region), .bool(r.enterprise), .bool(r.caller.anonymous), .text(r.receivedAt),
                 r.tags.isEmpty ? .null : .text(try JSONCoding.string(r.tags))],
                readingBack: "SELECT * FROM tickets WHERE id = ?", [.text(ticket)])
            else { throw DispatchError("ticket \(ticket) was not stored") }
            if r.repeatOf != nil {
                // IN-4: a repeat of an open ticket is not dispatched again.
                try Self.move(ticket, from: .received, .linkRepeat, tx)
                return
            }
            if r.closedAtIntake == true {
                try Self.move(ticket, from: .received, .closeAtIntake, tx)
                try emit.emit(EventType.ticketClosed, ticket: ticket, TicketClosed(how: "intake"))
                return
            }
            let emergency = DispatchRules.isEmergency(urgency: r.urgency, category: r.category, county: context.county)
            var routing = DispatchRules.route(category: r.category, region: r.location.region,
                                              catalogue: try BoundaryList.catalogue(tx, county: context.county, category: r.category),
                                              county: context.county)
            var by = "rule"
            if emergency, case .queue = routing, let street = DispatchRules.emergencyFallback(region: r.location.region,
                                                                                               directory: Directory(context.county)) {
                // DI-7: an emergency never waits in the manual queue when its street can take it.
                routing = street
                by = "emergency"
            }
            switch routing {
            case .dispatch(let leads, let assists, let tier, let mode):
                let assignments = try Self.dispatch(t, leads: leads, assists: assists, tier: tier, mode: mode, by: by, round: 1, tx: tx, emit: emit)
                if emergency { try Self.notifyEmergency(assignments[0], r, tx: tx, emit: emit, context) }
            case .queue(let reason):
                try Self.move(ticket, from: .received, .queue, tx)
                try tx.executeDeferred("UPDATE tickets SET queued_reason = ? WHERE id = ?", [.text(reason), .text(ticket)])
                try emit.emit(EventType.ticketQueued, ticket: ticket, TicketQueued(reason: reason))
            }
        case ("survey", EventType.callbackCompleted):
            let c = try event.payload(CallbackCompleted.self)
            guard let a = try tx.queryOne("SELECT * FROM assignments WHERE id = ?", [.text(c.assignment)]),
                let t = try tx.queryOne("SELECT * FROM tickets WHERE id = ?", [.text(ticket)]),
                try TicketLifecycle.next(Self.state(t), .closeAfterCallback) != nil, t.int("round") == a.int("round")
            else { return }  // a stale callback for an earlier round
            switch DispatchRules.afterCallback(resolved: c.resolved, satisfaction: c.satisfaction) {
            case .close(let how):
                try Self.move(ticket, from: .replied, .closeAfterCallback, tx)
                try emit.emit(EventType.ticketClosed, ticket: ticket, TicketClosed(how: how))
            case .reopen(let reason):
                try Self.reopen(t, reason: reason, step: .reopenAfterCallback, tx: tx, emit: emit)
            }
        case ("supervision", EventType.deadlineSet):
            // The inbox sorts by due time; supervision knows it (a later one replaces the earlier).
            let d = try event.payload(DeadlineEvent.self)
            guard d.which == "response" || d.which == "reply" else { return }
            try tx.executeDeferred("UPDATE assignments SET \(d.which == "response" ? "response_due" : "reply_due") = ? WHERE id = ?",
                           [.text(d.due), .text(d.assignment)])
        case ("supervision", EventType.levelRaised):
            // SU-4 level 4: the task force visits and the ticket goes one tier up (DI-6), if the
            // assignment is still open and a tier above has a unit; otherwise the level stands alone.
            let l = try event.payload(LevelRaised.self)
            guard l.level == 4, let a = try tx.queryOne("SELECT status FROM assignments WHERE id = ?", [.text(l.assignment)]),
                ["dispatched", "accepted", "paused"].contains(a.string("status") ?? "")
            else { return }
            do {
                _ = try AssignmentActions.apply(l.assignment, .escalate, .escalation(reason: "督办第4级：专班介入"),
                                                by: Principal(role: .centre, name: "supervision"), requestedBy: "supervision", tx: tx, emit: emit, context)
            } catch let refusal as Problem {
                context.logger.notice("ladder level 4 could not escalate", ["assignment.id": l.assignment, "reason": refusal.detail ?? ""])
            }
        case ("supervision", EventType.spotCheckRecorded):
            // SU-7: a falsified or perfunctory reply is handled again by the same lead(s).
            let c = try event.payload(SpotCheckRecorded.self)
            guard c.reopens, let t = try tx.queryOne("SELECT * FROM tickets WHERE id = ?", [.text(ticket)]),
                try TicketLifecycle.next(Self.state(t), .reopenAfterSpotCheck) != nil, (t.int("round") ?? 0) > 0
            else { return }  // a confirmation, closed at intake, or already being handled again
            if let checked = c.assignment,
                try tx.queryOne("SELECT round FROM assignments WHERE id = ?", [.text(checked)])?.int("round") != t.int("round") {
                return  // a check of an earlier round's reply: that round was already handled again
            }
            try Self.reopen(t, reason: "spot_check_\(c.outcome)", step: .reopenAfterSpotCheck, tx: tx, emit: emit)
        case ("survey", EventType.callbackUnreachable):
            guard let t = try tx.queryOne("SELECT status FROM tickets WHERE id = ?", [.text(ticket)]),
                try TicketLifecycle.next(Self.state(t), .closeUnreachable) != nil
            else { return }
            try Self.move(ticket, from: .replied, .closeUnreachable, tx)
            try emit.emit(EventType.ticketClosed, ticket: ticket, TicketClosed(how: "no_callback_possible"))
        default:
            return
        }
    }
}

extension DispatchService {
    /// `GET /v1/assignments` as SQL: a unit's inbox (the work it leads, assists, or both) or the
    /// centre's list, with the filters given, in `sort` order ("due" or "dispatched") after the
    /// page cursor, one row more than a page (so the caller knows whether more follow).
    static func assignmentListQuery(unit: String?, role: String?, status: String?, tier: Int?, mode: String?, dueBefore: Date?,
                                    sort: String, after: (key: String, id: String)?, limit: Int) -> (sql: String, parameters: [SQLValue]) {
        var sql = "SELECT * FROM assignments WHERE 1 = 1"
        var params: [SQLValue] = []
        if let unit {
            // Unit ids are plain names, so the quoted id matches one array element exactly.
            let assisting = "assists LIKE ?"
            switch role {
            case "lead": sql += " AND lead_unit = ?"
            case "assisting": sql += " AND \(assisting)"
            default: sql += " AND (lead_unit = ? OR \(assisting))"
            }
            if role != "assisting" { params.append(.text(unit)) }
            if role != "lead" { params.append(.text("%\"\(unit)\"%")) }
        }
        if let status {
            // A known status is written into the statement: a planner uses a partial index only
            // for a condition it can see (migration 110). The states are plain words.
            if assignmentStatuses.contains(status) {
                sql += " AND status = '\(status)'"
            } else {
                sql += " AND status = ?"
                params.append(.text(status))
            }
        }
        if let tier {
            sql += " AND tier = ?"
            params.append(.int(tier))
        }
        if let mode {
            sql += " AND mode = ?"
            params.append(.text(mode))
        }
        if let dueBefore {
            sql += " AND \(nextDueSQL) < ?"
            params.append(.text(Timestamp.format(dueBefore)))
        }
        let key = sort == "due" ? nextDueSortSQL : "dispatched_at"
        if let after {
            sql += " AND (\(key) > ? OR (\(key) = ? AND id > ?))"
            params += [.text(after.key), .text(after.key), .text(after.id)]
        }
        return (sql + " ORDER BY \(key), id LIMIT ?", params + [.int(limit + 1)])
    }

    /// Opens the next round for the same lead units: every assignment of the current round that
    /// replied (one, or each joint part) is dispatched again as it was.
    static func reopen(_ t: Row, reason: String, step: TicketLifecycle.Step, tx: Transaction, emit: EventSink) throws {
        let ticket = t.string("id") ?? ""
        let current = Int(t.int("round") ?? 1)
        let parts = try tx.query("SELECT * FROM assignments WHERE ticket = ? AND round = ? AND status = 'replied' ORDER BY dispatched_at, id",
                                 [.text(ticket), .int(current)])
        guard let first = parts.first else { throw DispatchError("ticket \(ticket) has no replied assignment in round \(current) to reopen") }
        let round = current + 1
        try emit.emit(EventType.ticketReopened, ticket: ticket, TicketReopened(reason: reason, round: round))
        _ = try dispatch(t, leads: parts.map { $0.string("lead_unit") ?? "" }, assists: try units(inAssists: first), tier: Int(first.int("tier") ?? 3),
                         mode: parts.count > 1 ? .joint : DispatchMode(rawValue: first.string("mode") ?? ""), by: "rehandling", round: round,
                         step: step, tx: tx, emit: emit)
    }
}

/// An internal inconsistency of dispatch's own store, named so an operator can find it.
struct DispatchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
