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

    /// The records any figure of `period` can depend on, from the joined facts. Facts still
    /// incomplete (a ticket whose receipt, an assignment whose dispatch has not been applied
    /// yet) count nowhere until their stream catches up: `/readyz` shows the lag.
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
                SELECT * FROM k_assignments WHERE lead_unit IS NOT NULL AND dispatched_at IS NOT NULL AND (
                    (dispatched_at >= ? AND dispatched_at < ?) OR (response_due >= ? AND response_due < ?)
                    OR (reply_due >= ? AND reply_due < ?))
                """, [.text(from), .text(to), .text(from), .text(to), .text(from), .text(to)]
            ).map { r in
                KPICalculator.AssignmentRecord(
                    id: r.string("id") ?? "", leadUnit: r.string("lead_unit") ?? "",
                    dispatchedAt: Timestamp.parse(r.string("dispatched_at") ?? "") ?? .distantPast,
                    responseDue: r.string("response_due").flatMap(Timestamp.parse), replyDue: r.string("reply_due").flatMap(Timestamp.parse),
                    acceptedAt: r.string("accepted_at").flatMap(Timestamp.parse), repliedAt: r.string("replied_at").flatMap(Timestamp.parse),
                    approvedReturn: r.bool("approved_return"))
            }
            // The unit answering for a callback is the assignment's lead unit (kpi.md).
            let callbacks = try tx.query(
                """
                SELECT c.assignment, c.completed_at, c.reached, c.resolved, c.satisfaction, a.lead_unit, a.approved_return
                FROM k_callbacks c JOIN k_assignments a ON a.id = c.assignment
                WHERE a.lead_unit IS NOT NULL AND c.completed_at >= ? AND c.completed_at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                KPICalculator.CallbackRecord(
                    assignment: r.string("assignment") ?? "", leadUnit: r.string("lead_unit") ?? "",
                    completedAt: Timestamp.parse(r.string("completed_at") ?? "") ?? .distantPast, reached: r.bool("reached"),
                    resolved: r.bool("resolved"), satisfaction: r.string("satisfaction") ?? "",
                    approvedReturn: r.bool("approved_return"))
            }
            return (tickets, assignments, callbacks)
        }
    }
}
