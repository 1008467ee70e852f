import Foundation
import HotlineCore
import HotlineStorage
import HotlineStreams

/// A service's state as text that two runs can compare line by line: every table of its
/// schema (rows sorted, so physical order does not matter) and the events it emitted.
public struct CanonicalDump: Equatable, Sendable {
    /// `table|column=value|…` per row, tables in name order, rows sorted.
    public let tables: [String]
    /// Per ticket, the emitted events in the order the service emitted them (`type data`);
    /// tickets in id order. Across tickets the order is not meaningful and is not compared.
    public let emitted: [String]

    /// The stream tables a service shares with every other: its own stream's storage (compared
    /// as `emitted`, without seq, ids and hashes, which differ by design) and the migration log.
    static let streamStorage: Set<String> = ["events", "stream_head", "schema_migrations"]

    public static func capture(_ db: Database, stream: String, ignoring: Set<String>) async throws -> CanonicalDump {
        let schema = db.schema
        return try await db.read { tx in
            let names: [String]
            switch tx.engine {
            case .sqlite:
                names = try tx.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    .compactMap { $0.string("name") }
            case .postgres:
                names = try tx.query("SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [.text(schema)])
                    .compactMap { $0.string("table_name") }
            }
            var tables: [String] = []
            for table in names.sorted() where !streamStorage.contains(table) && !ignoring.contains(table) {
                let rows = try tx.query("SELECT * FROM \(table)").map { row in
                    ([table] + zip(row.columns, row.values).map { "\($0)=\(render($1))" }).joined(separator: "|")
                }
                tables += rows.sorted()
                if rows.isEmpty { tables.append("\(table)|(empty)") }
            }
            var byTicket: [String: [String]] = [:]
            var after: Int64 = 0
            let store = EventStore(stream: stream)
            while true {
                let batch = try store.fetch(tx, after: after, limit: 1000)
                guard let last = batch.last else { break }
                for e in batch {
                    let data = (try? JSONCoding.string(e.data)) ?? "?"
                    byTicket[e.ticket ?? "(none)", default: []].append("\(e.type) \(data)")
                }
                after = last.seq
            }
            let emitted = byTicket.keys.sorted().flatMap { ticket in
                // Events about no ticket have no order among themselves that matters.
                let events = ticket == "(none)" ? byTicket[ticket]!.sorted() : byTicket[ticket]!
                return events.map { "\(ticket): \($0)" }
            }
            return CanonicalDump(tables: tables, emitted: emitted)
        }
    }

    private static func render(_ v: SQLValue) -> String {
        switch v {
        case .null: return "NULL"
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .text(let s): return (try? JSONCoding.string(s)) ?? s
        case .blob(let b): return "x'" + Hex.encode(b) + "'"
        }
    }

    /// The first lines where two dumps differ, for a failure message.
    public func difference(from other: CanonicalDump, limit: Int = 8) -> String {
        func diff(_ name: String, _ a: [String], _ b: [String]) -> [String] {
            let onlyA = Set(a).subtracting(b), onlyB = Set(b).subtracting(a)
            var out: [String] = []
            for line in a where onlyA.contains(line) { out.append("  \(name) reference only: \(line)") }
            for line in b where onlyB.contains(line) { out.append("  \(name) this run only:  \(line)") }
            if out.isEmpty && a != b { out.append("  \(name): same lines in a different order") }
            return out
        }
        let lines = diff("table", other.tables, tables) + diff("emitted", other.emitted, emitted)
        return lines.prefix(limit).joined(separator: "\n") + (lines.count > limit ? "\n  … \(lines.count - limit) more" : "")
    }
}
