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
    ]
}
