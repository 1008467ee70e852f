/// Masking of personal data for logs and for everything outside intake.
public enum Redaction {
    /// Field keys whose values are personal data and always masked.
    private static let personalKeys = ["phone", "name", "caller", "contact", "mobile"]
    /// Field keys whose values are secrets and never written at all.
    private static let secretKeys = ["token", "key", "password", "secret", "authorization"]

    /// The value to log for a field.
    public static func field(_ key: String, _ value: String) -> String {
        let lower = key.lowercased()
        let last = lower.split(separator: ".").last.map(String.init) ?? lower
        if secretKeys.contains(where: { last.contains($0) }) { return "[redacted]" }
        if last.contains("phone") || last.contains("mobile") { return maskPhone(value) }
        if personalKeys.contains(where: { last.contains($0) }) { return maskName(value) }
        return scrubPhones(value)
    }

    /// `13812345678` → `138****5678`; short numbers keep only their last two digits.
    public static func maskPhone(_ phone: String) -> String {
        let digits = Array(phone.filter(\.isNumber))
        if digits.count >= 11 { return String(digits.prefix(3)) + "****" + String(digits.suffix(4)) }
        if digits.count >= 4 { return String(repeating: "*", count: digits.count - 2) + String(digits.suffix(2)) }
        return String(repeating: "*", count: digits.count)
    }

    /// `张三丰` → `张**`; `Li Lei` → `L*****`.
    public static func maskName(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }

    /// Characters people put between the digits of a phone number.
    private static let separators: Set<Character> = [" ", "-", ".", "(", ")", "\u{3000}", "－", "（", "）"]

    /// Masks phone numbers in free text however they are written — `13812345678`,
    /// `138 1234 5678`, `158.6666.6577`, `+86 138-1234-5678`, `(0571) 8888-6666`, full-width
    /// digits — as `138****5678`; other numbers (ids, dates, counts, amounts) stay readable.
    /// A phone is a mobile (11 digits starting with 1, after an optional 86 country code) or
    /// a landline (0 and 9–11 more digits), its digits separated by at most one separator
    /// each, not glued to further digits.
    public static func scrubPhones(_ text: String) -> String {
        // The shortest phone has 10 digits. Most texts have fewer in all, and splitting them
        // into characters (grapheme breaking) was 8% of intake's request handling.
        guard hasTenDigits(text) else { return text }
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            let startsNumber = digit(chars[i]) != nil || (chars[i] == "+" && i + 1 < chars.count && digit(chars[i + 1]) != nil)
                || (chars[i] == "(" || chars[i] == "（")
            let gluedToDigits = i > 0 && (digit(chars[i - 1]) != nil)
            if startsNumber && !gluedToDigits, let (end, digits) = phone(in: chars, from: i) {
                out += maskPhone(String(digits))
                i = end
                continue
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }

    /// Whether `text` has at least ten ASCII or full-width digit scalars (a count of
    /// characters could only be lower).
    private static func hasTenDigits(_ text: String) -> Bool {
        var count = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39, 0xFF10...0xFF19:
                count += 1
                if count == 10 { return true }
            default: continue
            }
        }
        return false
    }

    /// The decimal digit of an ASCII or full-width digit.
    private static func digit(_ c: Character) -> Character? {
        guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return nil }
        switch scalar.value {
        case 0x30...0x39: return c
        case 0xFF10...0xFF19: return Character(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
        default: return nil
        }
    }

    /// The phone number starting at `start`: where it ends and its digits (without the
    /// country code), or nil. Digits may be separated by one separator each (parentheses
    /// around an area code count as one); the longest reading that is a phone and is not
    /// glued to a further digit wins.
    private static func phone(in chars: [Character], from start: Int) -> (Int, [Character])? {
        var digits: [Character] = []
        var ends: [Int] = []  // ends[k]: the index after the (k+1)-th digit
        var i = start
        if chars[i] == "+" { i += 1 }
        var separatorsInARow = 0
        while i < chars.count, digits.count < 16 {
            if let d = digit(chars[i]) {
                digits.append(d)
                ends.append(i + 1)
                separatorsInARow = 0
            } else if separators.contains(chars[i]), separatorsInARow < 2 {
                separatorsInARow += 1  // "(0571) 8888" has two in a row
            } else {
                break
            }
            i += 1
        }
        for count in stride(from: digits.count, through: 1, by: -1) {
            let end = ends[count - 1]
            if end < chars.count, digit(chars[end]) != nil { continue }
            var d = Array(digits.prefix(count))
            // The country code as +86 / 86 or as dialled from abroad, 0086.
            if d.count == 15, d.prefix(4) == ["0", "0", "8", "6"] { d.removeFirst(4) }
            if d.count == 13, d.prefix(2) == ["8", "6"] { d.removeFirst(2) }
            if (d.count == 11 && d.first == "1") || ((10...12).contains(d.count) && d.first == "0") { return (end, d) }
        }
        return nil
    }
}
