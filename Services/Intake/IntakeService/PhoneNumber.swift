/// Mainland phone numbers as channels send them, and their normal form.
///
/// The grammar is the OpenAPI document's `pattern` for `caller.phone`, matched by hand:
/// an optional country code (`+86` or `86`), then a mobile (`1` and ten digits) or a
/// landline with its area code (`0` and nine to eleven digits), with spaces, hyphens and
/// parentheses anywhere between the digits. The normal form is the national digits.
public enum PhoneNumber {
    public static let pattern = #"^((\+?86)?[ ()-]*(1([ ()-]*[0-9]){10}|0([ ()-]*[0-9]){9,11})[ ()-]*)?$"#

    /// `+86 138-1234-5678` → `13812345678`; `(0571) 8888-6666` → `057188886666`; nil when
    /// the text does not follow the grammar (the empty string included).
    public static func normalise(_ raw: String) -> String? {
        var scalars = Substring(raw).unicodeScalars[...]
        if scalars.first == "+" {
            scalars = scalars.dropFirst()
            guard scalars.starts(with: "86".unicodeScalars) else { return nil }
            scalars = scalars.dropFirst(2)
        } else if scalars.starts(with: "86".unicodeScalars) {
            // A national number starts with 1 or 0, so a leading 86 can only be the country code.
            scalars = scalars.dropFirst(2)
        }
        var digits = ""
        for scalar in scalars {
            switch scalar {
            case "0"..."9": digits.unicodeScalars.append(scalar)
            case " ", "(", ")", "-": continue
            default: return nil
            }
        }
        switch digits.first {
        case "1": return digits.count == 11 ? digits : nil
        case "0": return (10...12).contains(digits.count) ? digits : nil
        default: return nil
        }
    }
}
