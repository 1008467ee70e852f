import FoundationEssentials
import HotlineCore
import HotlineDomain

/// A W3C date or date-time (https://www.w3.org/TR/NOTE-datetime), as GeoReport v2 takes
/// them in `start_date` and `end_date`: `2026`, `2026-11`, `2026-11-23`, `2026-11-23T09:30`,
/// `…T09:30:15`, `…T09:30:15.5`, with a zone `Z`, `+08:00`, `+0800` or `+08`. Lenient where
/// real clients are sloppy: a zone may be left off (the county's zone is meant), `t`/`z` and
/// a space for `T` are taken, and a `+` that arrived as a space (an unencoded query string)
/// is read as `+`. Years 1900–2999, days that exist: exactly the OpenAPI document's pattern.
struct W3CDate: Equatable, Sendable {
    /// The first instant the text names.
    let start: Date
    /// The first instant after what it names: the next year, month or day for a date, the
    /// next millisecond for a date-time.
    let end: Date

    /// The document's pattern for `start_date`/`end_date` (empty: the parameter is absent).
    static let pattern: String = {
        let time = #"([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?([Zz]|[+ -](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?"#
        return "^(\(DatePattern.year)(-\(DatePattern.month))?|\(DatePattern.day)\(time))?$"
    }()

    static func parse(_ raw: String, zone: TimeZone) -> W3CDate? {
        var scanner = Scanner(Array(raw.utf8))
        guard let year = scanner.number(4), DatePattern.years.contains(year) else { return nil }
        guard scanner.take("-") else {
            guard scanner.atEnd else { return nil }
            return span(CivilDate.toDays(year, 1, 1), CivilDate.toDays(year + 1, 1, 1), zone)
        }
        guard let month = scanner.number(2), (1...12).contains(month) else { return nil }
        let firstOfMonth = CivilDate.toDays(year, month, 1)
        guard scanner.take("-") else {
            guard scanner.atEnd else { return nil }
            return span(firstOfMonth, firstOfMonth + CivilDate.daysInMonth(year, month), zone)
        }
        guard let d = scanner.number(2), (1...CivilDate.daysInMonth(year, month)).contains(d) else { return nil }
        let day = firstOfMonth + d - 1
        if scanner.atEnd { return span(day, day + 1, zone) }
        guard scanner.take("T") || scanner.take("t") || scanner.take(" "), let hour = scanner.number(2), hour < 24,
            scanner.take(":"), let minute = scanner.number(2), minute < 60
        else { return nil }
        var seconds = Double(hour * 3600 + minute * 60)
        if scanner.take(":") {
            guard let s = scanner.number(2), s < 60 else { return nil }
            seconds += Double(s)
            if scanner.take(".") {
                guard let fraction = scanner.fraction() else { return nil }
                seconds += fraction
            }
        }
        let start: Date
        if scanner.atEnd {
            start = LocalDate.instant(day, secondOfDay: seconds, in: zone)
        } else {
            guard let offset = scanner.zoneOffset(), scanner.atEnd else { return nil }
            start = Date(timeIntervalSince1970: Double(day) * 86_400 + seconds - Double(offset))
        }
        return W3CDate(start: start, end: start.addingTimeInterval(0.001))
    }

    private static func span(_ first: Int, _ next: Int, _ zone: TimeZone) -> W3CDate {
        W3CDate(start: LocalDate.start(of: first, in: zone), end: LocalDate.start(of: next, in: zone))
    }

    /// Reads the ASCII text left to right.
    private struct Scanner {
        let text: [UInt8]
        var i = 0

        init(_ text: [UInt8]) { self.text = text }

        var atEnd: Bool { i == text.count }

        mutating func take(_ c: Unicode.Scalar) -> Bool {
            guard i < text.count, text[i] == UInt8(ascii: c) else { return false }
            i += 1
            return true
        }

        /// Exactly `digits` decimal digits.
        mutating func number(_ digits: Int) -> Int? {
            guard i + digits <= text.count else { return nil }
            var v = 0
            for k in i..<(i + digits) {
                guard (48...57).contains(text[k]) else { return nil }
                v = v * 10 + Int(text[k] - 48)
            }
            i += digits
            return v
        }

        /// One to nine digits after the decimal point, as a fraction of a second.
        mutating func fraction() -> Double? {
            let from = i
            while i < text.count, (48...57).contains(text[i]) { i += 1 }
            guard (1...9).contains(i - from) else { return nil }
            return Double("0." + String(decoding: text[from..<i], as: UTF8.self))
        }

        /// `Z`, or `±hh`, `±hhmm`, `±hh:mm` (a space for `+`) with hh ≤ 14: seconds east of UTC.
        mutating func zoneOffset() -> Int? {
            if take("Z") || take("z") { return 0 }
            let sign: Int
            if take("+") || take(" ") { sign = 1 } else if take("-") { sign = -1 } else { return nil }
            guard let hh = number(2), hh <= 14 else { return nil }
            var mm = 0
            if take(":") || !atEnd {
                guard let m = number(2), m < 60 else { return nil }
                mm = m
            }
            return sign * (hh * 3600 + mm * 60)
        }
    }
}
