import FoundationEssentials
import HotlineCore
import HotlineStorage

/// The producer side of a service's stream: append inside the caller's transaction, read back.
///
/// Sequence numbers come from a counter row bumped in the same transaction, so they are
/// gapless and in commit order (a database sequence would be neither).
public struct EventStore: Sendable {
    public let stream: String

    public init(stream: String) { self.stream = stream }

    /// Appends events in order within `tx`.
    ///
    /// The head (latest seq and hash) is read once per commit and written back once, just
    /// before it (`SharedCommit`): a busy writer groups a dozen writes or more into a commit,
    /// and reading and updating the head row in each was a twentieth of intake's serial writer.
    /// - Returns: the stored events, to publish after the transaction commits.
    public func append(_ tx: Transaction, _ events: [NewEvent], at date: Date) throws -> [Event] {
        guard !events.isEmpty else { return [] }
        var head = try currentHead(tx)
        let at = Timestamp.format(date)
        var stored: [Event] = []
        for e in events {
            let seq = head.seq + 1
            let prev = head.hash
            let id = UUIDv7.make()
            let dataJSON = e.dataJSON
            let hash = Event.chainHash(prev: prev, stream: stream, seq: seq, id: id, type: e.type, ticket: e.ticket,
                                       at: at, dataJSON: dataJSON)
            // Deferred: on PostgreSQL the inserts travel with the next statement, which
            // reports any failure among them.
            try tx.executeDeferred(
                "INSERT INTO events (seq, id, type, ticket, at, data, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [.integer(seq), .text(id), .text(e.type), .optional(e.ticket), .text(at), .text(dataJSON), .text(prev),
                 .text(hash)])
            stored.append(e.stored(stream: stream, seq: seq, id: id, at: at, prev: prev, hash: hash))
            head.seq = seq
            head.hash = hash
        }
        guard let shared = tx.shared else {
            try Self.writeBack(head, tx)
            return stored
        }
        shared.set(Head.key, head)
        shared.beforeCommit(Head.key) { tx, shared in
            guard let head: Head = shared.value(Head.key) else { return }
            try Self.writeBack(head, tx)
        }
        return stored
    }

    /// The stream's head as this transaction sees it, and its seq when the commit began.
    private struct Head {
        static let key = "stream_head"
        var seq: Int64
        var hash: String
        let committedSeq: Int64
    }

    private func currentHead(_ tx: Transaction) throws -> Head {
        if let head: Head = tx.shared?.value(Head.key) { return head }
        guard let row = try tx.queryOne("SELECT seq, hash FROM stream_head WHERE id = 1"),
            let seq = row.int("seq"), let hash = row.string("hash")
        else { throw StreamError.corrupt("stream_head row missing") }
        return Head(seq: seq, hash: hash, committedSeq: seq)
    }

    /// Guarded by the seq the commit began from: two writers (which the design never has)
    /// could not both win.
    private static func writeBack(_ head: Head, _ tx: Transaction) throws {
        let changed = try tx.execute(
            "UPDATE stream_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?",
            [.integer(head.seq), .text(head.hash), .integer(head.committedSeq)])
        guard changed == 1 else { throw StreamError.corrupt("stream head moved concurrently") }
    }

    /// The latest sequence number (in a write, including what this commit appended so far:
    /// the stored row is written back only just before the commit).
    public func head(_ tx: Transaction) throws -> Int64 {
        if let head: Head = tx.shared?.value(Head.key) { return head.seq }
        return try tx.scalarInt("SELECT seq FROM stream_head WHERE id = 1") ?? 0
    }

    /// Events with `seq > after` (and `seq <= through`), oldest first, at most `limit`.
    public func fetch(_ tx: Transaction, after: Int64, through: Int64 = .max, limit: Int) throws -> [Event] {
        try tx.query(
            "SELECT seq, id, type, ticket, at, data, prev, hash FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
            [.integer(after), .integer(through), .int(limit)]
        ).map(decode)
    }

    /// Events about one ticket, oldest first.
    public func events(_ tx: Transaction, ticket: String) throws -> [Event] {
        try tx.query(
            "SELECT seq, id, type, ticket, at, data, prev, hash FROM events WHERE ticket = ? ORDER BY seq",
            [.text(ticket)]
        ).map(decode)
    }

    /// Walks the whole chain and recomputes every hash.
    /// - Returns: the first seq whose row does not match the chain, or `nil` when intact.
    public func verify(_ tx: Transaction) throws -> Int64? {
        var prev = Event.genesisHash
        var expected: Int64 = 1
        var after: Int64 = 0
        while true {
            let rows = try tx.query(
                "SELECT seq, id, type, ticket, at, data, prev, hash FROM events WHERE seq > ? ORDER BY seq LIMIT 1000",
                [.integer(after)])
            if rows.isEmpty { break }
            for row in rows {
                let seq = row.int("seq") ?? -1
                let hash = Event.chainHash(
                    prev: prev, stream: stream, seq: seq, id: row.string("id") ?? "", type: row.string("type") ?? "",
                    ticket: row.string("ticket"), at: row.string("at") ?? "", dataJSON: row.string("data") ?? "")
                if seq != expected || row.string("prev") != prev || row.string("hash") != hash { return expected }
                prev = hash
                expected += 1
                after = seq
            }
        }
        let head = try tx.queryOne("SELECT seq, hash FROM stream_head WHERE id = 1")
        if head?.int("seq") != expected - 1 || head?.string("hash") != prev { return expected }
        return nil
    }

    /// A stored row as an event; its payload stays the canonical text it was hashed as, parsed
    /// only if read (a fetch answer sends the text on as it is).
    private func decode(_ row: Row) throws -> Event {
        Event(
            stream: stream, seq: row.int("seq") ?? 0, id: row.string("id") ?? "", type: row.string("type") ?? "",
            ticket: row.string("ticket"), at: row.string("at") ?? "", dataJSON: Array((row.string("data") ?? "null").utf8),
            stored: true, prev: row.string("prev") ?? "", hash: row.string("hash") ?? "")
    }
}

/// A stream-level failure.
public struct StreamError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public static func corrupt(_ what: String) -> StreamError { StreamError(description: "stream corrupt: \(what)") }
}
