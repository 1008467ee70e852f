import FoundationEssentials
import HotlineCore

/// Builds events the way a producer's store does (seq from 1, ids, the SHA-256 chain) without a
/// store: for tests and benchmarks that feed consumers directly (consumers check the chain).
public enum EventChain {
    public struct Item: Sendable {
        public let type: String
        public let ticket: String?
        public let at: String
        public let data: JSONValue
        public init(type: String, ticket: String?, at: String, data: JSONValue) {
            self.type = type
            self.ticket = ticket
            self.at = at
            self.data = data
        }
    }

    /// The chained events of `items`, in order, continuing after `prev` (the genesis hash by default).
    public static func build(stream: String, _ items: [Item], firstSeq: Int64 = 1, prev: String = Event.genesisHash,
                             idSeed: String = "") throws -> [Event] {
        var prev = prev
        var out: [Event] = []
        for (n, item) in items.enumerated() {
            let seq = firstSeq + Int64(n)
            let id = NamedUUID.make("\(stream)\n\(seq)\n\(idSeed)")
            let hash = Event.chainHash(prev: prev, stream: stream, seq: seq, id: id, type: item.type, ticket: item.ticket,
                                       at: item.at, dataJSON: try JSONCoding.string(item.data))
            out.append(Event(stream: stream, seq: seq, id: id, type: item.type, ticket: item.ticket, at: item.at, data: item.data,
                             prev: prev, hash: hash))
            prev = hash
        }
        return out
    }
}
