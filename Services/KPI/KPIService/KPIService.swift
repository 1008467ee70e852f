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
        /// by=channel, category, kind, domain, street or community: one entry per value.
        public let groups: [GroupFigures]?

        public struct UnitFigures: Codable, Sendable {
            public let unit: String
            public let name: String
            public let figures: [KPICalculator.Figure]
        }

        public struct GroupFigures: Codable, Sendable {
            public let by: String
            public let key: String
            public let name: String
            public let figures: [KPICalculator.Figure]
        }

        enum CodingKeys: String, CodingKey {
            case period, from, to, total, units, groups
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
        AssessmentRoutes.routes(context) + EvidenceRoutes.routes(context) + [
            Route("GET", "/v1/kpi", roles: [.auditor, .centre]) { request in
                let (text, period) = try Self.period(request, context)
                let by = request.queryValue("by")
                guard by == nil || by == "unit" || KPICalculator.dimensions.contains(by ?? "") else {
                    throw Problem.invalid([.init("by", "must be unit, \(KPICalculator.dimensions.joined(separator: ", "))")])
                }
                let evidenceText = request.queryValue("evidence")
                guard evidenceText == nil || evidenceText == "true" || evidenceText == "false" else {
                    throw Problem.invalid([.init("evidence", "must be true or false")])
                }
                let evidence = evidenceText == "true"
                let format = request.queryValue("format") ?? "json"
                guard format == "json" || format == "csv" else { throw Problem.invalid([.init("format", "must be json or csv")]) }
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
                var groups: [Report.GroupFigures]?
                if let by, by != "unit" {
                    // Attributed by the ticket's own fields (kpi.md): every value any fact of the period has.
                    var keys = Set(facts.tickets.compactMap { $0.attributes[by] })
                    keys.formUnion(facts.assignments.compactMap { $0.attributes[by] })
                    keys.formUnion(facts.callbacks.compactMap { $0.attributes[by] })
                    keys.formUnion(facts.backlog.compactMap { $0.attributes[by] })
                    groups = keys.sorted().map { key in
                        Report.GroupFigures(by: by, key: key, name: Self.name(of: key, by: by, county: context.county),
                                            figures: shape(KPICalculator.figures(period: period, scope: .field(by, key), now: now, facts)))
                    }
                }
                let report = Report(period: text, from: Timestamp.format(period.from), to: Timestamp.format(period.to),
                                    definitionVersion: KPICalculator.definitionVersion, total: shape(total), units: units, groups: groups)
                if format == "csv" { return Self.csv(report, evidence: evidence) }
                return try .json(report)
            },
        ]
    }

    /// The `period` query parameter, checked: 422 when malformed, 404 when well-formed but
    /// naming no time (week 53 of a year that has 52, a range that ends before it starts).
    static func period(_ request: HTTPRequest, _ context: ServiceContext) throws -> (String, KPICalculator.Period) {
        guard let text = request.queryValue("period") else {
            throw Problem.invalid([.init("period", "is required: 2026-11, 2026-11-22, 2026-W47 or 2026-11-01..2026-11-16")])
        }
        guard try Regex(periodPatternSource).wholeMatch(in: text) != nil else {
            throw Problem.invalid([.init("period", "must be a month, day, ISO week or date range")])
        }
        guard let period = KPICalculator.period(text, zone: context.zone) else { throw Problem.notFound("period \(text) holds no time") }
        return (text, period)
    }

    static let csvColumns = ["period", "scope", "key", "name", "figure", "value", "numerator", "denominator", "final", "pending",
                             "definition_version", "numerator_ids", "denominator_ids"]

    /// The report as CSV (UTF-8, RFC 4180): one row per scope and figure; with evidence, the
    /// ids behind it separated by spaces.
    static func csv(_ r: Report, evidence: Bool) -> HTTPResponse {
        func number(_ v: Double?) -> String { v.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? "" }
        var rows: [[String]] = []
        func add(_ scope: String, _ key: String, _ name: String, _ figures: [KPICalculator.Figure]) {
            for f in figures {
                let numerator: String = f.numerator.map { String($0) } ?? ""
                let denominator: String = f.denominator.map { String($0) } ?? ""
                let final: String = f.final.map { $0 ? "true" : "false" } ?? ""
                let pending: String = f.pending.map { String($0) } ?? ""
                let numeratorIDs: String = evidence ? (f.numeratorIDs ?? []).joined(separator: " ") : ""
                let denominatorIDs: String = evidence ? (f.denominatorIDs ?? []).joined(separator: " ") : ""
                rows.append([r.period, scope, key, name, f.id, number(f.value), numerator, denominator, final, pending, r.definitionVersion,
                             numeratorIDs, denominatorIDs])
            }
        }
        add("total", "", "", r.total)
        for u in r.units ?? [] { add("unit", u.unit, u.name, u.figures) }
        for g in r.groups ?? [] { add(g.by, g.key, g.name, g.figures) }
        return CSV.response(header: csvColumns, rows: rows, filename: "kpi-\(r.period).csv")
    }

    /// What a dimension's value is called in the county's configuration.
    static func name(of key: String, by: String, county: CountyConfig) -> String {
        switch by {
        case "channel": return county.channel(key)?.name ?? key
        case "category": return county.category(key)?.name ?? key
        case "street", "community": return county.region(key)?.name ?? key
        default: return key
        }
    }

    /// The records any figure of `period` can depend on, from the joined facts. Facts still
    /// incomplete (a ticket whose receipt, an assignment whose dispatch has not been applied
    /// yet) count nowhere until their stream catches up: `/readyz` shows the lag.
    static func load(_ p: KPICalculator.Period, now: Date, _ context: ServiceContext) async throws -> KPICalculator.Facts {
        let from = Timestamp.format(p.from)
        let to = Timestamp.format(p.to)
        let moment = Timestamp.format(min(p.to, now))
        @Sendable func date(_ r: Row, _ column: String) -> Date? { r.string(column).flatMap(Timestamp.parse) }
        /// A ticket's own fields from the joined `t_*` columns: region figures go by its street and community.
        @Sendable func attributes(_ r: Row) -> [String: String] {
            var out: [String: String] = [:]
            for name in ["channel", "category", "kind", "domain"] { if let v = r.string("t_" + name) { out[name] = v } }
            if let region = r.string("t_region") {
                if region.count >= 9 { out["street"] = String(region.prefix(9)) }
                if region.count >= 12 { out["community"] = String(region.prefix(12)) }
            }
            return out
        }
        let ticketColumns = "t.channel AS t_channel, t.category AS t_category, t.kind AS t_kind, t.domain AS t_domain, t.region AS t_region"
        @Sendable func assignment(_ r: Row) -> KPICalculator.AssignmentRecord {
            KPICalculator.AssignmentRecord(
                id: r.string("id") ?? "", leadUnit: r.string("lead_unit") ?? "", dispatchedAt: date(r, "dispatched_at") ?? .distantPast,
                responseDue: date(r, "response_due"), replyDue: date(r, "reply_due"), acceptedAt: date(r, "accepted_at"),
                repliedAt: date(r, "replied_at"), approvedReturn: r.bool("approved_return"), escalatedAt: date(r, "escalated_at"),
                attributes: attributes(r))
        }
        return try await context.read { tx in
            var facts = KPICalculator.Facts()
            facts.tickets = try tx.query("SELECT t.*, \(ticketColumns) FROM k_tickets t WHERE t.received_at >= ? AND t.received_at < ?",
                                         [.text(from), .text(to)]).map { r in
                KPICalculator.TicketRecord(id: r.string("id") ?? "", receivedAt: date(r, "received_at") ?? .distantPast, isRepeat: r.bool("is_repeat"),
                                           isInvalid: r.bool("is_invalid"), firstReplyAt: date(r, "first_reply_at"),
                                           closedAtIntake: r.bool("closed_at_intake"), attributes: attributes(r))
            }
            facts.assignments = try tx.query(
                """
                SELECT a.*, \(ticketColumns) FROM k_assignments a LEFT JOIN k_tickets t ON t.id = a.ticket
                WHERE a.lead_unit IS NOT NULL AND a.dispatched_at IS NOT NULL AND (
                    (a.dispatched_at >= ? AND a.dispatched_at < ?) OR (a.response_due >= ? AND a.response_due < ?)
                    OR (a.reply_due >= ? AND a.reply_due < ?) OR (a.replied_at >= ? AND a.replied_at < ?))
                """, [.text(from), .text(to), .text(from), .text(to), .text(from), .text(to), .text(from), .text(to)]
            ).map(assignment)
            // The unit answering for a callback is the assignment's lead unit (kpi.md).
            facts.callbacks = try tx.query(
                """
                SELECT c.assignment, c.completed_at, c.reached, c.resolved, c.satisfaction, a.lead_unit, a.approved_return, \(ticketColumns)
                FROM k_callbacks c JOIN k_assignments a ON a.id = c.assignment LEFT JOIN k_tickets t ON t.id = a.ticket
                WHERE a.lead_unit IS NOT NULL AND c.completed_at >= ? AND c.completed_at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                KPICalculator.CallbackRecord(
                    assignment: r.string("assignment") ?? "", leadUnit: r.string("lead_unit") ?? "", completedAt: date(r, "completed_at") ?? .distantPast,
                    reached: r.bool("reached"), resolved: r.bool("resolved"), satisfaction: r.string("satisfaction") ?? "",
                    approvedReturn: r.bool("approved_return"), attributes: attributes(r))
            }
            facts.callbackDues = try tx.query(
                """
                SELECT c.assignment, c.due_at, c.completed_at, c.unreachable_at, a.lead_unit, \(ticketColumns) FROM k_callbacks c
                JOIN k_assignments a ON a.id = c.assignment LEFT JOIN k_tickets t ON t.id = a.ticket
                WHERE a.lead_unit IS NOT NULL AND c.due_at >= ? AND c.due_at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                let done = [date(r, "completed_at"), date(r, "unreachable_at")].compactMap { $0 }.min()
                return KPICalculator.CallbackDue(assignment: r.string("assignment") ?? "", leadUnit: r.string("lead_unit") ?? "",
                                                 due: date(r, "due_at") ?? .distantPast, doneAt: done, attributes: attributes(r))
            }
            facts.returns = try tx.query(
                """
                SELECT r.dispute, r.requested_at, a.lead_unit, \(ticketColumns) FROM k_returns r JOIN k_assignments a ON a.id = r.assignment
                LEFT JOIN k_tickets t ON t.id = a.ticket WHERE a.lead_unit IS NOT NULL AND r.requested_at >= ? AND r.requested_at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                KPICalculator.ReturnRecord(dispute: r.string("dispute") ?? "", leadUnit: r.string("lead_unit") ?? "",
                                           requestedAt: date(r, "requested_at") ?? .distantPast, attributes: attributes(r))
            }
            // A reopening counts against the lead(s) whose reply in the round before failed.
            facts.reopenings = try tx.query(
                """
                SELECT DISTINCT o.ticket, o.round, o.at, a.lead_unit, \(ticketColumns) FROM k_reopenings o
                JOIN k_assignments a ON a.ticket = o.ticket AND a.round = o.round - 1 AND a.replied_at IS NOT NULL
                LEFT JOIN k_tickets t ON t.id = o.ticket WHERE a.lead_unit IS NOT NULL AND o.at >= ? AND o.at < ?
                """, [.text(from), .text(to)]
            ).map { r in
                KPICalculator.ReopenRecord(id: "\(r.string("ticket") ?? "")#\(r.int("round") ?? 0)", leadUnit: r.string("lead_unit") ?? "",
                                           at: date(r, "at") ?? .distantPast, attributes: attributes(r))
            }
            facts.backlog = try tx.query(
                """
                SELECT a.*, \(ticketColumns) FROM k_assignments a LEFT JOIN k_tickets t ON t.id = a.ticket
                WHERE a.lead_unit IS NOT NULL AND a.dispatched_at IS NOT NULL AND a.reply_due < ?
                    AND (a.replied_at IS NULL OR a.replied_at > ?) AND (a.escalated_at IS NULL OR a.escalated_at > ?)
                    AND (a.approved_return IS NULL OR a.approved_return = 0)
                """, [.text(moment), .text(moment), .text(moment)]
            ).map(assignment)
            return facts
        }
    }
}
