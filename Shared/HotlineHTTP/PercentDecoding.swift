/// Percent-decoding of request paths and query strings without Foundation.
///
/// `String.removingPercentEncoding` bridges through NSString on Linux: it was 2% of dispatch's
/// CPU under load, for paths that mostly hold no `%` at all. A malformed `%` sequence, or
/// decoded bytes that are not UTF-8, keep the text as it came (as Foundation did, except
/// that it turned some lone bytes into U+FFFD and kept others).
enum PercentDecoding {
    /// `text` with `%XX` sequences decoded (and `+` as a space when `plusAsSpace`, as forms
    /// and query strings have it); the text itself (`+` still a space) when a sequence is
    /// malformed or the result is not UTF-8.
    static func decode(_ text: Substring, plusAsSpace: Bool = false) -> String {
        let bytes = text.utf8
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(text)
        }
        let space = UInt8(ascii: " "), plus = UInt8(ascii: "+")
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        var wellFormed = true
        decoding: while i < bytes.endIndex {
            let byte = bytes[i]
            bytes.formIndex(after: &i)
            if plusAsSpace && byte == plus {
                out.append(space)
            } else if byte == UInt8(ascii: "%") {
                let low = i < bytes.endIndex ? bytes.index(after: i) : i
                guard low < bytes.endIndex, let h = hexValue(bytes[i]), let l = hexValue(bytes[low]) else {
                    wellFormed = false
                    break decoding
                }
                out.append(h << 4 | l)
                i = bytes.index(after: low)
            } else {
                out.append(byte)
            }
        }
        if wellFormed, let decoded = String(validating: out, as: UTF8.self) { return decoded }
        // Malformed, or not UTF-8: the text as it came, `+` still a space.
        return String(decoding: bytes.map { plusAsSpace && $0 == plus ? space : $0 }, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
