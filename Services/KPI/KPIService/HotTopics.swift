import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// Hot topics (KP-5): the categories and places whose requests rise this ISO week against
/// the week before and against the same ISO week a year earlier (heating in November, floods
/// in July), with counts and growth. Counted by SQL over the tickets received; ranked by a
/// pure function.
enum HotTopics {
    struct Topic: Codable, Sendable, Equatable {
        let key: String
        let name: String
        let count: Int
        let previousWeek: Int
        let sameWeekLastYear: Int
        /// (count − previous) / previous, 4 decimals; nil when the previous week had none.
        let weekOverWeek: Double?
        let yearOverYear: Double?
        enum CodingKeys: String, CodingKey {
            case key, name, count
            case previousWeek = "previous_week"
            case sameWeekLastYear = "same_week_last_year"
            case weekOverWeek = "week_over_week"
            case yearOverYear = "year_over_year"
        }
    }

    static func growth(_ now: Int, _ before: Int) -> Double? {
        before == 0 ? nil : ((Double(now - before) / Double(before)) * 10_000).rounded() / 10_000
    }

    /// Every key with requests this week, rising first: by the increase over the previous week,
    /// then over the same week a year earlier, then this week's count, then the key.
    static func rank(current: [String: Int], previous: [String: Int], lastYear: [String: Int], name: (String) -> String) -> [Topic] {
        current.map { key, count in
            Topic(key: key, name: name(key), count: count, previousWeek: previous[key] ?? 0, sameWeekLastYear: lastYear[key] ?? 0,
                  weekOverWeek: growth(count, previous[key] ?? 0), yearOverYear: growth(count, lastYear[key] ?? 0))
        }.sorted { a, b in
            let (da, db) = (a.count - a.previousWeek, b.count - b.previousWeek)
            if da != db { return da > db }
            let (ya, yb) = (a.count - a.sameWeekLastYear, b.count - b.sameWeekLastYear)
            if ya != yb { return ya > yb }
            if a.count != b.count { return a.count > b.count }
            return a.key < b.key
        }
    }

    /// ISO week `w` of `year`, or week 52 when that year has no week 53.
    static func week(_ year: Int, _ w: Int, zone: TimeZone) -> KPICalculator.Period? {
        KPICalculator.period(String(cFormat: "%04d-W%02d", year, w), zone: zone)
            ?? (w == 53 ? KPICalculator.period(String(cFormat: "%04d-W52", year), zone: zone) : nil)
    }

    static let dimensions = ["category", "street", "community"]

    /// The ISO week (year, number) a local day is in: the year of its week's Thursday.
    static func isoWeek(ofDay day: Int) -> (year: Int, week: Int) {
        let thursday = day - (CivilDate.isoWeekday(day) - 1) + 3
        let year = CivilDate.fromDays(thursday).year
        return (year, (thursday - CivilDate.toDays(year, 1, 1)) / 7 + 1)
    }

    /// Every key with requests received in `week` (ISO week `number` of `year`), ranked, as of now.
    static func topics(week this: KPICalculator.Period, year: Int, number w: Int, by: String, _ context: ServiceContext) async throws -> [Topic] {
        let zone = context.zone
        let previous = KPICalculator.Period(label: "", from: this.from.addingTimeInterval(-7 * 86_400), to: this.from, zone: zone)
        let lastYear = week(year - 1, w, zone: zone)
        let column = by == "category" ? "category" : by == "street" ? "substr(region, 1, 9)" : "substr(region, 1, 12)"
        let minimum = by == "street" ? 9 : by == "community" ? 12 : 0
        let counts = try await context.read { tx in
            try [this, previous, lastYear].map { p -> [String: Int] in
                guard let p else { return [:] }
                var out: [String: Int] = [:]
                let rows = try tx.query(
                    """
                    SELECT \(column) AS k, COUNT(*) AS n FROM k_tickets
                    WHERE received_at >= ? AND received_at < ? AND \(by == "category" ? "category IS NOT NULL" : "length(region) >= \(minimum)")
                    GROUP BY \(column)
                    """, [.text(Timestamp.format(p.from)), .text(Timestamp.format(p.to))])
                for r in rows { if let k = r.string("k") { out[k] = Int(r.int("n") ?? 0) } }
                return out
            }
        }
        let county = context.county
        return rank(current: counts[0], previous: counts[1], lastYear: counts[2]) { key in
            by == "category" ? county.category(key)?.name ?? key : county.region(key)?.name ?? key
        }
    }

    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/hot-topics", roles: [.auditor, .centre, .admin]) { request in
                var errors: [Problem.FieldError] = []
                let weekText = request.queryValue("week") ?? ""
                let match = try Regex("^(\(DatePattern.year))-W(0[1-9]|[1-4][0-9]|5[0-3])$").wholeMatch(in: weekText)
                if match == nil { errors.append(.init("week", "is required: an ISO week such as 2026-W48")) }
                let by = request.queryValue("by") ?? "category"
                if !dimensions.contains(by) { errors.append(.init("by", "must be \(dimensions.joined(separator: ", "))")) }
                var limit = 20
                if let text = request.queryValue("limit") {
                    if text.first != "0", text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let n = Int(text), (1...500).contains(n) { limit = n } else { errors.append(.init("limit", "must be 1 to 500")) }
                }
                let format = request.queryValue("format") ?? "json"
                if format != "json" && format != "csv" { errors.append(.init("format", "must be json or csv")) }
                guard errors.isEmpty else { throw Problem.invalid(errors) }
                let year = Int(weekText.prefix(4))!
                let w = Int(weekText.suffix(2))!
                guard let this = KPICalculator.period(weekText, zone: context.zone) else { throw Problem.notFound("\(year) has no week \(w)") }
                let topics = try await HotTopics.topics(week: this, year: year, number: w, by: by, context)
                if format == "csv" {
                    func growth(_ g: Double?) -> String { g.map { String($0) } ?? "" }
                    return CSV.response(
                        header: ["week", "by", "key", "name", "count", "previous_week", "week_over_week", "same_week_last_year", "year_over_year"],
                        rows: topics.prefix(limit).map { t in
                            [weekText, by, t.key, t.name, String(t.count), String(t.previousWeek), growth(t.weekOverWeek), String(t.sameWeekLastYear),
                             growth(t.yearOverYear)]
                        }, filename: "hot-topics-\(weekText).csv")
                }
                return try .json(JSONValue.object([
                    "week": .string(weekText), "by": .string(by), "from": .string(Timestamp.format(this.from)), "to": .string(Timestamp.format(this.to)),
                    "topics": try JSONValueEncoder.encode(Array(topics.prefix(limit))),
                ]))
            },
        ]
    }
}
