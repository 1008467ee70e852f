/// Whitespace trimming in plain Swift.
///
/// Foundation's `trimmingCharacters(in:)` went through `NSString` on Linux and cost about 5%
/// of intake's CPU on the request path; this walks the Unicode scalars at both ends only.
extension StringProtocol {
    /// Without leading and trailing white space (Unicode White_Space), line breaks included.
    public func trimmingWhitespaceAndNewlines() -> String { trimmed { $0.isWhiteSpace } }

    /// Without leading and trailing spaces and tabs (white space other than line breaks).
    public func trimmingWhitespace() -> String { trimmed { $0.isWhiteSpace && !$0.isLineBreak } }

    /// Without leading and trailing scalars for which `drop` holds.
    public func trimmed(_ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, drop(scalars[start]) { start = scalars.index(after: start) }
        while end > start {
            let before = scalars.index(before: end)
            guard drop(scalars[before]) else { break }
            end = before
        }
        // A slice of the whole string gives that string back without copying it.
        return String(self[start..<end])
    }
}

extension Unicode.Scalar {
    /// Unicode White_Space; ASCII answered without the property tables (most text is ASCII
    /// at its ends).
    fileprivate var isWhiteSpace: Bool {
        if value < 0x80 { return value == 0x20 || (0x09...0x0D).contains(value) }
        return properties.isWhitespace
    }

    /// LF, VT, FF, CR, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
    fileprivate var isLineBreak: Bool {
        switch value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }
}
