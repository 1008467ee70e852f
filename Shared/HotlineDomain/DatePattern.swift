import FoundationEssentials
import HotlineCore

/// Regular-expression pieces for calendar dates, for the patterns OpenAPI documents state:
/// years 1900–2999 and only days that exist (29 February in leap years only), so a document
/// says exactly which dates a service takes and a generated client never sends one it refuses.
public enum DatePattern {
    /// The years these patterns (and the parsers held to them) take.
    public static let years = 1900...2999

    public static let year = "(19|2[0-9])[0-9]{2}"
    public static let month = "(0[1-9]|1[0-2])"
    /// `YYYY-MM-DD`, a day that exists.
    public static let day = "(\(year)-\(monthDay)|\(leapYear)-02-29)"

    /// A date-time with its offset as the services write them (`2026-12-01T18:00:00+08:00`,
    /// `…Z`, up to nine fraction digits): a day that exists, a real time, an offset under 24 h.
    public static let dateTime = "\(day)T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"

    /// The instant `text` names when it is exactly a `dateTime` (anchored), else nil.
    public static func parseDateTime(_ text: String) -> Date? {
        guard text.wholeMatches(pattern: dateTime) else { return nil }
        return Timestamp.parse(text)
    }

    static let leapYear = "((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)"
    static let monthDay = "((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))"
}
