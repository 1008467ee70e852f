import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import Synchronization

/// The working-day calendar as supervision uses it (SU-1). A year missing from `calendar.json`
/// is never counted silently as plain Monday–Friday: the log and the metrics say so at start
/// and when the clock enters such a year, `/readyz` lists it as a warning (degraded) for as
/// long as it matters, and the deadlines counted across it carry the gap.
final class CalendarWatch: Sendable {
    /// The local year the last look was for; nil before the first.
    private let lastYear = Mutex<Int?>(nil)

    /// Looks at the current year; logs and sets the metric when it differs from the last look.
    func look(_ context: ServiceContext) {
        let year = LocalDate.year(LocalDate.day(of: context.clock.now(), in: context.zone))
        let changed = lastYear.withLock { last -> Bool in
            defer { last = year }
            return last != year
        }
        guard changed else { return }
        let covered = context.calendar.knownYears.contains(year)
        context.metrics.describe("hotline_calendar_year_covered", type: "gauge",
                                 help: "1 when calendar.json lists the current year's holidays, 0 when it is counted as plain Monday-Friday")
        context.metrics.set("hotline_calendar_year_covered", ["year": String(year)], covered ? 1 : 0)
        if !covered {
            context.logger.warning("calendar.json lacks the current year: working days are counted as plain Monday–Friday", [
                "calendar.year": String(year), "calendar.years": Self.listed(context.calendar),
            ])
        }
    }

    /// What `/readyz` lists: the current year missing, and open deadlines counted across a
    /// missing year.
    static func warnings(_ context: ServiceContext) async throws -> [String] {
        var out: [String] = []
        let year = LocalDate.year(LocalDate.day(of: context.clock.now(), in: context.zone))
        if !context.calendar.knownYears.contains(year) {
            out.append("calendar.json has no \(year) (it lists \(listed(context.calendar))): working days are counted as plain "
                       + "Monday–Friday; add the year's holidays and make-up days and restart")
        }
        let gaps = try await context.read { tx in
            try tx.query("SELECT calendar_gap, COUNT(*) AS n FROM deadlines WHERE calendar_gap IS NOT NULL AND \(DeadlineStore.running) GROUP BY calendar_gap")
        }
        for g in gaps {
            out.append("\(g.int("n") ?? 0) open deadline(s) were counted across \(g.string("calendar_gap") ?? "?"), which calendar.json lacks")
        }
        return out
    }

    static func listed(_ calendar: WorkingCalendar) -> String {
        calendar.knownYears.sorted().map(String.init).joined(separator: ", ")
    }

    /// `GET /v1/calendar/{year}`: the holidays and make-up working days in use.
    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/calendar/{year}", roles: [.centre, .unit, .auditor]) { request in
                let text = request.parameter("year")
                guard text.count == 4, text.allSatisfy(\.isASCIIDigit), let year = Int(text) else {
                    throw Problem.invalid([.init("year", "must be a year of four digits")])
                }
                guard let listed = context.calendar.config.years[text] else {
                    throw Problem.notFound("calendar.json has no \(year) (it lists \(listed(context.calendar))): working days in it are counted as plain Monday–Friday")
                }
                let day = { (s: String) in LocalDate.parse(s) ?? 0 }
                let working = (day("\(text)-01-01")...day("\(text)-12-31")).filter(context.calendar.isWorkingDay).count
                return try .json([
                    "year": .number(Double(year)),
                    "holidays": .array(listed.holidays.sorted().map(JSONValue.string)),
                    "workdays": .array(listed.workdays.sorted().map(JSONValue.string)),
                    "working_days": .number(Double(working)),
                ] as [String: JSONValue])
            },
        ]
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
