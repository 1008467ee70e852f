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

    /// Masks mobile numbers (11 digits starting with 1) in free text; other numbers (ids,
    /// dates, counts) stay readable.
    public static func scrubPhones(_ text: String) -> String {
        var out = ""
        var run = ""
        func flush() {
            out += run.count == 11 && run.first == "1" ? maskPhone(run) : run
            run = ""
        }
        for ch in text {
            if ch.isASCII, ch.isNumber { run.append(ch) } else {
                flush()
                out.append(ch)
            }
        }
        flush()
        return out
    }
}
