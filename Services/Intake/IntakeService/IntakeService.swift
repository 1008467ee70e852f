import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// Intake: accepts tickets from channels, keeps the caller's contact, answers status.
/// Follows dispatch to know each ticket's current status.
public struct IntakeService: ServiceLogic {
    public let name = "intake"
    /// Dispatch for each ticket's status; supervision for the reply deadline (Open311's
    /// `expected_datetime`).
    public let follows = ["dispatch", "supervision"]
    /// Key of the phone hash shared with nobody; events carry only the hash.
    let phoneKey: String
    /// Per-channel submission limits (IN-1) and per-client limits on the public status look-up.
    let channelLimits = RateLimiter()
    let statusLimits = RateLimiter()
    /// Status look-ups per minute from one client address (IN-6).
    public static let statusLookupsPerMinute = 20
    /// The clock the limits count with: wall time, even when the suite runs on a manual clock
    /// (a simulation must not starve its own channels).
    let limitClock: any HotlineClock

    /// Open311 creates without a client reference: the window within which the same
    /// normalised request is the same ticket.
    let open311DedupeWindow: TimeInterval

    public init(phoneKey: String, open311DedupeWindow: TimeInterval = IntakeSettings.defaultOpen311DedupeHours * 3600,
                limitClock: any HotlineClock = SystemClock()) {
        self.phoneKey = phoneKey
        self.open311DedupeWindow = open311DedupeWindow
        self.limitClock = limitClock
    }

    public init(_ settings: IntakeSettings) {
        self.init(phoneKey: settings.phoneHashKey, open311DedupeWindow: settings.open311DedupeWindow)
    }

    public var migrations: [Migration] {
        [
            Migration(100, "tickets", """
                CREATE TABLE tickets (
                    id TEXT PRIMARY KEY,
                    channel TEXT NOT NULL,
                    channel_ref TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    domain TEXT NOT NULL,
                    category TEXT NOT NULL,
                    urgency TEXT NOT NULL,
                    content TEXT NOT NULL,
                    caller_name TEXT,
                    caller_phone TEXT,
                    caller_phone_hash TEXT,
                    anonymous BIGINT NOT NULL,
                    address TEXT,
                    region TEXT,
                    latitude DOUBLE PRECISION,
                    longitude DOUBLE PRECISION,
                    enterprise BIGINT NOT NULL,
                    attachments TEXT NOT NULL,
                    tags TEXT NOT NULL,
                    status TEXT NOT NULL,
                    lead_unit TEXT,
                    reply TEXT,
                    received_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    UNIQUE (channel, channel_ref)
                );
                CREATE INDEX tickets_received ON tickets (received_at);
                """),
            Migration(101, "repeats, closure at intake, contact look-ups", """
                ALTER TABLE tickets ADD COLUMN place_key TEXT;
                ALTER TABLE tickets ADD COLUMN repeat_of TEXT;
                ALTER TABLE tickets ADD COLUMN repeat_count BIGINT NOT NULL DEFAULT 0;
                ALTER TABLE tickets ADD COLUMN intake_answer TEXT;
                CREATE INDEX tickets_repeat ON tickets (caller_phone_hash, category, place_key);
                CREATE TABLE contact_lookups (
                    id TEXT PRIMARY KEY,
                    ticket TEXT NOT NULL,
                    who TEXT NOT NULL,
                    role TEXT NOT NULL,
                    at TEXT NOT NULL
                );
                CREATE INDEX contact_lookups_ticket ON contact_lookups (ticket, at);
                """),
            Migration(102, "reply deadline", "ALTER TABLE tickets ADD COLUMN reply_due TEXT"),
            Migration(103, "Open311 creates deduplicated on content", "CREATE INDEX tickets_fingerprint ON tickets (channel, fingerprint, received_at)"),
            // Only tickets deduplicated on content are ever looked up by fingerprint: indexing
            // every ticket's (random) fingerprint dirtied a page of its own per ticket, a quarter
            // of what intake wrote to storage. The predicate is the look-up's own term, which is
            // what lets SQLite and PostgreSQL use a partial index (TicketStore.contentDuplicateSQL).
            Migration(104, "only content-deduplicated tickets indexed by fingerprint", """
                DROP INDEX tickets_fingerprint;
                CREATE INDEX tickets_content_dedupe ON tickets (channel, fingerprint, received_at)
                    WHERE \(TicketStore.madeUpReferenceTerm);
                """),
        ]
    }

    /// The status view of a ticket.
    public struct TicketView: Codable, Sendable, JSONValueConvertible {
        public let id: String
        public let status: String
        public let channel: String
        public let channelRef: String
        public let category: String
        public let urgency: String
        public let leadUnit: String?
        public let reply: String?
        public let receivedAt: String
        public let updatedAt: String
        public let repeatOf: String?
        public let repeatCount: Int64

        enum CodingKeys: String, CodingKey {
            case id, status, channel, category, urgency, reply
            case channelRef = "channel_ref"
            case leadUnit = "lead_unit"
            case receivedAt = "received_at"
            case updatedAt = "updated_at"
            case repeatOf = "repeat_of"
            case repeatCount = "repeat_count"
        }

        /// Built by hand: every submission answers with one.
        public var jsonValue: JSONValue {
            var o: [String: JSONValue] = [
                "id": .string(id), "status": .string(status), "channel": .string(channel), "channel_ref": .string(channelRef),
                "category": .string(category), "urgency": .string(urgency), "received_at": .string(receivedAt),
                "updated_at": .string(updatedAt), "repeat_count": .number(Double(repeatCount)),
            ]
            o["lead_unit"] = leadUnit.jsonMember
            o["reply"] = reply.jsonMember
            o["repeat_of"] = repeatOf.jsonMember
            return .object(o)
        }

        init(id: String, status: String, channel: String, channelRef: String, category: String, urgency: String,
             leadUnit: String?, reply: String?, receivedAt: String, updatedAt: String, repeatOf: String?, repeatCount: Int64) {
            self.id = id
            self.status = status
            self.channel = channel
            self.channelRef = channelRef
            self.category = category
            self.urgency = urgency
            self.leadUnit = leadUnit
            self.reply = reply
            self.receivedAt = receivedAt
            self.updatedAt = updatedAt
            self.repeatOf = repeatOf
            self.repeatCount = repeatCount
        }

        init(_ row: Row) {
            id = row.string("id") ?? ""
            status = row.string("status") ?? ""
            channel = row.string("channel") ?? ""
            channelRef = row.string("channel_ref") ?? ""
            category = row.string("category") ?? ""
            urgency = row.string("urgency") ?? ""
            leadUnit = row.string("lead_unit")
            reply = row.string("reply")
            receivedAt = row.string("received_at") ?? ""
            updatedAt = row.string("updated_at") ?? ""
            repeatOf = row.string("repeat_of")
            repeatCount = row.int("repeat_count") ?? 0
        }
    }

    /// The OpenAPI 3.1 document (`OpenAPIJSON.swift` in this module), served at /openapi.json.
    public static let document: [UInt8]? = Array(openAPIJSON.utf8)
    public var openAPIDocument: [UInt8]? { Self.document }

    static let viewColumns =
        "id, status, channel, channel_ref, category, urgency, lead_unit, reply, received_at, updated_at, repeat_of, repeat_count"

    public func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("POST", "/v1/tickets", roles: [.channel], maxBody: 64 * 1024, quick: true) { request in
                try await submit(request, context)
            },
            Route("GET", "/v1/tickets/{id}", roles: [.channel, .centre, .callbackAgent, .admin], quick: true) { request in
                let id = request.parameter("id")
                let row = try await context.read { tx in
                    try tx.queryOne("SELECT \(Self.viewColumns) FROM tickets WHERE id = ?", [.text(id)])
                }
                // A channel sees only its own tickets; another's is indistinguishable from a missing one.
                guard let row, request.principal?.role != .channel || row.string("channel") == request.principal?.channel else {
                    throw Problem.notFound("no ticket \(id)")
                }
                return try .json(TicketView(row))
            },
            ] + open311(context).routes() + [
            Route("GET", "/v1/knowledge", roles: [.channel, .centre, .callbackAgent]) { request in
                guard let q = request.queryValue("q"), q.scalarCount <= 200 else {
                    throw Problem.invalid([.init("q", "is required (1–200 characters)")])
                }
                // Only white space asks for nothing: no entry matches it.
                return try .json(q.isBlank ? [] : context.county.knowledgeBase.search(q))
            },
            Route("GET", "/v1/status/{id}", roles: nil, quick: true) { request in
                try await citizenStatus(request, context)
            },
            Route("GET", "/v1/tickets/{id}/contact", roles: [.callbackAgent, .centre], quick: true) { request in
                try await contact(request, context)
            },
            Route("GET", "/v1/contact-lookups", roles: [.admin, .auditor]) { request in
                let ticket = request.queryValue("ticket")
                let rows = try await context.read { tx in
                    if let ticket {
                        return try tx.query("SELECT * FROM contact_lookups WHERE ticket = ? ORDER BY at DESC LIMIT 1000", [.text(ticket)])
                    }
                    return try tx.query("SELECT * FROM contact_lookups ORDER BY at DESC LIMIT 1000")
                }
                return try .json(rows.map { r in
                    ["ticket": r.string("ticket"), "who": r.string("who"), "role": r.string("role"), "at": r.string("at")]
                })
            },
        ]
    }

    private func open311(_ context: ServiceContext) -> Open311 {
        Open311(intake: self, context: context, dedupeWindow: open311DedupeWindow)
    }

    public func routeFallbacks(_ context: ServiceContext) -> [RouteFallback] { [open311(context).fallback()] }

    /// IN-6: ticket id plus the last four digits of the phone → status and published reply,
    /// nothing else. A wrong pair answers exactly like a missing ticket.
    private func citizenStatus(_ request: HTTPRequest, _ context: ServiceContext) async throws -> HTTPResponse {
        if let wait = statusLimits.take(request.remoteAddress, perMinute: Self.statusLookupsPerMinute, now: limitClock.now()) {
            throw Problem(status: 429, detail: "too many status look-ups; retry later", headers: ["Retry-After": String(wait)])
        }
        let id = request.parameter("id")
        let last4 = request.queryValue("phone_last4") ?? ""
        guard last4.utf8.count == 4, last4.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw Problem.invalid([.init("phone_last4", "must be the last 4 digits of the caller's phone")])
        }
        let row = try await context.read { tx in
            try tx.queryOne("SELECT id, status, reply, caller_phone FROM tickets WHERE id = ?", [.text(id)])
        }
        guard let row, let phone = row.string("caller_phone"), phone.hasSuffix(last4) else {
            throw Problem.notFound("no ticket with that id and phone")
        }
        return try .json(["id": row.string("id"), "status": row.string("status"), "reply": row.string("reply")])
    }

    /// A caller's contact for a callback agent; every look-up is recorded before the answer.
    private func contact(_ request: HTTPRequest, _ context: ServiceContext) async throws -> HTTPResponse {
        let id = request.parameter("id")
        let who = request.principal?.name ?? "?"
        let role = request.principal?.role.rawValue ?? "?"
        let row = try await context.transact { tx, emit -> Row? in
            guard let row = try tx.queryOne("SELECT id, caller_name, caller_phone, anonymous FROM tickets WHERE id = ?", [.text(id)])
            else { return nil }
            try tx.executeDeferred("INSERT INTO contact_lookups (id, ticket, who, role, at) VALUES (?, ?, ?, ?, ?)",
                           [.text(UUID().uuidString.lowercased()), .text(id), .text(who), .text(role), .text(Timestamp.format(emit.now))])
            return row
        }
        guard let row else { throw Problem.notFound("no ticket \(id)") }
        context.logger.notice("caller contact looked up", ["ticket.id": id, "auth.who": who])
        let body: [String: JSONValue] = [
            "ticket": .string(id), "name": row.string("caller_name").map(JSONValue.string) ?? .null,
            "phone": row.string("caller_phone").map(JSONValue.string) ?? .null, "anonymous": .bool(row.bool("anonymous")),
        ]
        return try .json(body)
    }

    private func submit(_ request: HTTPRequest, _ context: ServiceContext) async throws -> HTTPResponse {
        guard let channel = request.principal?.channel else { throw Problem.forbidden("only channels submit tickets") }
        let submission = try request.decodeJSON(TicketSubmission.self)
        let result = try await accept(submission, channel: channel, context: context)
        var r = try HTTPResponse.json(result.ticket, status: result.created ? 201 : 200)
        if result.created { r.headers.append(("Location", "/v1/tickets/\(result.ticket.id)")) }
        return r
    }

    /// The outcome of a submission: the ticket, and whether this call created it.
    public struct Accepted: Sendable {
        public let ticket: TicketView
        public let created: Bool
    }

    /// How a submission is recognised as a retry.
    public enum Idempotency: Sendable, Equatable {
        /// The channel's own reference decides (IN-3).
        case channelRef
        /// No reference was given (an Open311 create without `attribute[channel_ref]`): a
        /// ticket of the same channel with the same normalised content received within this
        /// many seconds is the same request.
        case sameContent(within: TimeInterval)
    }

    /// Validation, rate limit and the idempotent store, shared by every way into intake.
    ///
    /// The channel's limit counts tickets created: invalid submissions and replays of stored
    /// tickets take nothing from it, and a replay is answered even while the channel is over
    /// its limit.
    func accept(_ submission: TicketSubmission, channel: String, context: ServiceContext,
                idempotency: Idempotency = .channelRef) async throws -> Accepted {
        let ticket: ValidTicket
        switch TicketValidator.validate(submission, county: context.county) {
        case .success(let t): ticket = t
        case .failure(let problem): throw problem
        }
        let rate = context.county.channel(channel)?.ratePerMinute ?? 60
        if let wait = channelLimits.take(channel, perMinute: rate, now: limitClock.now()) {
            let fingerprint = TicketValidator.fingerprint(ticket)
            let since = Self.dedupeSince(idempotency, now: context.clock.now())
            let earlier = try await context.read { tx in
                try TicketStore.earlier(channel: channel, ticket: ticket, fingerprint: fingerprint, since: since, tx: tx)
            }
            if case .replay(let view)? = earlier { return Accepted(ticket: view, created: false) }
            throw Problem(status: 429, detail: "channel \(channel) is over its limit of \(rate) tickets per minute",
                          headers: ["Retry-After": String(wait)])
        }
        var created = false
        defer { if !created { channelLimits.refund(channel, perMinute: rate) } }
        // Everything that does not depend on the database is prepared here, on the request's
        // own thread: the writer thread is serial, so its time per ticket bounds throughput.
        for attempt in 0..<2 {
            let now = context.clock.now()
            let draft = try TicketDraft(ticket, channel: channel, phoneKey: phoneKey, at: now,
                                        dedupeSince: Self.dedupeSince(idempotency, now: now), stableID: attempt == 0)
            do {
                let outcome = try await context.transact(at: now) { tx, emit -> TicketStore.Outcome in
                    try TicketStore.store(draft, tx: tx, emit: emit)
                }
                switch outcome {
                case .created(let view):
                    created = true
                    context.logger.info("ticket received", ["ticket.id": view.id, "ticket.channel": channel])
                    return Accepted(ticket: view, created: true)
                case .replay(let view): return Accepted(ticket: view, created: false)
                case .conflict(let id):
                    throw Problem.conflict("channel_ref \(ticket.channelRef) was already used for ticket \(id) with different content")
                }
            } catch let error as DatabaseError where error.code == .uniqueViolation {
                // A concurrent retry won the race (the next pass finds its ticket), or, rarely,
                // two ids of the same millisecond collided (the next pass draws a random one).
                continue
            }
        }
        throw Problem(status: 503, detail: "could not store the ticket; retry")
    }

    private static func dedupeSince(_ idempotency: Idempotency, now: Date) -> String? {
        guard case .sameContent(let window) = idempotency else { return nil }
        return Timestamp.format(now.addingTimeInterval(-window))
    }

    /// Keeps each ticket's status in step with dispatch.
    public func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        guard let ticket = event.ticket else { return }
        if event.type == EventType.deadlineSet {
            let d = try event.payload(DeadlineEvent.self)
            if d.which == "reply" { try tx.executeDeferred("UPDATE tickets SET reply_due = ? WHERE id = ?", [.text(d.due), .text(ticket)]) }
            return
        }
        let update = try IntakeStatus.update(for: event)
        guard let update else { return }
        try tx.executeDeferred(
            "UPDATE tickets SET status = ?, lead_unit = COALESCE(?, lead_unit), reply = COALESCE(?, reply), updated_at = ? WHERE id = ?",
            [.text(update.status), .optional(update.leadUnit), .optional(update.reply), .text(event.at), .text(ticket)])
    }
}

/// The status a dispatch event gives a ticket: a pure mapping.
public enum IntakeStatus {
    public struct Update: Equatable, Sendable {
        public let status: String
        public let leadUnit: String?
        public let reply: String?

        public init(status: String, leadUnit: String?, reply: String?) {
            self.status = status
            self.leadUnit = leadUnit
            self.reply = reply
        }
    }

    public static func update(for event: Event) throws -> Update? {
        switch event.type {
        case EventType.ticketQueued: return Update(status: "queued", leadUnit: nil, reply: nil)
        case EventType.ticketDispatched:
            return Update(status: "dispatched", leadUnit: try event.payload(TicketDispatched.self).leadUnit, reply: nil)
        case EventType.assignmentAccepted: return Update(status: "accepted", leadUnit: nil, reply: nil)
        case EventType.ticketReplied:
            return Update(status: "replied", leadUnit: nil, reply: try event.payload(TicketReplied.self).result)
        case EventType.ticketReopened: return Update(status: "reopened", leadUnit: nil, reply: nil)
        case EventType.ticketClosed: return Update(status: "closed", leadUnit: nil, reply: nil)
        default: return nil
        }
    }
}

/// Ticket ids: readable, sortable, unique without coordination:
/// `T` + UTC date + `-` + 7 hex digits of the millisecond of that day + 9 hex digits that are
/// random, or keyed by the submission (`stable`).
///
/// Ids that grow with time append to the primary-key index (and to the events' ticket
/// index) instead of dirtying a random page each; 36 bits keep two ids of the same
/// millisecond apart (a collision is a unique violation, which intake retries with random
/// bits). A channel's reference gives `stable` bits: an HMAC under intake's key, unguessable
/// outside, but the same submission at the same time gets the same id, so replaying a
/// history (a simulation's seed) gives the same tickets, assignments and reports.
public enum TicketID {
    public static func make(at date: Date, stable: (text: String, key: String)? = nil) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var (days, msOfDay) = millis.quotientAndRemainder(dividingBy: 86_400_000)
        if msOfDay < 0 {
            days -= 1
            msOfDay += 86_400_000
        }
        let (y, m, d) = CivilDate.fromDays(Int(days))
        let tail: String
        if let stable {
            tail = String(HMACSHA256.hex("ticket-id\n" + stable.text, key: stable.key).prefix(9))
        } else {
            tail = Hex.encode(RandomBits.next() & 0xF_FFFF_FFFF, digits: 9)
        }
        return "T" + String(y * 10_000 + m * 100 + d) + "-" + Hex.encode(UInt64(msOfDay), digits: 7) + tail
    }
}
