/// HMAC-SHA256 (RFC 2104), for keyed hashes of personal data (a phone number can be matched
/// across services without being readable, and without a dictionary attack on 10^11 numbers
/// unless the key leaks).
public enum HMACSHA256 {
    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        var k = key.count > 64 ? SHA256.hash(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        var inner = SHA256()
        inner.update(k.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(k.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }

    public static func hex(_ message: String, key: String) -> String {
        Hex.encode(authenticate(Array(message.utf8), key: Array(key.utf8)))
    }
}
