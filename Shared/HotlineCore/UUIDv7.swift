import Foundation

/// Time-ordered UUIDs (RFC 9562 version 7): 48 bits of Unix milliseconds, then 74 random bits.
///
/// Event ids are indexed; ids that grow with time append to the index instead of landing on
/// a random page, which costs a page write per event in a busy commit. Reading the random bits
/// from `getrandom` also spares the open/read/close of `/dev/urandom` that `UUID()` does here.
public enum UUIDv7 {
    /// A new id, lower-case and hyphenated.
    public static func make(at date: Date = Date()) -> String {
        var rng = SystemRandomNumberGenerator()
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        let random = rng.next() as UInt64
        let high = (millis << 16) | 0x7000 | (random & 0x0FFF)  // version 7, 12 random bits
        let low = ((rng.next() as UInt64) & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // variant 10, 62 random bits
        return format(high: high, low: low)
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` from the two halves.
    static func format(high: UInt64, low: UInt64) -> String {
        var out = [UInt8]()
        out.reserveCapacity(36)
        func hex(_ value: UInt64, digits: Int) {
            for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
                out.append(hexDigits[Int((value >> UInt64(shift)) & 0xF)])
            }
        }
        hex(high >> 32, digits: 8)
        out.append(UInt8(ascii: "-"))
        hex((high >> 16) & 0xFFFF, digits: 4)
        out.append(UInt8(ascii: "-"))
        hex(high & 0xFFFF, digits: 4)
        out.append(UInt8(ascii: "-"))
        hex(low >> 48, digits: 4)
        out.append(UInt8(ascii: "-"))
        hex(low & 0xFFFF_FFFF_FFFF, digits: 12)
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-case hex of `value`'s low `digits` nibbles.
    public static func hex(_ value: UInt64, digits: Int) -> String {
        String(decoding: (0..<digits).reversed().map { hexDigits[Int((value >> UInt64($0 * 4)) & 0xF)] }, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
