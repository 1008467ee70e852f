import FoundationEssentials

/// Decodes any `Decodable` from a `JSONValue` tree, the reverse of `JSONValueEncoder`.
///
/// Request bodies and event payloads are parsed once by `JSONValueParser`; decoding from the
/// tree avoids Foundation's decoder, and re-typing a payload no longer goes through text.
/// Errors are `DecodingError`s of the kinds and coding paths `JSONDecoder` reports, so
/// callers name the same field either way. Integers must be whole numbers within ±2^53
/// (the range a `JSONValue` number carries exactly) and within the target type's range.
public enum JSONValueDecoder {
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try TreeDecoder(value: value, codingPath: []).decodeValue(type)
    }
}

private struct TreeDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: JSONValue].self, value, codingPath) }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw mismatch([JSONValue].self, value, codingPath) }
        return UnkeyedContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleContainer(value: value, codingPath: codingPath) }

    /// Decodes `type` here, with the special cases `JSONDecoder` has by default.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is JSONValue.Type: return value as! T
        case is String.Type: return try string(value, codingPath) as! T
        case is Date.Type:
            return Date(timeIntervalSinceReferenceDate: try number(value, codingPath, as: Double.self)) as! T
        case is URL.Type:
            guard let url = URL(string: try string(value, codingPath)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Invalid URL string."))
            }
            return url as! T
        case is Data.Type:
            guard let data = Data(base64Encoded: try string(value, codingPath)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Encountered Data is not valid Base64."))
            }
            return data as! T
        default:
            if let direct = type as? any JSONValueDecodable.Type {
                return try direct.init(jsonValue: value, codingPath: codingPath) as! T
            }
            return try T(from: self)
        }
    }
}

private func describe(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "a dictionary"
    }
}

private func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
    if case .null = value {
        return .valueNotFound(type, .init(codingPath: path, debugDescription: "Expected \(type) value but found null instead."))
    }
    return .typeMismatch(type, .init(codingPath: path, debugDescription: "Expected to decode \(type) but found \(describe(value)) instead."))
}

// The coding path is built only for an error: building it for every value decoded was a
// sixth of decoding.
private func string(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
    guard case .string(let s) = value else { throw mismatch(String.self, value, path()) }
    return s
}

private func bool(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Bool {
    guard case .bool(let b) = value else { throw mismatch(Bool.self, value, path()) }
    return b
}

private func number<F: BinaryFloatingPoint>(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey], as type: F.Type) throws -> F {
    guard case .number(let n) = value else { throw mismatch(type, value, path()) }
    return F(n)
}

private func integer<I: FixedWidthInteger>(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey], as type: I.Type) throws -> I {
    guard case .number(let n) = value else { throw mismatch(type, value, path()) }
    guard n.rounded() == n, abs(n) <= 9_007_199_254_740_992, let exact = I(exactly: n) else {
        throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "Parsed JSON number <\(n)> does not fit in \(type)."))
    }
    return exact
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func value(_ key: Key) throws -> JSONValue {
        guard let v = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return v
    }

    private func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try value(key) { return true }
        return false
    }

    // One look-up for an optional member instead of the three of the protocol's defaults
    // (contains, decodeNil, decode); absent and null both give nil, as with JSONDecoder.
    private func present(_ key: Key) -> JSONValue? {
        guard let v = members[key.stringValue] else { return nil }
        if case .null = v { return nil }
        return v
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key).map { try string($0, path(key)) } }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key).map { try bool($0, path(key)) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try present(key).map { try number($0, path(key), as: type) }
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(key).map { try integer($0, path(key), as: type) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        try present(key).map { try integer($0, path(key), as: type) }
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try bool(value(key), path(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try string(value(key), path(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try number(value(key), path(key), as: Double.self) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try number(value(key), path(key), as: Float.self) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(value(key), path(key), as: type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(value(key), path(key), as: type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(value(key), path(key), as: type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(value(key), path(key), as: type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(value(key), path(key), as: type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(value(key), path(key), as: type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(value(key), path(key), as: type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(value(key), path(key), as: type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(value(key), path(key), as: type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(value(key), path(key), as: type) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try TreeDecoder(value: value(key), codingPath: path(key)).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try TreeDecoder(value: value(key), codingPath: path(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TreeDecoder(value: value(key), codingPath: path(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        TreeDecoder(value: members["super"] ?? .null, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(value: members[key.stringValue] ?? .null, codingPath: path(key))
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next(_ type: Any.Type) throws -> (JSONValue, [any CodingKey]) {
        let path = codingPath + [JSONIndexKey(currentIndex)]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "Unkeyed container is at end."))
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if case .null = items[currentIndex] {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { let (v, p) = try next(type); return try bool(v, p) }
    mutating func decode(_ type: String.Type) throws -> String { let (v, p) = try next(type); return try string(v, p) }
    mutating func decode(_ type: Double.Type) throws -> Double { let (v, p) = try next(type); return try number(v, p, as: type) }
    mutating func decode(_ type: Float.Type) throws -> Float { let (v, p) = try next(type); return try number(v, p, as: type) }
    mutating func decode(_ type: Int.Type) throws -> Int { let (v, p) = try next(type); return try integer(v, p, as: type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { let (v, p) = try next(type); return try integer(v, p, as: type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (v, p) = try next(type)
        return try TreeDecoder(value: v, codingPath: p).decodeValue(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (v, p) = try next([String: JSONValue].self)
        return try TreeDecoder(value: v, codingPath: p).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (v, p) = try next([JSONValue].self)
        return try TreeDecoder(value: v, codingPath: p).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (v, p) = try next(JSONValue.self)
        return TreeDecoder(value: v, codingPath: p)
    }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try number(value, codingPath, as: type) }
    func decode(_ type: Float.Type) throws -> Float { try number(value, codingPath, as: type) }
    func decode(_ type: Int.Type) throws -> Int { try integer(value, codingPath, as: type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(value, codingPath, as: type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(value, codingPath, as: type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(value, codingPath, as: type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(value, codingPath, as: type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(value, codingPath, as: type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(value, codingPath, as: type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(value, codingPath, as: type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(value, codingPath, as: type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(value, codingPath, as: type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try TreeDecoder(value: value, codingPath: codingPath).decodeValue(type)
    }
}

/// A payload on a hot path that reads itself from a parsed value instead of going through
/// `Decodable` (a consumer decodes most events it follows). Its result must equal its
/// `Decodable` form's, and it must refuse what that refuses (tests compare them).
public protocol JSONValueDecodable: Decodable {
    init(jsonValue: JSONValue) throws
}

/// The members of a JSON object, read by a hand-written `JSONValueDecodable` with
/// `JSONValueDecoder`'s rules and errors: a missing key, null for a required value, a wrong
/// type, an integer that is not exact. `…IfPresent` gives nil for a missing key or null.
public struct JSONMembers {
    private let members: [String: JSONValue]
    private let codingPath: [any CodingKey]

    public init(_ value: JSONValue, codingPath: [any CodingKey] = []) throws {
        guard case .object(let members) = value else { throw mismatch([String: JSONValue].self, value, codingPath) }
        self.members = members
        self.codingPath = codingPath
    }

    private func path(_ key: String) -> [any CodingKey] { codingPath + [JSONMemberKey(key)] }

    private func value(_ key: String) throws -> JSONValue {
        guard let v = members[key] else {
            throw DecodingError.keyNotFound(
                JSONMemberKey(key), .init(codingPath: codingPath, debugDescription: "No value associated with key \(key)."))
        }
        return v
    }

    private func present(_ key: String) -> JSONValue? {
        guard let v = members[key] else { return nil }
        if case .null = v { return nil }
        return v
    }

    public func string(_ key: String) throws -> String { try HotlineCore.string(value(key), path(key)) }
    public func stringIfPresent(_ key: String) throws -> String? { try present(key).map { try HotlineCore.string($0, path(key)) } }
    public func bool(_ key: String) throws -> Bool { try HotlineCore.bool(value(key), path(key)) }
    public func boolIfPresent(_ key: String) throws -> Bool? { try present(key).map { try HotlineCore.bool($0, path(key)) } }
    public func int(_ key: String) throws -> Int { try integer(value(key), path(key), as: Int.self) }
    public func doubleIfPresent(_ key: String) throws -> Double? { try present(key).map { try number($0, path(key), as: Double.self) } }

    public func strings(_ key: String) throws -> [String] { try strings(value(key), path(key)) }
    public func stringsIfPresent(_ key: String) throws -> [String]? { try present(key).map { try strings($0, path(key)) } }

    public func object<T: JSONValueDecodable>(_ key: String, _ type: T.Type = T.self) throws -> T {
        try T(jsonValue: value(key), codingPath: path(key))
    }
    public func objectIfPresent<T: JSONValueDecodable>(_ key: String, _ type: T.Type = T.self) throws -> T? {
        try present(key).map { try T(jsonValue: $0, codingPath: path(key)) }
    }
    public func objectsIfPresent<T: JSONValueDecodable>(_ key: String, _ type: T.Type = T.self) throws -> [T]? {
        try present(key).map { v in
            guard case .array(let items) = v else { throw mismatch([T].self, v, path(key)) }
            return try items.enumerated().map { i, item in try T(jsonValue: item, codingPath: path(key) + [JSONIndexKey(i)]) }
        }
    }

    private func strings(_ v: JSONValue, _ path: [any CodingKey]) throws -> [String] {
        guard case .array(let items) = v else { throw mismatch([String].self, v, path) }
        return try items.enumerated().map { i, item in try HotlineCore.string(item, path + [JSONIndexKey(i)]) }
    }
}

/// A member's name, for coding paths.
private struct JSONMemberKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension JSONValueDecodable {
    /// Reads a nested value; errors carry where it is (the decoder's coding path).
    init(jsonValue: JSONValue, codingPath: [any CodingKey]) throws {
        guard !codingPath.isEmpty else { try self.init(jsonValue: jsonValue); return }
        do { try self.init(jsonValue: jsonValue) } catch let error as DecodingError { throw error.under(codingPath) }
    }
}

extension DecodingError {
    /// The same error with `prefix` in front of its coding path.
    fileprivate func under(_ prefix: [any CodingKey]) -> DecodingError {
        switch self {
        case .typeMismatch(let t, let c): return .typeMismatch(t, c.under(prefix))
        case .valueNotFound(let t, let c): return .valueNotFound(t, c.under(prefix))
        case .keyNotFound(let k, let c): return .keyNotFound(k, c.under(prefix))
        case .dataCorrupted(let c): return .dataCorrupted(c.under(prefix))
        @unknown default: return self
        }
    }
}

extension DecodingError.Context {
    fileprivate func under(_ prefix: [any CodingKey]) -> DecodingError.Context {
        .init(codingPath: prefix + codingPath, debugDescription: debugDescription, underlyingError: underlyingError)
    }
}
