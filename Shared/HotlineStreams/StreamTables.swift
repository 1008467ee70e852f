import HotlineStorage

/// The tables every service has for its own stream and the streams it follows.
///
/// Stream infrastructure owns migration versions 1–99; services number theirs from 100.
public enum StreamTables {
    public static let migrations: [Migration] = [
        Migration(1, "event stream, cursors, dead letters", sql: { engine in
            """
            CREATE TABLE events (
                seq BIGINT PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL,
                ticket TEXT,
                at TEXT NOT NULL,
                data TEXT NOT NULL,
                prev TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE INDEX events_ticket ON events (ticket);
            CREATE TABLE stream_head (
                id BIGINT PRIMARY KEY CHECK (id = 1),
                seq BIGINT NOT NULL,
                hash TEXT NOT NULL
            );
            INSERT INTO stream_head (id, seq, hash) VALUES (1, 0, '\(String(repeating: "0", count: 64))');
            CREATE TABLE cursors (
                stream TEXT PRIMARY KEY,
                seq BIGINT NOT NULL
            );
            CREATE TABLE dead_letters (
                stream TEXT NOT NULL,
                seq BIGINT NOT NULL,
                type TEXT NOT NULL,
                event TEXT NOT NULL,
                error TEXT NOT NULL,
                attempts BIGINT NOT NULL,
                failed_at TEXT NOT NULL,
                redriven_at TEXT,
                PRIMARY KEY (stream, seq)
            );
            """
        }),
        // The hash of the last applied event of each followed stream: the next one must name
        // it as its `prev` (a consumer checks the chain of what it applies). NULL for cursors
        // older than this column; the first event applied after it sets it.
        Migration(2, "cursors remember the chain", "ALTER TABLE cursors ADD COLUMN hash TEXT"),
        // The manual clock this service last applied, written before it acknowledges a move:
        // after a crash it resumes from here even if the whole suite and the bus restarted
        // with it (its events alone may be older than the time it had acknowledged).
        Migration(3, "the manual clock applied", "CREATE TABLE manual_clock (id BIGINT PRIMARY KEY, at TEXT NOT NULL)"),
        // SQLite: `seq BIGINT PRIMARY KEY` is not the table's rowid, so every event went into
        // the table and into a separate index on seq, and every fetch by seq went through that
        // index. `INTEGER PRIMARY KEY` makes seq the rowid: one b-tree fewer per event. The
        // table is copied once (a large history takes a while at the first start after
        // upgrading). PostgreSQL's BIGINT key is already its index; nothing changes there.
        Migration(4, "events keyed by their seq itself", sql: { engine in
            switch engine {
            case .sqlite:
                return """
                    CREATE TABLE events_by_seq (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        type TEXT NOT NULL,
                        ticket TEXT,
                        at TEXT NOT NULL,
                        data TEXT NOT NULL,
                        prev TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    INSERT INTO events_by_seq (seq, id, type, ticket, at, data, prev, hash)
                        SELECT seq, id, type, ticket, at, data, prev, hash FROM events ORDER BY seq;
                    DROP TABLE events;
                    ALTER TABLE events_by_seq RENAME TO events;
                    CREATE INDEX events_ticket ON events (ticket);
                    """
            case .postgres:
                return "SELECT 1"
            }
        }),
    ]

    /// Stores `at` as the manual clock applied (never moving it back).
    public static func saveManualClock(_ at: String, _ tx: Transaction) throws {
        try tx.executeDeferred("INSERT INTO manual_clock (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at WHERE manual_clock.at < excluded.at",
                       [.text(at)])
    }

    /// The latest time this service's history knows: its events' and the clock it applied.
    public static func lastKnownTime(_ tx: Transaction) throws -> String? {
        let events = try tx.queryOne("SELECT MAX(at) AS at FROM events")?.string("at")
        let clock = try tx.queryOne("SELECT at FROM manual_clock WHERE id = 1")?.string("at")
        return [events, clock].compactMap { $0 }.max()
    }
}
