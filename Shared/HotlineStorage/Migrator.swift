import HotlineCore

/// One numbered schema change of a service. The SQL may differ per engine when it must.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: @Sendable (DatabaseEngine) -> String

    public init(_ version: Int, _ name: String, sql: @escaping @Sendable (DatabaseEngine) -> String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// A migration whose SQL is the same on both engines.
    public init(_ version: Int, _ name: String, _ sql: String) {
        self.init(version, name, sql: { _ in sql })
    }
}

/// Applies a service's pending migrations at start-up, in one transaction, under a lock so
/// that two instances starting together do not both apply them.
public enum Migrator {
    /// - Returns: the schema version after migrating.
    @discardableResult
    public static func migrate(_ database: Database, _ migrations: [Migration], logger: Logger) async throws -> Int {
        let sorted = migrations.sorted { $0.version < $1.version }
        precondition(Set(sorted.map(\.version)).count == sorted.count, "duplicate migration versions")
        let schema = database.schema
        let applied = try await database.write { tx -> [Int] in
            if tx.engine == .postgres {
                _ = try tx.query("SELECT pg_advisory_xact_lock(hashtext(?))", [.text("hotline.migrate." + schema)])
            }
            try tx.executeScript(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            let done = Set(try tx.query("SELECT version FROM schema_migrations").compactMap { $0["version"].int })
            var newlyApplied: [Int] = []
            for m in sorted where !done.contains(Int64(m.version)) {
                try tx.executeScript(m.sql(tx.engine))
                try tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.int(m.version), .text(m.name), .text(Timestamp.format(SystemClock().now()))])
                newlyApplied.append(m.version)
            }
            return newlyApplied
        }
        for v in applied { logger.info("migration applied", ["db.schema": schema, "db.migration": String(v)]) }
        return sorted.last?.version ?? 0
    }

    /// The highest applied version, for `/readyz`.
    public static func currentVersion(_ database: Database) async throws -> Int {
        try await database.read { tx in
            Int(try tx.scalarInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0)
        }
    }
}
