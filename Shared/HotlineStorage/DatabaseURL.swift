import FoundationEssentials
import HotlineCore

/// Where a service's data lives, from `HOTLINE_DATABASE_URL`.
///
/// - `sqlite:DIR` / `sqlite://DIR` / `sqlite:///abs/DIR`: one SQLite file per service in DIR.
///   Append `?synchronous=normal` to trade durability of the last commits for speed.
/// - `postgres://…`, `postgresql://…` or a libpq keyword string (`host=… dbname=…`):
///   one schema per service.
public enum DatabaseURL: Sendable, Equatable {
    case sqlite(directory: String, synchronousFull: Bool)
    case postgres(conninfo: String)

    public static func parse(_ text: String) throws(ConfigurationError) -> DatabaseURL {
        if text.hasPrefix("sqlite:") {
            var rest = String(text.dropFirst("sqlite:".count))
            var synchronousFull = true
            if let q = rest.firstIndex(of: "?") {
                let query = rest[rest.index(after: q)...]
                rest = String(rest[..<q])
                for pair in query.split(separator: "&") {
                    let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    guard kv.count == 2, kv[0] == "synchronous", ["full", "normal"].contains(kv[1].lowercased()) else {
                        throw ConfigurationError("unknown sqlite URL option '\(pair)' (only synchronous=full|normal)")
                    }
                    synchronousFull = kv[1].lowercased() == "full"
                }
            }
            if rest.hasPrefix("//") { rest = String(rest.dropFirst(2)) }
            guard !rest.isEmpty else { throw ConfigurationError("sqlite URL names no directory") }
            return .sqlite(directory: rest, synchronousFull: synchronousFull)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") || text.contains("=") {
            return .postgres(conninfo: text)
        }
        throw ConfigurationError("HOTLINE_DATABASE_URL must start with sqlite: or postgres(ql)://, or be a libpq conninfo")
    }

    public var engine: DatabaseEngine {
        switch self {
        case .sqlite: return .sqlite
        case .postgres: return .postgres
        }
    }
}
