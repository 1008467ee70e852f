/// Name-based UUIDs (RFC 9562 version 8, 122 bits of SHA-256 over the name).
public enum NamedUUID {
    /// The id of `name`: the same name always gives the same id, so an id derived from what an
    /// event says is the same when the event is applied again (a replay, a recomputation,
    /// another interleaving).
    public static func make(_ name: String) -> String { make(name, milliseconds: nil) }

    /// The id of `name` whose first 48 bits are `milliseconds` (Unix time, as in a version 7
    /// id) when given: ids made for things in time order then sort in that order.
    public static func make(_ name: String, milliseconds: UInt64?) -> String {
        let digest = SHA256.hash(Array(name.utf8))
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<8 {
            high = high << 8 | UInt64(digest[i])
            low = low << 8 | UInt64(digest[8 + i])
        }
        if let milliseconds { high = (milliseconds & 0xFFFF_FFFF_FFFF) << 16 | (high & 0xFFFF) }
        high = (high & ~0xF000) | 0x8000  // version 8
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // variant 10
        return UUIDv7.format(high: high, low: low)
    }
}
