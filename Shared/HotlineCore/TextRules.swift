/// Rules for free text from outside, defined so that an OpenAPI document can state them exactly.
///
/// JSON Schema's `minLength`/`maxLength` count Unicode code points, not grapheme clusters, so
/// lengths here count scalars. "Blank" means only Unicode White_Space (the set
/// `trimmingWhitespaceAndNewlines` drops), spelled out as an explicit character class so the
/// pattern means the same in every regex engine. U+0000 is refused everywhere: PostgreSQL
/// cannot store it in text, and no channel has a reason to send it.
public enum TextRules {
    /// The explicit white-space class (Unicode White_Space) used in patterns.
    static let spaceClass = #"\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"#

    /// JSON Schema pattern: no U+0000, and at least one character that is not white space.
    public static let nonBlankPattern = #"^[^\u0000]*[^\u0000"# + spaceClass + #"][^\u0000]*$"#
    /// JSON Schema pattern: no U+0000 (may be empty or blank).
    public static let noNulPattern = #"^[^\u0000]*$"#

    /// What is wrong with a required text field, or nil: `maxLength` in code points, before trimming.
    public static func problem(required text: String, maxLength: Int) -> String? {
        if text.unicodeScalars.contains("\u{0}") { return "must not contain U+0000" }
        if text.isBlank { return "must not be empty" }
        if text.unicodeScalars.count > maxLength { return "must be at most \(maxLength) characters" }
        return nil
    }

    /// What is wrong with an optional text field (which may be empty), or nil.
    public static func problem(optional text: String, maxLength: Int) -> String? {
        if text.unicodeScalars.contains("\u{0}") { return "must not contain U+0000" }
        if text.unicodeScalars.count > maxLength { return "must be at most \(maxLength) characters" }
        return nil
    }
}

extension StringProtocol {
    /// Empty, or white space only (Unicode White_Space).
    public var isBlank: Bool { unicodeScalars.allSatisfy { $0.properties.isWhitespace } }

    /// Length as JSON Schema counts it: Unicode code points.
    public var scalarCount: Int { unicodeScalars.count }
}
