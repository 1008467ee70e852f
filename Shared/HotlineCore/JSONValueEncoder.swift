import FoundationEssentials

/// Encodes any `Encodable` straight into a `JSONValue` tree, without text in between.
///
/// Follows `JSONEncoder`'s default strategies where the two could differ: `nil` optionals
/// encoded with `encodeIfPresent` are left out, `Date` is seconds since 2001-01-01, `Data` is
/// Base64, `URL` its absolute string. Integers must fit a `Double` exactly (±2^53), because
/// `JSONValue` keeps numbers as doubles.
public enum JSONValueEncoder {
    public static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        if let direct = try special(value) { return direct }
        let node = Node()
        try value.encode(to: TreeEncoder(node: node, codingPath: []))
        return node.finish()
    }

    /// Types whose own `Encodable` conformance is not what `JSONEncoder` writes, plus `JSONValue`
    /// itself (a shortcut).
    static func special<T: Encodable>(_ value: T) throws -> JSONValue? {
        switch value {
        case let v as JSONValue: return v
        case let v as any JSONValueConvertible: return v.jsonValue
        case let v as String: return .string(v)
        case let d as Date: return .number(d.timeIntervalSinceReferenceDate)
        case let d as Data: return .string(d.base64EncodedString())
        case let u as URL: return .string(u.absoluteString)
        default: return nil
        }
    }

    /// The coding path is built only for an error (building it for every integer showed up in
    /// every service's profile).
    static func exact<I: BinaryInteger>(_ i: I, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        guard i.magnitude <= 1 << 53 else {
            throw EncodingError.invalidValue(i, .init(codingPath: codingPath(), debugDescription: "integer too large for JSONValue"))
        }
        return .number(Double(i))
    }
}

/// A type on a hot path that builds its own `JSONValue` instead of going through `Encodable`.
/// Its `jsonValue` must equal what its `Encodable` conformance produces (tests compare them).
public protocol JSONValueConvertible: Encodable {
    var jsonValue: JSONValue { get }
}

extension Optional where Wrapped == String {
    /// A member for a `JSONValue` object: `nil` leaves the key out, as `encodeIfPresent` does.
    public var jsonMember: JSONValue? { map(JSONValue.string) }
}

extension Optional where Wrapped == Double {
    public var jsonMember: JSONValue? { map(JSONValue.number) }
}

/// A value under construction: containers write into nodes, `finish` turns them into values.
/// An object keeps its plain members as values at once (no node per string or number: the
/// common case) and only its nested containers as nodes, finished at the end.
private final class Node {
    enum Content {
        case empty
        case value(JSONValue)
        case object(values: [String: JSONValue], nested: [(key: String, node: Node)])
        case array([Node])
    }
    var content = Content.empty

    init() {}
    init(_ value: JSONValue) { content = .value(value) }

    func finish() -> JSONValue {
        switch content {
        case .empty:
            // An Encodable that encoded nothing: JSONEncoder writes an empty object.
            return .object([:])
        case .value(let v): return v
        case .object(var values, let nested):
            for (k, n) in nested { values[k] = n.finish() }
            return .object(values)
        case .array(let items): return .array(items.map { $0.finish() })
        }
    }

    /// Makes this node an object (keeping members a nested container already wrote).
    func asObject() {
        if case .object = content { return }
        content = .object(values: [:], nested: [])
    }

    func asArray() {
        if case .array = content { return }
        content = .array([])
    }

    /// A plain member; it replaces whatever the key held (the last write wins, as in `JSONEncoder`).
    func set(_ key: String, _ value: JSONValue) {
        guard case .object(var values, var nested) = content else { return }
        content = .empty  // keeps the storage uniquely referenced while it changes
        if !nested.isEmpty { nested.removeAll { $0.key == key } }
        values[key] = value
        content = .object(values: values, nested: nested)
    }

    /// A member still being written (a nested container or value).
    func set(_ key: String, _ child: Node) {
        if case .value(let v) = child.content { return set(key, v) }
        guard case .object(var values, var nested) = content else { return }
        content = .empty
        values[key] = nil
        nested.removeAll { $0.key == key }
        nested.append((key, child))
        content = .object(values: values, nested: nested)
    }

    func append(_ child: Node) {
        guard case .array(var items) = content else { return }
        content = .empty
        items.append(child)
        content = .array(items)
    }

    var count: Int {
        if case .array(let items) = content { return items.count }
        return 0
    }
}

private struct TreeEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.asObject()
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.asArray()
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(node: node, codingPath: codingPath) }
}

/// Encodes one nested value into a fresh node.
private func child<T: Encodable>(_ value: T, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> Node {
    if let direct = try JSONValueEncoder.special(value) { return Node(direct) }
    let node = Node()
    try value.encode(to: TreeEncoder(node: node, codingPath: codingPath()))
    return node
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.set(key.stringValue, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { node.set(key.stringValue, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { node.set(key.stringValue, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { node.set(key.stringValue, .number(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { node.set(key.stringValue, .number(Double(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, key) }

    private func integer<I: BinaryInteger>(_ value: I, _ key: Key) throws {
        node.set(key.stringValue, try JSONValueEncoder.exact(value, codingPath + [key]))
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        if let direct = try JSONValueEncoder.special(value) { return node.set(key.stringValue, direct) }
        node.set(key.stringValue, try child(value, codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = Node()
        nested.asObject()
        node.set(key.stringValue, nested)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = Node()
        nested.asArray()
        node.set(key.stringValue, nested)
        return UnkeyedContainer(node: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let nested = Node()
        node.set(key.stringValue, nested)
        return TreeEncoder(node: nested, codingPath: codingPath + [key])
    }
}

/// An index into an array, for coding paths (`[2]` in field names); shared with the decoder.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    private func path() -> [any CodingKey] { codingPath + [JSONIndexKey(count)] }

    mutating func encodeNil() throws { node.append(Node(.null)) }
    mutating func encode(_ value: Bool) throws { node.append(Node(.bool(value))) }
    mutating func encode(_ value: String) throws { node.append(Node(.string(value))) }
    mutating func encode(_ value: Double) throws { node.append(Node(.number(value))) }
    mutating func encode(_ value: Float) throws { node.append(Node(.number(Double(value)))) }
    mutating func encode(_ value: Int) throws { node.append(Node(try JSONValueEncoder.exact(value, path()))) }
    mutating func encode(_ value: Int64) throws { node.append(Node(try JSONValueEncoder.exact(value, path()))) }
    mutating func encode<T: Encodable>(_ value: T) throws { node.append(try child(value, path())) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = Node()
        nested.asObject()
        let p = path()
        node.append(nested)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: nested, codingPath: p))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = Node()
        nested.asArray()
        let p = path()
        node.append(nested)
        return UnkeyedContainer(node: nested, codingPath: p)
    }

    mutating func superEncoder() -> any Encoder {
        let nested = Node()
        let p = path()
        node.append(nested)
        return TreeEncoder(node: nested, codingPath: p)
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .value(.null) }
    mutating func encode(_ value: Bool) throws { node.content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { node.content = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { node.content = .value(.number(value)) }
    mutating func encode(_ value: Float) throws { node.content = .value(.number(Double(value))) }
    mutating func encode(_ value: Int) throws { node.content = .value(try JSONValueEncoder.exact(value, codingPath)) }
    mutating func encode(_ value: Int8) throws { node.content = .value(try JSONValueEncoder.exact(value, codingPath)) }
    mutating func encode(_ value: Int16) throws { node.content = .value(try JSONValueEncoder.exact(value, codingPath)) }
    mutating func encode(_ value: Int32) throws { node.content = .value(try JSONValueEncoder.exact(value, codingPath)) }
    mutating func encode(_ value: Int64) throws { node.content = .value(try JSONValueEncoder.exact(value, codingPath)) }
    mutating func encode(_ value: UInt) throws { node.content = .value(try JSONValueEncoder.exact(value, codingPath)) }
    mutating func encode(_ value: UInt8) throws { node.content = .value(try JSONValueEncoder.exact(value, codingPath)) }
    mutating func encode(_ value: UInt16) throws { node.content = .value(try JSONValueEncoder.exact(value, codingPath)) }
    mutating func encode(_ value: UInt32) throws { node.content = .value(try JSONValueEncoder.exact(value, codingPath)) }
    mutating func encode(_ value: UInt64) throws { node.content = .value(try JSONValueEncoder.exact(value, codingPath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if let direct = try JSONValueEncoder.special(value) {
            node.content = .value(direct)
            return
        }
        try value.encode(to: TreeEncoder(node: node, codingPath: codingPath))
    }
}
