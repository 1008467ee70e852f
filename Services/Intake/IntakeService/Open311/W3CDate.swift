import Foundation

/// A W3C date or date-time (https://www.w3.org/TR/NOTE-datetime), as GeoReport v2 takes
/// them in `start_date` and `end_date`: `2026`, `2026-11`, `2026-11-23`, `2026-11-23T09:30`,
/// `…T09:30:15`, `…T09:30:15.5`, with a zone `Z`, `+08:00`, `+0800` or `+08`. Lenient where
/// real clients are sloppy: a zone may be left off (the county's zone is meant), `t`/`z` and
/// a space for `T` are taken, and a `+` that arrived as a space (an unencoded query string)
/// is read as `+`.
struct W3CDate: Equatable, Sendable {
    /// The first instant the text names.
    let start: Date
    /// The first instant after what it names: the next year, month or day for a date, the
    /// next millisecond for a date-time.
    let end: Date

    static func parse(_ raw: String, zone: TimeZone) -> W3CDate? {
        let text = Array(raw.utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= text.count else { return nil }
            var v = 0
            for k in i..<(i + digits) {
                guard (48...57).contains(text[k]) else { return nil }
                v = v * 10 + Int(text[k] - 48)
            }
            i += digits
            return v
        }
        func take(_ c: UInt8) -> Bool {
            guard i < text.count, text[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), year >= 1 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func date(_ c: DateComponents, in tz: TimeZone) -> Date? {
            var cal = calendar
            cal.timeZone = tz
            return cal.date(from: c)
        }
        if i == text.count {
            guard let s = date(DateComponents(year: year, month: 1, day: 1), in: zone),
                let e = date(DateComponents(year: year + 1, month: 1, day: 1), in: zone) else { return nil }
            return W3CDate(start: s, end: e)
        }
        guard take(45), let month = number(2), (1...12).contains(month) else { return nil }
        if i == text.count {
            guard let s = date(DateComponents(year: year, month: month, day: 1), in: zone),
                let e = calendar.date(byAdding: .month, value: 1, to: s) else { return nil }
            return W3CDate(start: s, end: e)
        }
        guard take(45), let day = number(2), (1...31).contains(day) else { return nil }
        guard let monthDays = calendar.range(of: .day, in: .month,
                                             for: date(DateComponents(year: year, month: month, day: 1), in: zone) ?? Date()),
            monthDays.contains(day) else { return nil }
        if i == text.count {
            guard let s = date(DateComponents(year: year, month: month, day: day), in: zone),
                let e = calendar.date(byAdding: .day, value: 1, to: s) else { return nil }
            return W3CDate(start: s, end: e)
        }
        guard take(84) || take(116) || take(32), let hour = number(2), hour < 24, take(58), let minute = number(2), minute < 60
        else { return nil }
        var second = 0
        var fraction = 0.0
        if take(58) {
            guard let s = number(2), s < 60 else { return nil }
            second = s
            if take(46) {
                let from = i
                while i < text.count, (48...57).contains(text[i]) { i += 1 }
                guard i > from, i - from <= 9 else { return nil }
                fraction = Double("0." + String(decoding: text[from..<i], as: UTF8.self)) ?? 0
            }
        }
        var offset: Int?
        if i < text.count {
            if take(90) || take(122) {
                offset = 0
            } else {
                let sign: Int
                if take(43) || take(32) { sign = 1 } else if take(45) { sign = -1 } else { return nil }
                guard let hh = number(2), hh <= 14 else { return nil }
                var mm = 0
                if take(58) {
                    guard let m = number(2) else { return nil }
                    mm = m
                } else if i < text.count {
                    guard let m = number(2) else { return nil }
                    mm = m
                }
                guard mm < 60 else { return nil }
                offset = sign * (hh * 3600 + mm * 60)
            }
        }
        guard i == text.count else { return nil }
        let tz = offset.flatMap { TimeZone(secondsFromGMT: $0) } ?? zone
        guard let base = date(DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second), in: tz)
        else { return nil }
        let start = base.addingTimeInterval(fraction)
        return W3CDate(start: start, end: start.addingTimeInterval(0.001))
    }
}
