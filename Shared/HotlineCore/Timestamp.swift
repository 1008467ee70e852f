import FoundationEssentials

/// UTC timestamps in the one ISO 8601 form the suite stores and sends:
/// `2026-11-22T03:04:05.678Z` (always milliseconds, always `Z`).
///
/// Hand-written because it sits on hot paths (every event, every log line) and the output
/// must be byte-identical everywhere for the hash chain.
public enum Timestamp {
    /// Formats a date as `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC, its 24 bytes written in place
    /// (years 0–9999; others, which nothing here produces, take the general path).
    public static func format(_ date: Date) -> String {
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let millis = Int(((totalMillis % 1000) + 1000) % 1000)
        let seconds = (totalMillis - Int64(millis)) / 1000
        let days = Int(floorDiv(seconds, 86_400))
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (y, m, d) = CivilDate.fromDays(days)
        guard (0...9999).contains(y) else {
            return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
                + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "." + pad(millis, 3) + "Z"
        }
        return String(unsafeUninitializedCapacity: 24) { out in
            func put(_ value: Int, _ width: Int, at end: Int) {
                var v = value
                for i in stride(from: end - 1, through: end - width, by: -1) {
                    out[i] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
            }
            put(y, 4, at: 4)
            out[4] = UInt8(ascii: "-")
            put(m, 2, at: 7)
            out[7] = UInt8(ascii: "-")
            put(d, 2, at: 10)
            out[10] = UInt8(ascii: "T")
            put(secondOfDay / 3600, 2, at: 13)
            out[13] = UInt8(ascii: ":")
            put(secondOfDay / 60 % 60, 2, at: 16)
            out[16] = UInt8(ascii: ":")
            put(secondOfDay % 60, 2, at: 19)
            out[19] = UInt8(ascii: ".")
            put(millis, 3, at: 23)
            out[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// Parses an ISO 8601 timestamp with a `Z` or `±HH:MM` offset and optional fraction.
    /// - Returns: `nil` for anything else (the caller reports which field was bad).
    public static func parse(_ text: String) -> Date? {
        // On the string's own bytes: no copy into an array per timestamp.
        if let parsed = text.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0) }) { return parsed }
        return Array(text.utf8).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    private static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Date? {
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), b[13] == UInt8(ascii: ":"),
            b[16] == UInt8(ascii: ":")
        else { return nil }
        guard let y = digits(b, 0, 4), let mo = digits(b, 5, 2), let d = digits(b, 8, 2), let h = digits(b, 11, 2),
            let mi = digits(b, 14, 2), let s = digits(b, 17, 2)
        else { return nil }
        guard (1...12).contains(mo), d >= 1, d <= CivilDate.daysInMonth(y, mo), h < 24, mi < 60, s < 60 else {
            return nil
        }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        guard i < b.count else { return nil }
        var offsetSeconds = 0
        if b[i] == UInt8(ascii: "Z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "+") ? 1 : -1
            guard b.count == i + 6, b[i + 3] == UInt8(ascii: ":"), let oh = digits(b, i + 1, 2),
                let om = digits(b, i + 4, 2), oh < 24, om < 60
            else { return nil }
            offsetSeconds = sign * (oh * 3600 + om * 60)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = CivilDate.toDays(y, mo, d)
        let epoch = Double(days) * 86_400 + Double(h * 3600 + mi * 60 + s) - Double(offsetSeconds)
        return Date(timeIntervalSince1970: epoch + fraction)
    }

    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= b.count else { return nil }
        var v = 0
        for i in start..<start + count {
            let c = b[i]
            guard c >= 48, c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}

/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01).
/// Algorithms from Howard Hinnant's "chrono-compatible low-level date algorithms".
public enum CivilDate {
    public static func toDays(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func fromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO weekday of a day number: 1 = Monday … 7 = Sunday.
    public static func isoWeekday(_ days: Int) -> Int {
        let w = ((days % 7) + 7 + 3) % 7  // 1970-01-01 was a Thursday
        return w + 1
    }
}
