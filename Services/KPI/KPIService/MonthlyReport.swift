import FoundationEssentials
import HotlineCore
import HotlineDomain

/// The monthly report (KP-2, KP-4): the ranking of kpi.md, a warning letter (提醒函) to each of
/// the bottom three, and a health report (体检报告) per unit. A pure function of the month's
/// facts, the five months before it and the directory, so one history always gives the same
/// canonical bytes (the history it rests on is pinned beside it, in `report.published`).
public struct MonthlyReport: Codable, Sendable, Equatable {
    public let period: String
    public let from: String
    public let to: String
    public let definitionVersion: String
    public let version: Int
    public let publishedAt: String
    /// scheduled (a configured time after the month ended) or on_demand
    public let trigger: String
    public let county: String
    public let total: [KPICalculator.Figure]
    public let ranking: [RankedUnit]
    public let warningLetters: [WarningLetter]
    public let healthReports: [HealthReport]

    enum CodingKeys: String, CodingKey {
        case period, from, to, version, trigger, county, total, ranking
        case definitionVersion = "definition_version"
        case publishedAt = "published_at"
        case warningLetters = "warning_letters"
        case healthReports = "health_reports"
    }

    /// The rates the composite weighs, and the ranking shows.
    public struct Rates: Codable, Sendable, Equatable {
        public let composite: Double?
        public let responseRate: Double?
        public let onTimeRate: Double?
        public let resolutionRate: Double?
        public let satisfactionRate: Double?
        public let assignments: Int
        public let overdueBacklog: Int

        init(_ figures: [KPICalculator.Figure]) {
            func value(_ id: String) -> Double? { figures.first { $0.id == id }?.value }
            composite = value("composite")
            responseRate = value("response_rate")
            onTimeRate = value("on_time_rate")
            resolutionRate = value("resolution_rate")
            satisfactionRate = value("satisfaction_rate")
            assignments = Int(value("assignments") ?? 0)
            overdueBacklog = Int(value("overdue_backlog") ?? 0)
        }

        enum CodingKeys: String, CodingKey {
            case composite, assignments
            case responseRate = "response_rate"
            case onTimeRate = "on_time_rate"
            case resolutionRate = "resolution_rate"
            case satisfactionRate = "satisfaction_rate"
            case overdueBacklog = "overdue_backlog"
        }
    }

    public struct RankedUnit: Codable, Sendable, Equatable {
        public let rank: Int
        public let unit: String
        public let name: String
        public let rates: Rates
    }

    public struct WarningLetter: Codable, Sendable, Equatable {
        /// 提醒〔2026年10月〕第1号
        public let number: String
        public let unit: String
        public let name: String
        /// The unit's head, from the directory.
        public let addressee: String
        public let rank: Int
        public let of: Int
        public let text: String
    }

    public struct HealthReport: Codable, Sendable, Equatable {
        public let unit: String
        public let name: String
        public let rank: Int?
        public let figures: [KPICalculator.Figure]
        /// The month and the five before it, oldest first.
        public let trend: [TrendPoint]
        /// Its three weakest categories this month (lowest composite first).
        public let worstCategories: [CategoryRates]
        /// Its assignments overdue and unreplied at the end of the month.
        public let overdueAssignments: [String]

        enum CodingKeys: String, CodingKey {
            case unit, name, rank, figures, trend
            case worstCategories = "worst_categories"
            case overdueAssignments = "overdue_assignments"
        }
    }

    public struct TrendPoint: Codable, Sendable, Equatable {
        public let period: String
        public let rates: Rates
    }

    public struct CategoryRates: Codable, Sendable, Equatable {
        public let category: String
        public let name: String
        public let rates: Rates
    }

    /// A month's label (`2026-10`).
    static func label(year: Int, month: Int) -> String { String(cFormat: "%04d-%02d", year, month) }

    /// One month's facts, labelled (`2026-10`).
    public struct Month: Sendable {
        public let label: String
        public let period: KPICalculator.Period
        public let facts: KPICalculator.Facts
        public init(label: String, period: KPICalculator.Period, facts: KPICalculator.Facts) {
            self.label = label
            self.period = period
            self.facts = facts
        }
    }

    /// What a report is made of: the month's facts (for its categories), the county's and each
    /// unit's figures (overdue ids aside, without evidence), and each unit's six-month trend.
    /// The service fills it from the daily sums and indexed queries; `build(months:)` from
    /// facts alone; both give the same report.
    public struct Inputs: Sendable {
        public var month: Month
        public var total: [KPICalculator.Figure]
        public var unitFigures: [String: [KPICalculator.Figure]]
        public var overdue: [String: [String]]
        public var trend: [String: [TrendPoint]]
    }

    /// Builds the report of `month` (the last of `months`, which hold up to six, oldest first)
    /// as of `publishedAt`, from facts alone.
    public static func build(months: [Month], county: CountyConfig, version: Int, publishedAt: Date, trigger: String) -> MonthlyReport {
        let month = months.last!
        let now = publishedAt
        var unitFigures: [String: [KPICalculator.Figure]] = [:]
        var overdue: [String: [String]] = [:]
        var trend: [String: [TrendPoint]] = [:]
        for unit in KPICalculator.units(month.facts) {
            let figures = KPICalculator.figures(period: month.period, scope: .unit(unit), now: now, month.facts)
            unitFigures[unit] = figures.map(\.withoutEvidence)
            overdue[unit] = figures.first { $0.id == "overdue_backlog" }?.numeratorIDs ?? []
            trend[unit] = months.map { m in
                TrendPoint(period: m.label, rates: Rates(KPICalculator.figures(period: m.period, scope: .unit(unit), now: now, m.facts)))
            }
        }
        let total = KPICalculator.figures(period: month.period, scope: .all, now: now, month.facts).map(\.withoutEvidence)
        return build(Inputs(month: month, total: total, unitFigures: unitFigures, overdue: overdue, trend: trend), county: county,
                     version: version, publishedAt: publishedAt, trigger: trigger)
    }

    /// Whether a unit had anything in the period: a count, a cohort, something pending.
    static func active(_ figures: [KPICalculator.Figure]) -> Bool {
        figures.contains { ($0.value ?? 0) != 0 || ($0.denominator ?? 0) > 0 || ($0.pending ?? 0) > 0 }
    }

    public static func build(_ inputs: Inputs, county: CountyConfig, version: Int, publishedAt: Date, trigger: String) -> MonthlyReport {
        let month = inputs.month
        let now = publishedAt
        let p = month.period
        let units = inputs.unitFigures.filter { active($0.value) }.keys.sorted()
        func name(_ unit: String) -> String { county.unit(unit)?.name ?? unit }
        let ranking = rank(inputs.unitFigures.filter { active($0.value) }).map {
            RankedUnit(rank: $0.rank, unit: $0.unit, name: name($0.unit), rates: $0.rates)
        }
        let rankOf = Dictionary(uniqueKeysWithValues: ranking.map { ($0.unit, $0.rank) })
        let letters = ranking.count < 4 ? [] : ranking.suffix(3).enumerated().map { n, r in
            warningLetter(r, number: n + 1, of: ranking.count, month: month, county: county)
        }
        let health = units.map { unit -> HealthReport in
            let mine = month.facts.only(unit: unit)
            let categories = KPICalculator.groupKeys(mine, by: "category").map { c in
                CategoryRates(category: c, name: county.category(c)?.name ?? c,
                              rates: Rates(KPICalculator.figures(period: p, scope: .field("category", c), now: now, mine)))
            }
            let weakest = categories.filter { $0.rates.assignments > 0 || $0.rates.composite != nil }.sorted { a, b in
                switch (a.rates.composite, b.rates.composite) {
                case let (x?, y?) where x != y: return x < y
                case (nil, _?): return false
                case (_?, nil): return true
                default: return a.rates.assignments != b.rates.assignments ? a.rates.assignments > b.rates.assignments : a.category < b.category
                }
            }
            return HealthReport(unit: unit, name: name(unit), rank: rankOf[unit], figures: inputs.unitFigures[unit] ?? [],
                                trend: inputs.trend[unit] ?? [], worstCategories: Array(weakest.prefix(3)),
                                overdueAssignments: inputs.overdue[unit] ?? [])
        }
        return MonthlyReport(period: month.label, from: Timestamp.format(p.from), to: Timestamp.format(p.to),
                             definitionVersion: KPICalculator.definitionVersion, version: version, publishedAt: Timestamp.format(publishedAt),
                             trigger: trigger, county: county.county.name, total: inputs.total, ranking: ranking, warningLetters: letters,
                             healthReports: health)
    }

    /// The ranking from the daily sums (the live ranking and the dashboard, fast at any size).
    static func ranking(_ p: KPICalculator.Period, now: Date, _ inputs: RollupFigures.Inputs, county: CountyConfig) -> [RankedUnit] {
        var figures: [String: [KPICalculator.Figure]] = [:]
        for unit in RollupFigures.units(inputs) { figures[unit] = RollupFigures.figures(p, now: now, inputs, unit: unit) }
        return rank(figures).map { RankedUnit(rank: $0.rank, unit: $0.unit, name: county.unit($0.unit)?.name ?? $0.unit, rates: $0.rates) }
    }

    /// kpi.md's ranking: units with at least one assignment in the period, by composite
    /// descending (a unit with none last), then assignments descending, then unit id.
    public static func rank(_ figuresByUnit: [String: [KPICalculator.Figure]]) -> [(rank: Int, unit: String, rates: Rates)] {
        let rows = figuresByUnit.map { ($0.key, Rates($0.value)) }.filter { $0.1.assignments > 0 }
        let sorted = rows.sorted { a, b in
            if a.1.composite != b.1.composite {
                guard let x = a.1.composite else { return false }
                guard let y = b.1.composite else { return true }
                return x > y
            }
            if a.1.assignments != b.1.assignments { return a.1.assignments > b.1.assignments }
            return a.0 < b.0
        }
        return sorted.enumerated().map { (rank: $0.offset + 1, unit: $0.element.0, rates: $0.element.1) }
    }

    /// 提醒函 to the head of a unit in the bottom three.
    static func warningLetter(_ r: RankedUnit, number: Int, of count: Int, month: Month, county: CountyConfig) -> WarningLetter {
        let (year, monthNumber) = { () -> (Int, Int) in
            let d = CivilDate.fromDays(LocalDate.day(of: month.period.from, in: month.period.zone))
            return (d.year, d.month)
        }()
        let head = county.unit(r.unit)?.roles.head ?? r.name
        func percent(_ v: Double?) -> String { v.map { String(cFormat: "%.2f%%", $0 * 100) } ?? "无数据" }
        let score = r.rates.composite.map { String(cFormat: "%.2f", $0) } ?? "无数据"
        let text = """
            提醒函
            提醒〔\(year)年\(monthNumber)月〕第\(number)号

            \(head)同志（\(r.name)）：
            \(year)年\(monthNumber)月，你单位在\(county.county.name)12345热线承办单位综合考评中得分\(score)，\
            在\(count)个承办单位中排名第\(r.rank)位，位列后三名。其中：响应率\(percent(r.rates.responseRate))，\
            按时办结率\(percent(r.rates.onTimeRate))，解决率\(percent(r.rates.resolutionRate))，满意率\(percent(r.rates.satisfactionRate))；\
            月末超期未办结\(r.rates.overdueBacklog)件。请认真分析原因，限期整改，并于下月10日前将整改情况书面报送县12345热线工作机构。

            \(county.county.name)12345政务服务便民热线工作机构
            """
        return WarningLetter(number: "提醒〔\(year)年\(monthNumber)月〕第\(number)号", unit: r.unit, name: r.name, addressee: head,
                             rank: r.rank, of: count, text: text)
    }
}
