/// Rules for free text from outside, defined so that an OpenAPI document can state them exactly.
///
/// JSON Schema's `minLength`/`maxLength` count Unicode code points, not grapheme clusters, so
/// lengths here count scalars. "Blank" means only Unicode White_Space (the set
/// `trimmingWhitespaceAndNewlines` drops), spelled out as an explicit character class so the
/// pattern means the same in every regex engine.
///
/// Control characters are refused where they make no sense, never stored cut short: U+0000
/// (PostgreSQL cannot store it in text; C code would stop at it) and the other C0 controls
/// and DEL. Multi-line text (a citizen's account, a reply, a comment) keeps tab, line feed
/// and carriage return; single-line text (references, names, addresses, tags) has none.
public enum TextRules {
    public enum Lines: Sendable {
        /// Names, references, addresses, tags: no control character at all.
        case single
        /// Accounts, replies, comments: tab and line breaks allowed, other controls not.
        case multiple
    }

    /// The explicit white-space class (Unicode White_Space) used in patterns.
    static let spaceClass = #"\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"#

    /// The refused control characters, as a pattern class body.
    static func controlClass(_ lines: Lines) -> String {
        switch lines {
        case .single: return #"\u0000-\u001f\u007f"#
        case .multiple: return #"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f"#
        }
    }

    /// JSON Schema pattern: no refused control character, and one character that is not white space.
    public static func nonBlankPattern(_ lines: Lines) -> String {
        let c = controlClass(lines)
        return "^[^\(c)]*[^\(c)\(spaceClass)][^\(c)]*$"
    }

    /// JSON Schema pattern: no refused control character (may be empty or blank).
    public static func textPattern(_ lines: Lines) -> String { "^[^\(controlClass(lines))]*$" }

    static func isRefused(_ scalar: Unicode.Scalar, _ lines: Lines) -> Bool {
        let v = scalar.value
        guard v < 0x20 || v == 0x7f else { return false }
        return lines == .single || !(v == 0x09 || v == 0x0a || v == 0x0d)
    }

    private static func controlProblem(_ text: String, _ lines: Lines) -> String? {
        guard let bad = text.unicodeScalars.first(where: { isRefused($0, lines) }) else { return nil }
        let code = "U+" + String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4)
        return lines == .single ? "must not contain control characters (found \(code))"
            : "must not contain control characters other than tab and line breaks (found \(code))"
    }

    /// What is wrong with a required text field, or nil: `maxLength` in code points, before trimming.
    public static func problem(required text: String, maxLength: Int, lines: Lines) -> String? {
        if let problem = controlProblem(text, lines) { return problem }
        if text.isBlank { return "must not be empty" }
        if text.unicodeScalars.count > maxLength { return "must be at most \(maxLength) characters" }
        return nil
    }

    /// What is wrong with an optional text field (which may be empty), or nil.
    public static func problem(optional text: String, maxLength: Int, lines: Lines) -> String? {
        if let problem = controlProblem(text, lines) { return problem }
        if text.unicodeScalars.count > maxLength { return "must be at most \(maxLength) characters" }
        return nil
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

extension StringProtocol {
    /// Empty, or white space only (Unicode White_Space).
    public var isBlank: Bool { unicodeScalars.allSatisfy { $0.properties.isWhitespace } }

    /// Length as JSON Schema counts it: Unicode code points.
    public var scalarCount: Int { unicodeScalars.count }
}
