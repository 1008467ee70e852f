import Foundation
import HotlineCore
import Testing

/// The hand-written canonical writer and tree encoder must agree with Foundation's
/// `JSONEncoder` (sorted keys, unescaped slashes) wherever both apply, and round-trip through
/// the project's parser everywhere.
@Suite struct CanonicalJSONTests {
    private static func foundation<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private struct Caller: Codable, Equatable {
        var name: String?
        var phone: String?
        var anonymous: Bool
        var score: Double?
        var count: Int
    }

    private struct Payload: Codable, Equatable {
        var channel: String
        var channelRef: String
        var content: String
        var tags: [String]
        var caller: Caller
        var nested: [[Int]]
        var extra: [String: String]
        var latitude: Double?
        var repeatOf: String?

        enum CodingKeys: String, CodingKey {
            case channel, content, tags, caller, nested, extra, latitude
            case channelRef = "channel_ref"
            case repeatOf = "repeat_of"
        }
    }

    private static let samples: [Payload] = [
        Payload(channel: "phone_12345", channelRef: "ref/1", content: "路灯不亮，已经三天了 \"quoted\" back\\slash\nline\ttab",
                tags: ["a", "b/c", ""], caller: Caller(name: "王*", phone: nil, anonymous: false, score: 4.5, count: 3),
                nested: [[1, -2], [], [9_007_199_254_740_992]], extra: ["zeta": "1", "alpha": "2", "Alpha": "3", "a_b": "4", "ab": "5"],
                latitude: 30.123456, repeatOf: nil),
        Payload(channel: "app", channelRef: "", content: "emoji 🚰 and \u{7f} and \u{2028}", tags: [],
                caller: Caller(name: nil, phone: "138****0001", anonymous: true, score: nil, count: -7), nested: [[0]], extra: [:],
                latitude: -0.5, repeatOf: "T20261122-abc"),
    ]

    /// Keys sort by their UTF-8 bytes: prefixes first, upper case before lower, multi-byte
    /// characters by their bytes (which is code point order), the empty key first.
    @Test func objectKeysSortByTheirUTF8Bytes() throws {
        let keys = ["b", "a", "ab", "", "é", "z", "Z", "中", "😀", "\u{7f}", "a_b", "aa", "ａ", "long_key_beyond_fifteen_bytes_1",
                    "long_key_beyond_fifteen_bytes_0"]
        let object = JSONValue.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, JSONValue.null) }))
        let expected = keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let text = try CanonicalJSON.string(object)
        #expect(text == "{" + expected.map { CanonicalJSON.quoted($0) + ":null" }.joined(separator: ",") + "}")
    }

    @Test func typedPayloadsMatchFoundation() throws {
        for sample in Self.samples {
            let ours = try JSONCoding.string(sample)
            let theirs = try Self.foundation(sample)
            #expect(ours == theirs, "\(ours)\n\(theirs)")
            #expect(try JSONCoding.decode(Payload.self, from: JSONCoding.string(sample)) == sample)
        }
    }

    @Test func treeEncoderMatchesParsingFoundationOutput() throws {
        for sample in Self.samples {
            let viaText = try JSONValueParser.parse(Self.foundation(sample))
            #expect(try JSONValueEncoder.encode(sample) == viaText)
        }
    }

    /// Hand-written encodings: nested containers, a super encoder, enums by raw value, and a
    /// key written twice. The last write wins; Foundation's encoder traps when a container and
    /// a value share a key, so those overwrites are checked against the expected text only.
    private struct Handwritten: Encodable {
        var overwrites = false
        enum Kind: String, Encodable { case help }
        enum Keys: String, CodingKey { case a, b, c, kind, list, `super` }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode("first", forKey: .a)
            try c.encode(2, forKey: .a)
            var nested = c.nestedContainer(keyedBy: Keys.self, forKey: .b)
            try nested.encode(true, forKey: .c)
            if overwrites {
                try c.encode("plain", forKey: .b)
                try c.encode(1.5, forKey: .c)
            }
            var later = c.nestedContainer(keyedBy: Keys.self, forKey: .c)
            try later.encode(Kind.help, forKey: .kind)
            var list = c.nestedUnkeyedContainer(forKey: .list)
            try list.encode(Kind.help)
            var inner = list.nestedContainer(keyedBy: Keys.self)
            try inner.encodeNil(forKey: .a)
            try Kind.help.encode(to: c.superEncoder())
        }
    }

    @Test func handwrittenEncodingsMatchFoundation() throws {
        let ours = try JSONCoding.string(Handwritten())
        #expect(ours == (try Self.foundation(Handwritten())))
        #expect(ours == #"{"a":2,"b":{"c":true},"c":{"kind":"help"},"list":["help",{"a":null}],"super":"help"}"#)
        #expect(try JSONCoding.string(Handwritten(overwrites: true))
                    == #"{"a":2,"b":"plain","c":{"kind":"help"},"list":["help",{"a":null}],"super":"help"}"#)
    }

    @Test func nilOptionalsAreLeftOutAndDatesFollowFoundation() throws {
        struct WithDate: Encodable {
            let at: Date
            let note: String?
        }
        let value = WithDate(at: Date(timeIntervalSinceReferenceDate: 812_345_678.25), note: nil)
        #expect(try JSONCoding.string(value) == Self.foundation(value))
        #expect(try JSONCoding.string(value) == #"{"at":812345678.25}"#)
    }

    @Test(arguments: ["\u{0}", "\u{8}", "\u{c}", "\u{1f}", "a\"b", "\\", "/", "\r\n", "中文"])
    func escapesControlCharactersQuotesAndBackslashes(text: String) throws {
        let written = try CanonicalJSON.string(.string(text))
        #expect(written == (try Self.foundation(text)))
        #expect(try JSONValueParser.parse(written) == .string(text))
    }

    @Test func controlCharactersWithoutShortFormsUseLowercaseHex() throws {
        #expect(try CanonicalJSON.string(.string("\u{1}\u{1b}")) == #""\u0001\u001b""#)
    }

    @Test(arguments: [0.0, -0.0, 1, -1, 42, 1e15, 9_007_199_254_740_992, 1e17, -123_456_789, 0.1, 30.123456, 1e-7, 1.5e300, 2.5])
    func numbersMatchFoundation(number: Double) throws {
        let written = try CanonicalJSON.string(.number(number))
        #expect(written == (try Self.foundation(JSONValue.number(number))))
        #expect(try JSONValueParser.parse(written) == .number(number))
    }

    @Test func integersAreWrittenAsTheirDecimalDigits() {
        var values: [Int64] = [0, -1, 1, 9, 10, 99, 100, -100, 8_999_999_999_999_999, .max, .min, .min + 1]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 { values.append(Int64.random(in: .min ... .max, using: &generator) >> Int64.random(in: 0...62, using: &generator)) }
        for n in values {
            var out: [UInt8] = [UInt8(ascii: "[")]
            CanonicalJSON.writeInteger(n, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == "[" + String(n), "\(n)")
        }
    }

    @Test func nonFiniteNumbersAreRefused() {
        #expect(throws: CanonicalJSON.Failure.self) { try CanonicalJSON.bytes(.number(.nan)) }
        #expect(throws: CanonicalJSON.Failure.self) { try CanonicalJSON.bytes(.array([.number(.infinity)])) }
    }

    @Test func integersBeyondDoublePrecisionAreRefused() throws {
        #expect(throws: EncodingError.self) { try JSONValueEncoder.encode(["n": Int64.max]) }
        #expect(try JSONValueEncoder.encode(["n": 1 << 53]) == .object(["n": .number(9_007_199_254_740_992)]))
    }

    @Test func keysSortByBytes() throws {
        let value = JSONValue.object(["b": .null, "a_b": .bool(true), "ab": .bool(false), "B": .number(1), "中": .string("x"), "a": .array([])])
        #expect(try CanonicalJSON.string(value) == #"{"B":1,"a":[],"a_b":true,"ab":false,"b":null,"中":"x"}"#)
    }

    /// Random trees, including every control character, survive write → parse unchanged.
    @Test func randomValuesRoundTrip() throws {
        var rng = SplitMix(seed: 20_261_122)
        for _ in 0..<500 {
            let value = Self.randomValue(&rng, depth: 0)
            let text = try CanonicalJSON.string(value)
            #expect(try JSONValueParser.parse(text) == value, "\(text)")
            #expect(try CanonicalJSON.string(JSONValueParser.parse(text)) == text)
        }
    }

    private static func randomString(_ rng: inout SplitMix) -> String {
        let pool: [Character] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1f}", "中", "🚰", "é", "\u{7f}"]
        return String((0..<Int(rng.next() % 12)).map { _ in pool[Int(rng.next() % UInt64(pool.count))] })
    }

    private static func randomValue(_ rng: inout SplitMix, depth: Int) -> JSONValue {
        switch rng.next() % (depth > 3 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2:
            let raw = Double(Int64(bitPattern: rng.next()) % 1_000_000_000)
            return .number(rng.next() % 2 == 0 ? raw : raw / 1000)
        case 3: return .string(randomString(&rng))
        case 4: return .array((0..<Int(rng.next() % 4)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int(rng.next() % 4) { members[randomString(&rng)] = randomValue(&rng, depth: depth + 1) }
            return .object(members)
        }
    }
}

/// A small deterministic generator, so a failing case can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
