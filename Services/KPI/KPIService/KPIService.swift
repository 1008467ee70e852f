import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// KPI: follows every stream into read models and computes the figures auditors read.
public struct KPIService: ServiceLogic {
    /// The OpenAPI 3.1 document (`OpenAPIJSON.swift` in this module), served at /openapi.json.
    public static let document: [UInt8]? = Array(openAPIJSON.utf8)
    public var openAPIDocument: [UInt8]? { Self.document }

    public let name = "kpi"
    public let follows = ["intake", "dispatch", "supervision", "survey"]

    /// One publisher for the routes and the timer, so two publications never overlap.
    let publication: ReportPublication

    /// Signs dashboard links; in memory only, so a restart revokes every link.
    let dashboardKey: [UInt8]

    public init() {
        publication = ReportPublication()
        var generator = SystemRandomNumberGenerator()
        dashboardKey = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    public var migrations: [Migration] { KPIFacts.migrations + [ReportStore.migration, RollupStore.migration] }
    /// The facts and daily sums come from the streams alone; published reports are the
    /// service's own acts and survive a rebuild.
    public var rebuildableTables: [String] { KPIFacts.tables }

    public func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        try KPIFacts.record([event], tx, zone: context.zone)
    }

    /// A run's facts stored event by event, its daily sums moved once (`KPIFacts.record`).
    public func apply(run events: [Event], _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        try KPIFacts.record(events, tx, zone: context.zone)
    }

    /// The auditors' SQL views in the county's zone (and their grant), and the daily sums
    /// built from the facts when a store predates them.
    public func prepare(_ context: ServiceContext) async throws {
        let zone = context.zone
        let built = try await context.database.write { tx in
            try tx.executeScript(AuditorViews.script(engine: tx.engine, zone: zone))
            if tx.engine == .postgres { try tx.executeScript(AuditorViews.grant) }
            return try RollupStore.buildIfNeeded(tx, zone: zone)
        }
        if built > 0 { context.logger.notice("daily sums built from the facts", ["entities": String(built)]) }
    }

    /// Publishes each month's report when its time has come (KP-4).
    public func tick(_ context: ServiceContext) async throws {
        try await publication.publishDue(streams: follows, context)
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
        let recomputation = Recomputation()
        let streams = follows
        return AssessmentRoutes.routes(context) + EvidenceRoutes.routes(context)
            + ReportRoutes.routes(context, publication: publication, streams: streams) + EmergencyBulletin.routes(context)
            + HotTopics.routes(context) + DashboardRoutes.routes(context, key: dashboardKey) + [
            // KP-3: recompute a period from the streams (re-read from seq 1, chains verified)
            // and list every cell that differs from the live figures.
            Route("POST", "/v1/audit/recompute", roles: [.auditor, .admin]) { request in
                let (text, period) = try Self.period(request, context)
                return try .json(try await recomputation.run(period: text, period, streams: streams, context: context))
            },
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
                let format = try Self.format(request)
                let now = context.clock.now()
                if !evidence && (by == nil || by == "unit") {
                    // The county and the units from the daily sums: fast at any size.
                    let zone = context.zone
                    let inputs = try await context.read { tx in try RollupFigures.inputs(tx, period, now: now, zone: zone) }
                    let units = by == nil ? nil : RollupFigures.units(inputs).map { unit in
                        Report.UnitFigures(unit: unit, name: context.county.unit(unit)?.name ?? unit,
                                           figures: RollupFigures.figures(period, now: now, inputs, unit: unit))
                    }
                    let report = Report(period: text, from: Timestamp.format(period.from), to: Timestamp.format(period.to),
                                        definitionVersion: KPICalculator.definitionVersion,
                                        total: RollupFigures.figures(period, now: now, inputs, unit: nil), units: units, groups: nil)
                    return format == "csv" ? Self.csv(report, evidence: false) : try .json(report)
                }
                let facts = try await Self.load(period, now: now, context)
                func shape(_ f: [KPICalculator.Figure]) -> [KPICalculator.Figure] { evidence ? f : f.map(\.withoutEvidence) }
                let total = KPICalculator.figures(period: period, unit: nil, now: now, facts)
                var units: [Report.UnitFigures]?
                if by == "unit" {
                    let ids = KPICalculator.units(facts)
                    units = ids.map { unit in
                        Report.UnitFigures(unit: unit, name: context.county.unit(unit)?.name ?? unit,
                                           figures: shape(KPICalculator.figures(period: period, unit: unit, now: now, facts)))
                    }
                }
                var groups: [Report.GroupFigures]?
                if let by, by != "unit" {
                    // Attributed by the ticket's own fields (kpi.md): every value any fact of the period has.
                    let keys = KPICalculator.groupKeys(facts, by: by)
                    groups = keys.map { key in
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

    /// The `format` query parameter: json (the default) or csv.
    static func format(_ request: HTTPRequest) throws -> String {
        let format = request.queryValue("format") ?? "json"
        guard format == "json" || format == "csv" else { throw Problem.invalid([.init("format", "must be json or csv")]) }
        return format
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

    /// The records any figure of `period` can depend on, in one snapshot.
    static func load(_ p: KPICalculator.Period, now: Date, _ context: ServiceContext) async throws -> KPICalculator.Facts {
        try await context.read { tx in try FactQueries.facts(tx, p, now: now) }
    }
}
