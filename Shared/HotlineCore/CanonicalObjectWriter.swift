/// A type that writes its own canonical JSON: an answer built on every request (an
/// assignment in every unit action and list) skips building a dictionary and sorting its keys.
/// Its bytes must equal `CanonicalJSON.bytes` of its `Encodable` form (tests compare them).
public protocol CanonicalJSONWritable: Encodable {
    func writeCanonicalJSON(to out: inout [UInt8])
}

extension CanonicalJSON {
    /// Writes one object whose members `body` adds in canonical key order (UTF-8 bytes; debug
    /// builds check it). Keys are static ASCII names, written without escaping.
    public static func writeObject(to out: inout [UInt8], _ body: (inout ObjectMembers) -> Void) {
        var members = ObjectMembers(out: out)
        out = []  // handed over, not copied
        members.out.append(UInt8(ascii: "{"))
        body(&members)
        members.out.append(UInt8(ascii: "}"))
        out = members.out
    }

    /// The canonical bytes of a list of self-writing values.
    public static func bytes<T: CanonicalJSONWritable>(_ values: [T]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(values.count * 512 + 2)
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            value.writeCanonicalJSON(to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// The canonical bytes of one self-writing value.
    public static func bytes<T: CanonicalJSONWritable>(_ value: T) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        value.writeCanonicalJSON(to: &out)
        return out
    }

    /// The members of an object being written (`writeObject`).
    public struct ObjectMembers {
        fileprivate var out: [UInt8]
        private var previous: StaticString?

        fileprivate init(out: [UInt8]) { self.out = out }

        /// A string member; nil leaves it out (as `encodeIfPresent` does).
        public mutating func string(_ key: StaticString, _ value: String?) {
            guard let value else { return }
            writeKey(key)
            CanonicalJSON.writeString(value, to: &out)
        }

        public mutating func integer(_ key: StaticString, _ value: Int64) {
            writeKey(key)
            CanonicalJSON.writeInteger(value, to: &out)
        }

        public mutating func bool(_ key: StaticString, _ value: Bool) {
            writeKey(key)
            out.append(contentsOf: value ? ObjectMembers.trueBytes : ObjectMembers.falseBytes)
        }

        /// A list of strings; nil leaves it out.
        public mutating func strings(_ key: StaticString, _ values: [String]?) {
            list(key, values) { value, out in CanonicalJSON.writeString(value, to: &out) }
        }

        /// A nested self-writing object; nil leaves it out.
        public mutating func object<T: CanonicalJSONWritable>(_ key: StaticString, _ value: T?) {
            guard let value else { return }
            writeKey(key)
            value.writeCanonicalJSON(to: &out)
        }

        /// A list of self-writing objects; nil leaves it out.
        public mutating func objects<T: CanonicalJSONWritable>(_ key: StaticString, _ values: [T]?) {
            list(key, values) { value, out in value.writeCanonicalJSON(to: &out) }
        }

        private mutating func list<T>(_ key: StaticString, _ values: [T]?, _ write: (T, inout [UInt8]) -> Void) {
            guard let values else { return }
            writeKey(key)
            out.append(UInt8(ascii: "["))
            for (i, value) in values.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(value, &out)
            }
            out.append(UInt8(ascii: "]"))
        }

        private static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)

        private mutating func writeKey(_ key: StaticString) {
            assert(previous.map { CanonicalJSON.utf8Precedes($0.description, key.description) } ?? true,
                   "JSON members out of canonical order: \(key) after \(previous!)")
            assert(key.description.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") },
                   "a key written unescaped must be plain ASCII: \(key)")
            if previous != nil { out.append(UInt8(ascii: ",")) }
            previous = key
            out.append(UInt8(ascii: "\""))
            key.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
    }
}
