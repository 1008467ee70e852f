import FoundationEssentials
import HotlineCore

/// The holiday calendar as configured: per year, statutory holidays and make-up working
/// days (调休). Ops add a year by editing `calendar.json`; no release needed.
public struct CalendarConfig: Codable, Sendable {
    public struct Year: Codable, Sendable {
        public let holidays: [String]
        /// Weekend days that are working days.
        public let workdays: [String]
    }

    public let years: [String: Year]
}

/// Working-day arithmetic on local dates (day numbers since 1970-01-01 in the county's zone).
public struct WorkingCalendar: Sendable {
    private let holidays: Set<Int>
    private let workdays: Set<Int>
    public let knownYears: Set<Int>
    /// The configuration it was made from, for showing what is in use.
    public let config: CalendarConfig

    public init(_ config: CalendarConfig) throws {
        var holidays = Set<Int>()
        var workdays = Set<Int>()
        var years = Set<Int>()
        for (yearText, year) in config.years {
            guard let y = Int(yearText) else { throw ConfigurationError("calendar.json: bad year \(yearText)") }
            years.insert(y)
            for (list, target) in [(year.holidays, 0), (year.workdays, 1)] {
                for text in list {
                    guard let day = LocalDate.parse(text), LocalDate.year(day) == y else {
                        throw ConfigurationError("calendar.json: \(text) is not a date in \(y)")
                    }
                    if target == 0 { holidays.insert(day) } else { workdays.insert(day) }
                }
            }
        }
        if let both = holidays.intersection(workdays).first {
            throw ConfigurationError("calendar.json: \(LocalDate.format(both)) is both a holiday and a working day")
        }
        // Complete years: no gap between the first and the last, each with its holidays (every
        // year has some), and make-up working days only on weekends (a weekday works anyway).
        if let first = years.min(), let last = years.max(), let gap = (first...last).first(where: { !years.contains($0) }) {
            throw ConfigurationError("calendar.json: years \(first)–\(last) lack \(gap); list every year in between")
        }
        for (yearText, year) in config.years {
            if year.holidays.isEmpty { throw ConfigurationError("calendar.json: \(yearText) lists no holidays") }
            for text in year.holidays + year.workdays where (year.holidays + year.workdays).filter({ $0 == text }).count > 1 {
                throw ConfigurationError("calendar.json: \(text) is listed twice")
            }
            for text in year.workdays {
                if let day = LocalDate.parse(text), CivilDate.isoWeekday(day) <= 5 {
                    throw ConfigurationError("calendar.json: make-up working day \(text) is a weekday (only a Saturday or Sunday can be one)")
                }
            }
        }
        self.holidays = holidays
        self.workdays = workdays
        knownYears = years
        self.config = config
    }

    /// Monday–Friday unless a holiday; a weekend day listed as a make-up day works.
    public func isWorkingDay(_ day: Int) -> Bool {
        if holidays.contains(day) { return false }
        if workdays.contains(day) { return true }
        return CivilDate.isoWeekday(day) <= 5
    }

    /// The years from `first` to `last` (local day numbers) that `calendar.json` does not
    /// list: working days there are counted as plain Monday–Friday, which must not go unsaid.
    public func uncoveredYears(from first: Int, through last: Int) -> [Int] {
        guard last >= first else { return [] }
        return (LocalDate.year(first)...LocalDate.year(last)).filter { !knownYears.contains($0) }
    }

    /// The n-th working day strictly after `day`.
    public func workingDay(_ n: Int, after day: Int) -> Int {
        var d = day
        var counted = 0
        while counted < n {
            d += 1
            if isWorkingDay(d) { counted += 1 }
        }
        return d
    }
}

/// Local calendar dates as day numbers, and conversions between instants and local days.
public enum LocalDate {
    public static func parse(_ text: String) -> Int? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m),
            d >= 1, d <= CivilDate.daysInMonth(y, m)
        else { return nil }
        return CivilDate.toDays(y, m, d)
    }

    public static func format(_ day: Int) -> String {
        let (y, m, d) = CivilDate.fromDays(day)
        return String(cFormat: "%04d-%02d-%02d", y, m, d)
    }

    public static func year(_ day: Int) -> Int { CivilDate.fromDays(day).year }

    /// The local date of an instant.
    public static func day(of date: Date, in zone: TimeZone) -> Int {
        let local = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
        return Int((local / 86_400).rounded(.down))
    }

    /// The instant local midnight starts `day`.
    public static func start(of day: Int, in zone: TimeZone) -> Date { instant(day, secondOfDay: 0, in: zone) }

    /// The instant a local wall-clock time of `day` names.
    public static func instant(_ day: Int, secondOfDay: Double, in zone: TimeZone) -> Date {
        let local = Double(day) * 86_400 + secondOfDay
        var guess = Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT()))
        for _ in 0..<2 {
            guess = Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT(for: guess)))
        }
        return guess
    }

    /// The instant `day` ends (24:00 local, i.e. the next day's midnight).
    public static func end(of day: Int, in zone: TimeZone) -> Date { start(of: day + 1, in: zone) }
}
