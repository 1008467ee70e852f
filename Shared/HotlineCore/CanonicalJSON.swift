import FoundationEssentials
import Glibc

/// Writes JSON in the project's canonical form: object keys sorted by their UTF-8 bytes, no
/// insignificant whitespace, `/` and non-ASCII left as they are, integral numbers without a
/// fraction. The same value always gives the same bytes, which the hash chain relies on.
///
/// Hand-written because it sits on every hot path (event payloads, bus lines, responses),
/// where Foundation's encoder cost a sixth of intake's CPU.
public enum CanonicalJSON {
    /// The canonical bytes of `value`.
    public static func bytes(_ value: JSONValue) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try write(value, to: &out)
        return out
    }

    /// The canonical text of `value`.
    public static func string(_ value: JSONValue) throws(Failure) -> String {
        String(decoding: try bytes(value), as: UTF8.self)
    }

    /// Values JSON cannot carry.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Appends the canonical form of `value`.
    public static func write(_ value: JSONValue, to out: inout [UInt8]) throws(Failure) {
        switch value {
        case .null: out.append(contentsOf: nullBytes)
        case .bool(let b): out.append(contentsOf: b ? trueBytes : falseBytes)
        case .number(let n): try writeNumber(n, to: &out)
        case .string(let s): writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            // Sorted as pairs: no second look-up (and hash) of each key.
            let sorted = members.sorted { utf8Precedes($0.key, $1.key) }
            for (i, member) in sorted.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                try write(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Whether `a`'s UTF-8 bytes sort before `b`'s: a `memcmp` of the two buffers (comparing
    /// through `String.UTF8View` element by element was most of the time spent sorting keys).
    static func utf8Precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                if common > 0, let p = x.baseAddress, let q = y.baseAddress {
                    let order = memcmp(p, q, common)
                    if order != 0 { return order < 0 }
                }
                return x.count < y.count
            }
        }
    }

    /// Integral values print without a fraction; others in Swift's shortest round-tripping
    /// form (as Foundation's encoder does).
    public static func writeNumber(_ n: Double, to out: inout [UInt8]) throws(Failure) {
        guard n.isFinite else { throw Failure(description: "JSON cannot carry the number \(n)") }
        if n.rounded() == n, abs(n) < 9.0e15 {
            writeInteger(Int64(n), to: &out)
        } else {
            var text = n.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            out.append(contentsOf: text.utf8)
        }
    }

    /// Appends a decimal integer.
    /// Appends a decimal integer, its digits written in place (no string per number: ids,
    /// counts and sequence numbers are in every payload).
    public static func writeInteger(_ n: Int64, to out: inout [UInt8]) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = n.magnitude
        let start = out.count
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out[start...].reverse()
    }

    /// Appends `s` as a JSON string literal: quotes, backslashes and control characters escaped.
    public static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let c = utf8[i]
                guard c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
                out.append(UInt8(ascii: "\\"))
                switch c {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(c)
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                default:
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    Hex.append(UInt64(c), digits: 2, to: &out)
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `s` as a JSON string literal.
    public static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        writeString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let nullBytes = Array("null".utf8)
    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
}
