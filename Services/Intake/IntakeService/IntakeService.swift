import Foundation
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
    public let follows = ["dispatch"]
    /// Key of the phone hash shared with nobody; events carry only the hash.
    let phoneKey: String

    public init(phoneKey: String) { self.phoneKey = phoneKey }

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
        ]
    }

    /// The status view of a ticket.
    public struct TicketView: Codable, Sendable {
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

        enum CodingKeys: String, CodingKey {
            case id, status, channel, category, urgency, reply
            case channelRef = "channel_ref"
            case leadUnit = "lead_unit"
            case receivedAt = "received_at"
            case updatedAt = "updated_at"
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
        }
    }

    static let viewColumns = "id, status, channel, channel_ref, category, urgency, lead_unit, reply, received_at, updated_at"

    public func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("POST", "/v1/tickets", roles: [.channel], maxBody: 64 * 1024) { request in
                try await submit(request, context)
            },
            Route("GET", "/v1/tickets/{id}", roles: [.channel, .centre, .callbackAgent, .admin]) { request in
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
        ]
    }

    private func submit(_ request: HTTPRequest, _ context: ServiceContext) async throws -> HTTPResponse {
        guard let channel = request.principal?.channel else { throw Problem.forbidden("only channels submit tickets") }
        let submission = try request.decodeJSON(TicketSubmission.self)
        let ticket: ValidTicket
        switch TicketValidator.validate(submission, county: context.county) {
        case .success(let t): ticket = t
        case .failure(let problem): throw problem
        }
        let fingerprint = TicketValidator.fingerprint(submission)
        let phoneKey = self.phoneKey
        for _ in 0..<2 {
            do {
                let outcome = try await context.transact { tx, emit -> SubmitOutcome in
                    try Self.store(ticket, channel: channel, fingerprint: fingerprint, phoneKey: phoneKey, tx: tx, emit: emit)
                }
                switch outcome {
                case .created(let view):
                    context.logger.info("ticket received", ["ticket.id": view.id, "ticket.channel": channel])
                    var r = try HTTPResponse.json(view, status: 201)
                    r.headers.append(("Location", "/v1/tickets/\(view.id)"))
                    return r
                case .replay(let view): return try .json(view, status: 200)
                case .conflict(let id):
                    throw Problem.conflict("channel_ref \(ticket.channelRef) was already used for ticket \(id) with different content")
                }
            } catch let error as DatabaseError where error.code == .uniqueViolation {
                continue  // a concurrent retry won the race: the next pass finds its ticket
            }
        }
        throw Problem(status: 503, detail: "could not store the ticket; retry")
    }

    enum SubmitOutcome: Sendable {
        case created(TicketView)
        case replay(TicketView)
        case conflict(String)
    }

    /// Idempotent store: the channel's reference decides whether this is a retry.
    static func store(_ t: ValidTicket, channel: String, fingerprint: String, phoneKey: String, tx: Transaction,
                      emit: EventSink) throws -> SubmitOutcome {
        if let existing = try tx.queryOne(
            "SELECT \(viewColumns), fingerprint FROM tickets WHERE channel = ? AND channel_ref = ?",
            [.text(channel), .text(t.channelRef)])
        {
            return existing.string("fingerprint") == fingerprint ? .replay(TicketView(existing)) : .conflict(existing.string("id") ?? "")
        }
        let id = TicketID.make(at: emit.now)
        let now = Timestamp.format(emit.now)
        let phoneHash = t.callerPhone.map { HMACSHA256.hex($0, key: phoneKey) }
        try tx.execute(
            """
            INSERT INTO tickets (id, channel, channel_ref, fingerprint, kind, domain, category, urgency, content,
                caller_name, caller_phone, caller_phone_hash, anonymous, address, region, latitude, longitude, enterprise,
                attachments, tags, status, received_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?)
            """,
            [.text(id), .text(channel), .text(t.channelRef), .text(fingerprint), .text(t.kind), .text(t.domain),
             .text(t.category), .text(t.urgency), .text(t.content), .optional(t.callerName), .optional(t.callerPhone),
             .optional(phoneHash), .bool(t.anonymous), .optional(t.address), .optional(t.region),
             t.latitude.map(SQLValue.real) ?? .null, t.longitude.map(SQLValue.real) ?? .null, .bool(t.enterprise),
             .text(try JSONCoding.string(t.attachments)), .text(try JSONCoding.string(t.tags)), .text(now), .text(now)])
        let payload = TicketReceived(
            channel: channel, channelRef: t.channelRef, kind: t.kind, domain: t.domain, category: t.category,
            urgency: t.urgency, content: Redaction.scrubPhones(t.content),
            location: .init(address: t.address, region: t.region, latitude: t.latitude, longitude: t.longitude),
            enterprise: t.enterprise, tags: t.tags,
            caller: .init(name: t.callerName.map(Redaction.maskName), phone: t.callerPhone.map(Redaction.maskPhone),
                          phoneHash: phoneHash, anonymous: t.anonymous),
            receivedAt: now)
        try emit.emit(EventType.ticketReceived, ticket: id, payload)
        let row = try tx.queryOne("SELECT \(viewColumns) FROM tickets WHERE id = ?", [.text(id)])!
        return .created(TicketView(row))
    }

    /// Keeps each ticket's status in step with dispatch.
    public func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        guard let ticket = event.ticket else { return }
        let update = try IntakeStatus.update(for: event)
        guard let update else { return }
        try tx.execute(
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

/// Ticket ids: readable, sortable, unique without coordination: `T20261122-` + 12 random hex.
public enum TicketID {
    public static func make(at date: Date) -> String {
        let day = Timestamp.format(date).prefix(10).replacingOccurrences(of: "-", with: "")
        let random = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        return "T\(day)-\(random)"
    }
}
