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
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var spacedOnly: [UInt8] = []  // the fallback: `+` replaced, `%` kept
        spacedOnly.reserveCapacity(bytes.count)
        var wellFormed = true
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            bytes.formIndex(after: &i)
            if plusAsSpace && byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
                spacedOnly.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") && wellFormed {
                spacedOnly.append(byte)
                guard i < bytes.endIndex, let high = hexValue(bytes[i]) else {
                    wellFormed = false
                    continue
                }
                let next = bytes.index(after: i)
                guard next < bytes.endIndex, let low = hexValue(bytes[next]) else {
                    wellFormed = false
                    continue
                }
                spacedOnly.append(bytes[i])
                spacedOnly.append(bytes[next])
                out.append(high << 4 | low)
                i = bytes.index(after: next)
            } else {
                out.append(byte)
                spacedOnly.append(byte)
            }
        }
        if wellFormed, let decoded = String(validating: out, as: UTF8.self) { return decoded }
        return String(decoding: spacedOnly, as: UTF8.self)
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
