import FoundationEssentials

/// Any JSON value, for event payloads that pass through code which does not know their type.
public enum JSONValue: Codable, Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if n.rounded() == n, abs(n) < 9.0e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Decodes one JSON string literal (with quotes), handling escapes.
    static func decodeStringLiteral(_ literal: [UInt8]) -> String? {
        (try? JSONValueParser.parse(literal))?.stringValue
    }
}

/// Shared, reused coders: canonical output (sorted keys, no escaped slashes) so that the same
/// value always gives the same bytes, which the hash chain and report digests rely on.
public enum JSONCoding {
    // The shared decoder: decoding does not mutate it, so concurrent use is safe.
    private static let sharedDecoder = JSONDecoder()

    public static func decoder() -> JSONDecoder { sharedDecoder }

    /// Encodes to canonical JSON bytes (`CanonicalJSON`).
    public static func bytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        try CanonicalJSON.bytes(try JSONValueEncoder.encode(value))
    }

    /// Encodes to a canonical JSON string.
    public static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try bytes(value), as: UTF8.self)
    }

    /// Decodes a value of `type` from JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONValueDecoder.decode(type, from: try JSONValueParser.parse(text))
    }

    /// Re-types an untyped payload.
    public static func convert<T: Decodable>(_ value: JSONValue, to type: T.Type) throws -> T {
        try JSONValueDecoder.decode(type, from: value)
    }

    /// Turns a typed payload into an untyped one, with its canonical text.
    public static func valueAndText<T: Encodable>(_ payload: T) throws -> (JSONValue, String) {
        let value = try JSONValueEncoder.encode(payload)
        return (value, try CanonicalJSON.string(value))
    }

    /// Turns a typed payload into an untyped one.
    public static func value<T: Encodable>(_ payload: T) throws -> JSONValue { try JSONValueEncoder.encode(payload) }
}
