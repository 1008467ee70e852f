import FoundationEssentials
import HotlineCore
import HotlineStorage

/// Published reports: canonical bytes with their SHA-256, one row per version, never updated
/// or deleted (the database refuses both). Not a projection: a rebuild keeps them.
enum ReportStore {
    static let migration = Migration(106, "published reports, immutable") { engine in
        let table = """
            CREATE TABLE k_reports (
                period TEXT NOT NULL,
                version BIGINT NOT NULL,
                scope TEXT NOT NULL,
                published_at TEXT NOT NULL,
                trigger_kind TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                body TEXT NOT NULL,
                history TEXT NOT NULL,
                PRIMARY KEY (period, version)
            );

            """
        switch engine {
        case .sqlite:
            return table + """
                CREATE TRIGGER k_reports_no_update BEFORE UPDATE ON k_reports
                BEGIN SELECT RAISE(ABORT, 'published reports are immutable'); END;
                CREATE TRIGGER k_reports_no_delete BEFORE DELETE ON k_reports
                BEGIN SELECT RAISE(ABORT, 'published reports are immutable'); END;
                """
        case .postgres:
            return table + """
                CREATE FUNCTION k_reports_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'published reports are immutable'; END $$;
                CREATE TRIGGER k_reports_no_change BEFORE UPDATE OR DELETE ON k_reports
                FOR EACH ROW EXECUTE FUNCTION k_reports_immutable();
                """
        }
    }

    /// One published version.
    struct Stored: Sendable, Equatable {
        let period: String
        let version: Int
        let scope: String
        let publishedAt: String
        let trigger: String
        let sha256: String
        let body: [UInt8]
        /// JSON: each followed stream's seq and hash the report was computed from.
        let history: String
    }

    static func insert(_ tx: Transaction, _ r: Stored) throws {
        try tx.executeDeferred(
            "INSERT INTO k_reports (period, version, scope, published_at, trigger_kind, sha256, body, history) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [.text(r.period), .int(r.version), .text(r.scope), .text(r.publishedAt), .text(r.trigger), .text(r.sha256),
             .text(String(decoding: r.body, as: UTF8.self)), .text(r.history)])
    }

    /// The latest version of `period` (nil: never published), or version `n`.
    static func find(_ tx: Transaction, period: String, version n: Int? = nil) throws -> Stored? {
        let row = n == nil
            ? try tx.queryOne("SELECT * FROM k_reports WHERE period = ? ORDER BY version DESC LIMIT 1", [.text(period)])
            : try tx.queryOne("SELECT * FROM k_reports WHERE period = ? AND version = ?", [.text(period), .int(n!)])
        return row.map(stored)
    }

    static func nextVersion(_ tx: Transaction, period: String) throws -> Int {
        Int(try tx.scalarInt("SELECT COALESCE(MAX(version), 0) FROM k_reports WHERE period = ?", [.text(period)]) ?? 0) + 1
    }

    /// Every version's metadata (no bodies), newest period first.
    static func list(_ tx: Transaction, limit: Int) throws -> [Stored] {
        try tx.query("SELECT period, version, scope, published_at, trigger_kind, sha256, '' AS body, history FROM k_reports "
                     + "ORDER BY period DESC, version DESC LIMIT ?", [.int(limit)]).map(stored)
    }

    private static func stored(_ r: Row) -> Stored {
        Stored(period: r.string("period") ?? "", version: Int(r.int("version") ?? 0), scope: r.string("scope") ?? "",
               publishedAt: r.string("published_at") ?? "", trigger: r.string("trigger_kind") ?? "", sha256: r.string("sha256") ?? "",
               body: Array((r.string("body") ?? "").utf8), history: r.string("history") ?? "[]")
    }
}
