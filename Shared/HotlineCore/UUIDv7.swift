import FoundationEssentials

/// Time-ordered UUIDs (RFC 9562 version 7): 48 bits of Unix milliseconds, then 74 random bits.
///
/// Event ids are indexed; ids that grow with time append to the index instead of landing on
/// a random page, which costs a page write per event in a busy commit. The random bits come
/// from `RandomBits` (a page of `getrandom` at a time), which also spares the open/read/close
/// of `/dev/urandom` that `UUID()` does here.
public enum UUIDv7 {
    /// A new id, lower-case and hyphenated.
    public static func make(at date: Date = Date()) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        let random = RandomBits.next()
        let high = (millis << 16) | 0x7000 | (random & 0x0FFF)  // version 7, 12 random bits
        let low = (RandomBits.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // variant 10, 62 random bits
        return format(high: high, low: low)
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` from the two halves.
    static func format(high: UInt64, low: UInt64) -> String {
        var out = [UInt8]()
        out.reserveCapacity(36)
        Hex.append(high >> 32, digits: 8, to: &out)
        out.append(UInt8(ascii: "-"))
        Hex.append(high >> 16, digits: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Hex.append(high, digits: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Hex.append(low >> 48, digits: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Hex.append(low, digits: 12, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
