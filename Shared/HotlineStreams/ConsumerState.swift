import FoundationEssentials
import HotlineCore
import HotlineStorage

/// The consumer side: cursors per followed stream and the dead-letter list, both in the
/// consumer's own schema and written in the same transaction as the effects.
public enum ConsumerState {
    /// The last applied seq of `stream` (0 before the first).
    public static func cursor(_ tx: Transaction, stream: String) throws -> Int64 {
        try tx.scalarInt("SELECT seq FROM cursors WHERE stream = ?", [.text(stream)]) ?? 0
    }

    /// The last applied seq of `stream` and that event's hash (the genesis hash before the
    /// first; nil when the cursor predates the hash column).
    public static func position(_ tx: Transaction, stream: String) throws -> (seq: Int64, hash: String?) {
        guard let row = try tx.queryOne("SELECT seq, hash FROM cursors WHERE stream = ?", [.text(stream)]) else {
            return (0, Event.genesisHash)
        }
        let seq = row.int("seq") ?? 0
        return (seq, seq == 0 ? Event.genesisHash : row.string("hash"))
    }

    /// Moves the cursor from `from` to `to`, the event whose hash is `hash`; fails if another
    /// writer moved it meanwhile, which makes a double application impossible rather than
    /// merely unlikely.
    public static func advance(_ tx: Transaction, stream: String, from: Int64, to: Int64, hash: String?) throws {
        let changed: Int
        if from == 0 {
            changed = try tx.execute(
                """
                INSERT INTO cursors (stream, seq, hash) VALUES (?, ?, ?)
                ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, hash = excluded.hash WHERE cursors.seq = 0
                """,
                [.text(stream), .integer(to), .optional(hash)])
        } else {
            changed = try tx.execute(
                "UPDATE cursors SET seq = ?, hash = ? WHERE stream = ? AND seq = ?",
                [.integer(to), .optional(hash), .text(stream), .integer(from)])
        }
        guard changed == 1 else { throw StreamError.corrupt("cursor of \(stream) moved concurrently") }
    }

    /// Records an event that could not be applied after all retries.
    public static func recordDeadLetter(_ tx: Transaction, event: Event, error: String, attempts: Int, at: Date) throws {
        try tx.executeDeferred(
            """
            INSERT INTO dead_letters (stream, seq, type, event, error, attempts, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (stream, seq) DO UPDATE SET error = excluded.error, attempts = dead_letters.attempts + excluded.attempts,
                failed_at = excluded.failed_at, redriven_at = NULL
            """,
            [.text(event.stream), .integer(event.seq), .text(event.type), .text(try JSONCoding.string(event)),
             .text(error), .int(attempts), .text(Timestamp.format(at))])
    }

    /// Dead letters not yet re-driven successfully.
    public static func openDeadLetters(_ tx: Transaction) throws -> [DeadLetter] {
        try tx.query(
            "SELECT stream, seq, type, event, error, attempts, failed_at FROM dead_letters WHERE redriven_at IS NULL ORDER BY failed_at, stream, seq"
        ).map { row in
            DeadLetter(stream: row.string("stream") ?? "", seq: row.int("seq") ?? 0, type: row.string("type") ?? "",
                       error: row.string("error") ?? "", attempts: Int(row.int("attempts") ?? 0),
                       failedAt: row.string("failed_at") ?? "", event: try JSONCoding.decode(Event.self, from: row.string("event") ?? ""))
        }
    }

    public static func markRedriven(_ tx: Transaction, stream: String, seq: Int64, at: Date) throws {
        try tx.executeDeferred("UPDATE dead_letters SET redriven_at = ? WHERE stream = ? AND seq = ?",
                       [.text(Timestamp.format(at)), .text(stream), .integer(seq)])
    }
}

/// An event that failed to apply.
public struct DeadLetter: Codable, Sendable {
    public let stream: String
    public let seq: Int64
    public let type: String
    public let error: String
    public let attempts: Int
    public let failedAt: String
    public let event: Event
}
