import HotlineCore

/// One tree, two renderings: JSON (lists are arrays) and XML (lists wrap their items), as
/// every GeoReport v2 resource comes in both.
indirect enum Open311Node: Sendable {
    case text(String)
    case int(Int)
    case bool(Bool)
    case null
    case object(String, [(String, Open311Node)])
    case list(String, String, [Open311Node])

    func json() -> String {
        switch self {
        case .text(let s): return Self.quote(s)
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .object(_, let fields): return "{" + fields.map { Self.quote($0.0) + ":" + $0.1.json() }.joined(separator: ",") + "}"
        case .list(_, _, let items): return "[" + items.map { $0.json() }.joined(separator: ",") + "]"
        }
    }

    func xml(_ name: String? = nil) -> String {
        switch self {
        case .text(let s): return Self.element(name, Self.escape(s))
        case .int(let i): return Self.element(name, String(i))
        case .bool(let b): return Self.element(name, b ? "true" : "false")
        case .null: return name.map { "<\($0)/>" } ?? ""
        case .object(let tag, let fields):
            return Self.element(name ?? tag, fields.map { $0.1.xml($0.0) }.joined())
        case .list(let tag, let item, let items):
            return Self.element(name ?? tag, items.map { $0.xml(item) }.joined())
        }
    }

    private static func element(_ name: String?, _ inner: String) -> String {
        guard let name else { return inner }
        return "<\(name)>\(inner)</\(name)>"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters even escaped.
                if ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r" { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func quote(_ s: String) -> String {
        CanonicalJSON.quoted(s)
    }
}
