/// Percent-encoding of text for URLs and form bodies: every UTF-8 byte except ASCII letters,
/// digits and the characters the caller keeps becomes `%XX` (FoundationEssentials, all the
/// services link, has no `addingPercentEncoding(withAllowedCharacters:)`).
public enum PercentEncoding {
    public static func encode(_ text: String, keeping kept: String = "") -> String {
        let keptBytes = Array(kept.utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.append(byte)
            case _ where keptBytes.contains(byte):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
