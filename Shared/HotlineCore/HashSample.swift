/// A sample anyone can recompute and nobody can steer: an item is in it when the first four
/// bytes of SHA-256 of its key, as a fraction of 2³², fall below the rate.
public enum HashSample {
    public static func contains(_ key: String, rate: Double) -> Bool {
        let value = SHA256.hash(Array(key.utf8)).prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Double(value) / Double(UInt32.max) < rate
    }
}
