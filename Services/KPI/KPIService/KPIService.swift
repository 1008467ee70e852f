import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// KPI: follows every stream into read models and computes the figures auditors read.
public struct KPIService: ServiceLogic {
    /// The OpenAPI 3.1 document (`openapi.json` in this module), served at /openapi.json.
    public static let document = OpenAPIResource.load(from: .module)
    public var openAPIDocument: [UInt8]? { Self.document }

    public let name = "kpi"
    public let follows = ["intake", "dispatch", "supervision", "survey"]

    public init() {}

    public var migrations: [Migration] {
        [
            Migration(100, "read models", """
                CREATE TABLE k_tickets (
                    id TEXT PRIMARY KEY,
                    received_at TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    category TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    region TEXT,
                    is_repeat BIGINT NOT NULL DEFAULT 0,
                    is_invalid BIGINT NOT NULL DEFAULT 0
                );
                CREATE INDEX k_tickets_received ON k_tickets (received_at);
                CREATE TABLE k_assignments (
                    id TEXT PRIMARY KEY,
                    ticket TEXT NOT NULL,
                    lead_unit TEXT NOT NULL,
                    round BIGINT NOT NULL,
                    dispatched_at TEXT NOT NULL,
                    response_due TEXT,
                    reply_due TEXT,
                    accepted_at TEXT,
                    replied_at TEXT,
                    approved_return BIGINT NOT NULL DEFAULT 0
                );
                CREATE TABLE k_callbacks (
                    assignment TEXT PRIMARY KEY,
                    ticket TEXT NOT NULL,
                    lead_unit TEXT NOT NULL,
                    completed_at TEXT NOT NULL,
                    reached BIGINT NOT NULL,
                    resolved BIGINT NOT NULL,
                    satisfaction TEXT NOT NULL
                );
                """),
        ]
    }

    public func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        guard let ticket = event.ticket else { return }
        switch event.type {
        case EventType.ticketReceived:
            let r = try event.payload(TicketReceived.self)
            try tx.execute(
                "INSERT INTO k_tickets (id, received_at, channel, category, kind, region, is_repeat) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [.text(ticket), .text(r.receivedAt), .text(r.channel), .text(r.category), .text(r.kind), .optional(r.location.region),
                 .bool(r.repeatOf != nil)])
        case EventType.ticketDispatched:
            let d = try event.payload(TicketDispatched.self)
            try tx.execute(
                "INSERT INTO k_assignments (id, ticket, lead_unit, round, dispatched_at) VALUES (?, ?, ?, ?, ?)",
                [.text(d.assignment), .text(ticket), .text(d.leadUnit), .int(d.round), .text(event.at)])
        case EventType.deadlineSet:
            let d = try event.payload(DeadlineEvent.self)
            let column = d.which == "response" ? "response_due" : "reply_due"
            try tx.execute("UPDATE k_assignments SET \(column) = ? WHERE id = ?", [.text(d.due), .text(d.assignment)])
        case EventType.assignmentAccepted:
            let a = try event.payload(AssignmentAccepted.self)
            try tx.execute("UPDATE k_assignments SET accepted_at = ? WHERE id = ?", [.text(event.at), .text(a.assignment)])
        case EventType.ticketReplied:
            let r = try event.payload(TicketReplied.self)
            try tx.execute("UPDATE k_assignments SET replied_at = ? WHERE id = ?", [.text(event.at), .text(r.assignment)])
        case EventType.callbackCompleted:
            let c = try event.payload(CallbackCompleted.self)
            let unit = try tx.queryOne("SELECT lead_unit FROM k_assignments WHERE id = ?", [.text(c.assignment)])?.string("lead_unit")
            try tx.execute(
                "INSERT INTO k_callbacks (assignment, ticket, lead_unit, completed_at, reached, resolved, satisfaction) VALUES (?, ?, ?, ?, 1, ?, ?)",
                [.text(c.assignment), .text(ticket), .text(unit ?? ""), .text(event.at), .bool(c.resolved), .text(c.satisfaction)])
        default:
            return
        }
    }

    public struct Report: Codable, Sendable {
        public let period: String
        public let from: String
        public let to: String
        public let definitionVersion: String
        public let total: [KPICalculator.Figure]
        public let units: [UnitFigures]?

        public struct UnitFigures: Codable, Sendable {
            public let unit: String
            public let name: String
            public let figures: [KPICalculator.Figure]
        }

        enum CodingKeys: String, CodingKey {
            case period, from, to, total, units
            case definitionVersion = "definition_version"
        }
    }

    /// `period`: a month, a day, an ISO week, or a range of days (the OpenAPI document's
    /// pattern; days are real calendar days, 1900–2999).
    public static let periodPatternSource: String = {
        let (year, day) = (DatePattern.year, DatePattern.day)
        return "^(\(year)-\(DatePattern.month)|\(year)-W(0[1-9]|[1-4][0-9]|5[0-3])|\(day)|\(day)\\.\\.\(day))$"
    }()

    public func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/kpi", roles: [.auditor, .centre]) { request in
                guard let text = request.queryValue("period") else {
                    throw Problem.invalid([.init("period", "is required: 2026-11, 2026-11-22, 2026-W47 or 2026-11-01..2026-11-16")])
                }
                guard try Regex(Self.periodPatternSource).wholeMatch(in: text) != nil else {
                    throw Problem.invalid([.init("period", "must be a month, day, ISO week or date range")])
                }
                // Well-formed but naming no time: week 53 of a year that has 52, a range that
                // ends before it starts.
                guard let period = KPICalculator.period(text, zone: context.zone) else {
                    throw Problem.notFound("period \(text) holds no time")
                }
                let by = request.queryValue("by")
                guard by == nil || by == "unit" else { throw Problem.invalid([.init("by", "supports only unit")]) }
                let evidenceText = request.queryValue("evidence")
                guard evidenceText == nil || evidenceText == "true" || evidenceText == "false" else {
                    throw Problem.invalid([.init("evidence", "must be true or false")])
                }
                let evidence = evidenceText == "true"
                let (tickets, assignments, callbacks) = try await Self.load(period, context)
                func shape(_ f: [KPICalculator.Figure]) -> [KPICalculator.Figure] { evidence ? f : f.map(\.withoutEvidence) }
                let total = KPICalculator.figures(period: period, unit: nil, tickets: tickets, assignments: assignments, callbacks: callbacks)
                var units: [Report.UnitFigures]?
                if by == "unit" {
                    let ids = Set(assignments.map(\.leadUnit)).union(callbacks.map(\.leadUnit)).sorted()
                    units = ids.map { unit in
                        Report.UnitFigures(unit: unit, name: context.county.unit(unit)?.name ?? unit, figures: shape(
                            KPICalculator.figures(period: period, unit: unit, tickets: tickets, assignments: assignments, callbacks: callbacks)))
                    }
                }
                return try .json(Report(period: text, from: Timestamp.format(period.from), to: Timestamp.format(period.to),
                                        definitionVersion: KPICalculator.definitionVersion, total: shape(total), units: units))
            },
        ]
    }

    /// The records any figure of `period` can depend on.
    static func load(_ p: KPICalculator.Period, _ context: ServiceContext) async throws -> (
        [KPICalculator.TicketRecord], [KPICalculator.AssignmentRecord], [KPICalculator.CallbackRecord]
    ) {
        let from = Timestamp.format(p.from)
        let to = Timestamp.format(p.to)
        return try await context.read { tx in
            let tickets = try tx.query("SELECT * FROM k_tickets WHERE received_at >= ? AND received_at < ?", [.text(from), .text(to)])
                .map { r in
                    KPICalculator.TicketRecord(id: r.string("id") ?? "", receivedAt: Timestamp.parse(r.string("received_at") ?? "") ?? .distantPast,
                                               isRepeat: r.bool("is_repeat"), isInvalid: r.bool("is_invalid"))
                }
            let assignments = try tx.query(
                """
                SELECT * FROM k_assignments WHERE (dispatched_at >= ? AND dispatched_at < ?)
                    OR (response_due >= ? AND response_due < ?) OR (reply_due >= ? AND reply_due < ?)
                """, [.text(from), .text(to), .text(from), .text(to), .text(from), .text(to)]
            ).map { r in
                KPICalculator.AssignmentRecord(
                    id: r.string("id") ?? "", leadUnit: r.string("lead_unit") ?? "",
                    dispatchedAt: Timestamp.parse(r.string("dispatched_at") ?? "") ?? .distantPast,
                    responseDue: r.string("response_due").flatMap(Timestamp.parse), replyDue: r.string("reply_due").flatMap(Timestamp.parse),
                    acceptedAt: r.string("accepted_at").flatMap(Timestamp.parse), repliedAt: r.string("replied_at").flatMap(Timestamp.parse),
                    approvedReturn: r.bool("approved_return"))
            }
            let callbacks = try tx.query("SELECT * FROM k_callbacks WHERE completed_at >= ? AND completed_at < ?", [.text(from), .text(to)])
                .map { r in
                    KPICalculator.CallbackRecord(
                        assignment: r.string("assignment") ?? "", leadUnit: r.string("lead_unit") ?? "",
                        completedAt: Timestamp.parse(r.string("completed_at") ?? "") ?? .distantPast, reached: r.bool("reached"),
                        resolved: r.bool("resolved"), satisfaction: r.string("satisfaction") ?? "")
                }
            return (tickets, assignments, callbacks)
        }
    }
}
