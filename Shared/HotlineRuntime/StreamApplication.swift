import FoundationEssentials
import HotlineCore
import HotlineStorage
import HotlineStreams

/// How a consumer applies what a followed stream delivers: the one code path shared by the
/// stream follower and the interleaving harness that tests every consumer against it.
public enum StreamApplication {
    /// What to do with a delivery (a push or a fetch answer) given the cursor.
    public enum Decision: Equatable, Sendable {
        /// Nothing new: every event was applied already (a duplicate delivery).
        case nothingNew
        /// These events continue the cursor, consecutive and in order: apply them.
        case apply([Event])
        /// The first new event does not follow the cursor: fetch the missing ones.
        case gap
    }

    /// Drops what was applied already, orders the rest, and checks it continues `cursor`.
    public static func decide(_ delivered: [Event], cursor: Int64) -> Decision {
        let fresh = delivered.filter { $0.seq > cursor }.sorted { $0.seq < $1.seq }
        guard let first = fresh.first else { return .nothingNew }
        guard first.seq == cursor + 1 else { return .gap }
        // A fetch answer or push holding the same event twice applies it once.
        var run: [Event] = [first]
        for e in fresh.dropFirst() where e.seq != run.last!.seq {
            guard e.seq == run.last!.seq + 1 else { break }
            run.append(e)
        }
        return .apply(run)
    }

    /// Applies consecutive events of `stream` and moves its cursor from `cursor` to the last
    /// one, in one transaction: all of it commits, or none. Each event must continue the
    /// chain of what was applied before (`ChainBreak` otherwise, and nothing is applied).
    public static func apply(_ events: [Event], stream: String, cursor: Int64, logic: any ServiceLogic,
                             context: ServiceContext) async throws {
        guard let last = events.last else { return }
        try await context.transact(rederivable: true) { tx, sink in
            try verifyChain(events, stream: stream, from: cursor, tx)
            try logic.apply(run: events, tx, sink, context)
            try ConsumerState.advance(tx, stream: stream, from: cursor, to: last.seq, hash: last.hash)
        }
    }

    /// Checks that `events` continue the chain the cursor of `stream` ends in: each names the
    /// previous one's hash as `prev`, and its own hash is the hash of its content. A forged or
    /// corrupted event fails here, before anything of it is applied.
    /// - Parameter cursor: where the caller believes the stream's cursor is. A stored cursor
    ///   elsewhere is not a chain break: an earlier commit reported lost (the connection broke
    ///   during COMMIT) landed after all, or another instance moved it. That is a
    ///   `StreamError`, after which the caller re-reads the cursor.
    public static func verifyChain(_ events: [Event], stream: String, from cursor: Int64, _ tx: Transaction) throws {
        let position = try ConsumerState.position(tx, stream: stream)
        guard position.seq == cursor else {
            throw StreamError.corrupt("cursor of \(stream) is at \(position.seq), not \(cursor): moved since it was read")
        }
        var expected = position.hash
        for e in events {
            guard e.stream == stream else { throw ChainBreak(stream: stream, seq: e.seq, reason: "event of stream \(e.stream)") }
            if let expected, e.prev != expected {
                throw ChainBreak(stream: stream, seq: e.seq, reason: "prev does not name the last applied event's hash")
            }
            guard try e.computedHash() == e.hash else { throw ChainBreak(stream: stream, seq: e.seq, reason: "hash does not match the event's content") }
            expected = e.hash
        }
    }
}

/// An event that does not continue its stream's chain: forged, corrupted, or from a fork.
/// Never applied and never dead-lettered: the stream stops until the real event comes.
public struct ChainBreak: Error, CustomStringConvertible, Sendable {
    public let stream: String
    public let seq: Int64
    public let reason: String
    public var description: String { "chain break in \(stream) at seq \(seq): \(reason)" }
}
