internal import CSHA256

/// SHA-256 (FIPS 180-4), used for the event hash chain, token hashes and report digests.
///
/// Implemented here because the project takes no package dependencies and Foundation on
/// Linux has no digest API. Incremental: `update` any number of times, then `finalize`.
/// Blocks are compressed by the processor's SHA instructions where it has them (CSHA256),
/// otherwise in Swift; both give the same digest (tests compare them).
public struct SHA256: Sendable {
    /// How blocks are compressed.
    public enum Implementation: Sendable, CaseIterable {
        /// The x86 SHA extensions (3–5× faster on an event's bytes: `hotline bench hash`).
        case hardware
        /// Plain Swift, on any processor.
        case portable
    }

    /// Whether this processor has the SHA extensions.
    public static let hardwareAvailable = hotline_sha256_hardware_available() != 0

    private let useHardware: Bool

    /// The round constants, from the one table both implementations use (CSHA256's header).
    private static let k: [UInt32] = withUnsafeBytes(of: hotline_sha256_k) { Array($0.bindMemory(to: UInt32.self)) }

    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// The bytes of an unfinished block, kept inline (no allocation per digest: one is made
    /// for every event appended or received).
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0

    public init() {
        useHardware = Self.hardwareAvailable
    }

    /// A digest computed one way (for tests and benchmarks); `.hardware` falls back to the
    /// portable code on processors without the SHA extensions.
    public init(implementation: Implementation) {
        useHardware = implementation == .hardware && Self.hardwareAvailable
    }

    /// Feeds more bytes into the digest.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done != nil { return }
        for byte in bytes { withUnsafeBytes(of: byte) { update($0) } }
    }

    /// Feeds raw bytes: whole blocks are compressed in place, without copying.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        if pendingCount > 0 {
            offset = min(64 - pendingCount, bytes.count)
            addPending(UnsafeRawBufferPointer(rebasing: bytes[0..<offset]))
            guard pendingCount == 64 else { return }
            compressPending()
        }
        let whole = (bytes.count - offset) / 64 * 64
        if whole > 0 {
            compress(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + whole]))
            offset += whole
        }
        addPending(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
    }

    /// Feeds the UTF-8 bytes of a string.
    public mutating func update(_ string: String) {
        var copy = string
        copy.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Finishes the digest and returns its 32 bytes.
    public mutating func finalize() -> [UInt8] {
        let bitLength = (processedBlocks &* 64 &+ UInt64(pendingCount)) &* 8
        var marker: UInt8 = 0x80
        withUnsafeBytes(of: &marker) { addPending($0) }
        if pendingCount > 56 {
            zeroPending(from: pendingCount)
            compressPending()
        }
        zeroPending(from: pendingCount)
        withUnsafeMutableBytes(of: &pending) { $0.storeBytes(of: bitLength.bigEndian, toByteOffset: 56, as: UInt64.self) }
        compressPending()
        return [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
            for (i, word) in words.enumerated() {
                out[i * 4] = UInt8(truncatingIfNeeded: word >> 24)
                out[i * 4 + 1] = UInt8(truncatingIfNeeded: word >> 16)
                out[i * 4 + 2] = UInt8(truncatingIfNeeded: word >> 8)
                out[i * 4 + 3] = UInt8(truncatingIfNeeded: word)
            }
            count = 32
        }
    }

    private var processedBlocks: UInt64 = 0

    /// Appends to the unfinished block; the caller never passes more than it has room for.
    private mutating func addPending(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        let at = pendingCount
        withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.advanced(by: at).copyMemory(from: source, byteCount: bytes.count) }
        pendingCount += bytes.count
    }

    private mutating func zeroPending(from start: Int) {
        withUnsafeMutableBytes(of: &pending) { raw in
            for i in start..<64 { raw[i] = 0 }
        }
        pendingCount = 64
    }

    private mutating func compressPending() {
        var block = pending
        withUnsafeBytes(of: &block) { compress($0) }
        pendingCount = 0
    }

    /// Whole 64-byte blocks, in order.
    private mutating func compress(_ blocks: UnsafeRawBufferPointer) {
        let count = blocks.count / 64
        processedBlocks &+= UInt64(count)
        if useHardware, let base = blocks.baseAddress {
            withUnsafeMutableBytes(of: &state) { words in
                hotline_sha256_blocks(words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                      base.assumingMemoryBound(to: UInt8.self), count)
            }
            return
        }
        for i in 0..<count { compressPortably(UnsafeRawBufferPointer(rebasing: blocks[i * 64..<i * 64 + 64])) }
    }

    /// One 64-byte block in Swift. The message schedule lives on the stack: this runs for
    /// every event the serial writer appends, so it must not allocate.
    private mutating func compressPortably(_ block: UnsafeRawBufferPointer) {
        var (a, b, c, d, e, f, g, h) = state
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                w[i] = UInt32(block[i * 4]) << 24 | UInt32(block[i * 4 + 1]) << 16 | UInt32(block[i * 4 + 2]) << 8
                    | UInt32(block[i * 4 + 3])
            }
            for i in 16..<64 {
                let s0 = w[i - 15].rotatedRight(7) ^ w[i - 15].rotatedRight(18) ^ (w[i - 15] >> 3)
                let s1 = w[i - 2].rotatedRight(17) ^ w[i - 2].rotatedRight(19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            Self.k.withUnsafeBufferPointer { k in
                for i in 0..<64 {
                    let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
                    let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    h = g
                    g = f
                    f = e
                    e = d &+ t1
                    d = c
                    c = b
                    b = a
                    a = t1 &+ t2
                }
            }
        }
        state = (
            state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g,
            state.7 &+ h
        )
    }

    /// The digest of `bytes` in one call.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The lowercase hex digest of a string's UTF-8 bytes.
    public static func hex(_ string: String) -> String { Hex.encode(hash(Array(string.utf8))) }
}

extension UInt32 {
    @inline(__always) fileprivate func rotatedRight(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 - n)) }
}

/// Lowercase hexadecimal encoding.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Appends the low `digits` nibbles of `value`, most significant first.
    public static func append(_ value: UInt64, digits count: Int, to out: inout [UInt8]) {
        for shift in stride(from: (count - 1) * 4, through: 0, by: -4) { out.append(digits[Int((value >> UInt64(shift)) & 0xF)]) }
    }

    /// The low `digits` nibbles of `value` as text, zero-padded.
    public static func encode(_ value: UInt64, digits count: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        append(value, digits: count, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Comparison whose time does not depend on where two secrets differ.
public enum ConstantTime {
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
