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

    public var migrations: [Migration] { KPIFacts.migrations }
    /// Nothing in KPI's store comes from anywhere but its streams.
    public var rebuildableTables: [String] { KPIFacts.tables }

    public func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        try KPIFacts.record(event, tx)
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
                let now = context.clock.now()
                let facts = try await Self.load(period, now: now, context)
                func shape(_ f: [KPICalculator.Figure]) -> [KPICalculator.Figure] { evidence ? f : f.map(\.withoutEvidence) }
                let total = KPICalculator.figures(period: period, unit: nil, now: now, facts)
                var units: [Report.UnitFigures]?
                if by == "unit" {
                    let ids = Set(facts.assignments.map(\.leadUnit)).union(facts.callbacks.map(\.leadUnit)).union(facts.backlog.map(\.leadUnit))
                        .union(facts.callbackDues.map(\.leadUnit)).sorted()
                    units = ids.map { unit in
                        Report.UnitFigures(unit: unit, name: context.county.unit(unit)?.name ?? unit,
                                           figures: shape(KPICalculator.figures(period: period, unit: unit, now: now, facts)))
                    }
                }
                return try .json(Report(period: text, from: Timestamp.format(period.from), to: Timestamp.format(period.to),
                                        definitionVersion: KPICalculator.definitionVersion, total: shape(total), units: units))
            },
        ]
    }

    /// The records any figure of `period` can depend on, from the joined facts. Facts still
    /// incomplete (a ticket whose receipt, an assignment whose dispatch has not been applied
    /// yet) count nowhere until their stream catches up: `/readyz` shows the lag.
    static func load(_ p: KPICalculator.Period, now: Date, _ context: ServiceContext) async throws -> KPICalculator.Facts {
        let from = Timestamp.format(p.from)
        let to = Timestamp.format(p.to)
        let moment = Timestamp.format(min(p.to, now))
        @Sendable func date(_ r: Row, _ column: String) -> Date? { r.string(column).flatMap(Timestamp.parse) }
        @Sendable func assignment(_ r: Row) -> KPICalculator.AssignmentRecord {
            KPICalculator.AssignmentRecord(
                id: r.string("id") ?? "", leadUnit: r.string("lead_unit") ?? "", dispatchedAt: date(r, "dispatched_at") ?? .distantPast,
                responseDue: date(r, "response_due"), replyDue: date(r, "reply_due"), acceptedAt: date(r, "accepted_at"),
                repliedAt: date(r, "replied_at"), approvedReturn: r.bool("approved_return"), escalatedAt: date(r, "escalated_at"))
        }
        return try await context.read { tx in
            var facts = KPICalculator.Facts()
            facts.tickets = try tx.query("SELECT * FROM k_tickets WHERE received_at >= ? AND received_at < ?", [.text(from), .text(to)]).map { r in
                KPICalculator.TicketRecord(id: r.string("id") ?? "", receivedAt: date(r, "received_at") ?? .distantPast, isRepeat: r.bool("is_repeat"),
                                           isInvalid: r.bool("is_invalid"), firstReplyAt: date(r, "first_reply_at"),
                                           closedAtIntake: r.bool("closed_at_intake"))
            }
            facts.assignments = try tx.query(
                """
                SELECT * FROM k_assignments WHERE lead_unit IS NOT NULL AND dispatched_at IS NOT NULL AND (
                    (dispatched_at >= ? AND dispatched_at < ?) OR (response_due >= ? AND response_due < ?)
                    OR (reply_due >= ? AND reply_due < ?) OR (replied_at >= ? AND replied_at < ?))
                """, [.text(from), .text(to), .text(from), .text(to), .text(from), .text(to), .text(from), .text(to)]
            ).map(assignment)
            // The unit answering for a callback is the assignment's lead unit (kpi.md).
            facts.callbacks = try tx.query(
                """
                SELECT c.assignment, c.completed_at, c.reached, c.resolved, c.satisfaction, a.lead_unit, a.approved_return
                FROM k_callbacks c JOIN k_assignments a ON a.id = c.assignment
                WHERE a.lead_unit IS NOT NULL AND c.completed_at >= ? AND c.completed_at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                KPICalculator.CallbackRecord(
                    assignment: r.string("assignment") ?? "", leadUnit: r.string("lead_unit") ?? "", completedAt: date(r, "completed_at") ?? .distantPast,
                    reached: r.bool("reached"), resolved: r.bool("resolved"), satisfaction: r.string("satisfaction") ?? "",
                    approvedReturn: r.bool("approved_return"))
            }
            facts.callbackDues = try tx.query(
                """
                SELECT c.assignment, c.due_at, c.completed_at, c.unreachable_at, a.lead_unit FROM k_callbacks c JOIN k_assignments a ON a.id = c.assignment
                WHERE a.lead_unit IS NOT NULL AND c.due_at >= ? AND c.due_at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                let done = [date(r, "completed_at"), date(r, "unreachable_at")].compactMap { $0 }.min()
                return KPICalculator.CallbackDue(assignment: r.string("assignment") ?? "", leadUnit: r.string("lead_unit") ?? "",
                                                 due: date(r, "due_at") ?? .distantPast, doneAt: done)
            }
            facts.returns = try tx.query(
                """
                SELECT r.dispute, r.requested_at, a.lead_unit FROM k_returns r JOIN k_assignments a ON a.id = r.assignment
                WHERE a.lead_unit IS NOT NULL AND r.requested_at >= ? AND r.requested_at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                KPICalculator.ReturnRecord(dispute: r.string("dispute") ?? "", leadUnit: r.string("lead_unit") ?? "",
                                           requestedAt: date(r, "requested_at") ?? .distantPast)
            }
            // A reopening counts against the lead(s) whose reply in the round before failed.
            facts.reopenings = try tx.query(
                """
                SELECT DISTINCT o.ticket, o.round, o.at, a.lead_unit FROM k_reopenings o
                JOIN k_assignments a ON a.ticket = o.ticket AND a.round = o.round - 1 AND a.replied_at IS NOT NULL
                WHERE a.lead_unit IS NOT NULL AND o.at >= ? AND o.at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                KPICalculator.ReopenRecord(id: "\(r.string("ticket") ?? "")#\(r.int("round") ?? 0)", leadUnit: r.string("lead_unit") ?? "",
                                           at: date(r, "at") ?? .distantPast)
            }
            facts.backlog = try tx.query(
                """
                SELECT * FROM k_assignments WHERE lead_unit IS NOT NULL AND dispatched_at IS NOT NULL AND reply_due < ?
                    AND (replied_at IS NULL OR replied_at > ?) AND (escalated_at IS NULL OR escalated_at > ?)
                    AND (approved_return IS NULL OR approved_return = 0)
                """, [.text(moment), .text(moment), .text(moment)]
            ).map(assignment)
            return facts
        }
    }
}
