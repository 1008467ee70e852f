/// The simulation's only source of chance: SplitMix64 from a seed, and a stable hash of
/// text (FNV-1a, mixed by SplitMix's finaliser). Swift's `Hasher` is seeded per process and
/// `SystemRandomNumberGenerator` is not seeded at all, so neither may decide anything here:
/// the same seed must give the same city on any machine, in any run.
struct SimulationRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for one purpose, independent of every other purpose's draws.
    init(seed: UInt64, _ parts: String...) { state = Self.hash(seed, parts) }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Uniform in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// An index drawn by weight (weights ≥ 0, not all 0).
    mutating func pick(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }

    /// A stable hash of `parts` under `seed`.
    static func hash(_ seed: UInt64, _ parts: [String]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for part in parts {
            for byte in part.utf8 {
                h ^= UInt64(byte)
                h &*= 0x100_0000_01B3
            }
            h ^= 0xFF  // a separator no UTF-8 text contains
            h &*= 0x100_0000_01B3
        }
        return mix(h)
    }

    /// A number in [0, 1) fixed by `seed` and `parts`: one decision, the same every run.
    static func fraction(_ seed: UInt64, _ parts: String...) -> Double { Double(hash(seed, parts) >> 11) / Double(1 << 53) }

    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
