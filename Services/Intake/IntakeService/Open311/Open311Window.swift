import FoundationEssentials

/// The time window of a GeoReport v2 query: `[from, to)` over `requested_datetime`.
///
/// The spec: without dates, the last 90 days; a range may span at most 90 days. A lone
/// `start_date` reaches 90 days forward from it, a lone `end_date` 90 days back; a wider
/// range is cut to the 90 days before `end_date`, and a reversed one holds nothing. Only a
/// text that is not a W3C date is refused, so every query a client can form is answered.
struct Open311Window: Equatable, Sendable {
    let from: Date
    let to: Date

    static let maxSpan: TimeInterval = 90 * 86_400

    enum Failure: Error, Equatable {
        case notADate(String)
    }

    static func resolve(start: String?, end: String?, now: Date, zone: TimeZone) throws(Failure) -> Open311Window {
        let s = try start.map { text throws(Failure) -> W3CDate in
            guard let d = W3CDate.parse(text, zone: zone) else { throw .notADate("start_date") }
            return d
        }
        let e = try end.map { text throws(Failure) -> W3CDate in
            guard let d = W3CDate.parse(text, zone: zone) else { throw .notADate("end_date") }
            return d
        }
        switch (s, e) {
        case (nil, nil): return Open311Window(from: now.addingTimeInterval(-maxSpan), to: now.addingTimeInterval(0.001))
        case (let s?, nil): return Open311Window(from: s.start, to: s.start.addingTimeInterval(maxSpan))
        case (nil, let e?): return Open311Window(from: e.end.addingTimeInterval(-maxSpan), to: e.end)
        case (let s?, let e?):
            guard s.start < e.end else { return Open311Window(from: e.end, to: e.end) }
            return Open311Window(from: max(s.start, e.end.addingTimeInterval(-maxSpan)), to: e.end)
        }
    }
}
