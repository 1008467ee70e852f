/// Parses JSON text into `JSONValue` directly, without `JSONDecoder`: decoding an untyped
/// value through `Decodable` tries each case in turn and throws on every miss, which made
/// it the most expensive step of appending an event.
public enum JSONValueParser {
    public struct Failure: Error, Sendable {
        public let offset: Int
    }

    public static func parse(_ bytes: [UInt8], maxDepth: Int = 256) throws(Failure) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(Failure) -> JSONValue in try parse(buffer, maxDepth: maxDepth) }
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int = 256) throws(Failure) -> JSONValue {
        var p = Parser(bytes: buffer, maxDepth: maxDepth)
        p.skipWhitespace()
        let value = try p.value(depth: 0)
        p.skipWhitespace()
        guard p.index == buffer.count else { throw Failure(offset: p.index) }
        return value
    }

    public static func parse(_ text: String) throws(Failure) -> JSONValue { try parse(Array(text.utf8)) }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        let maxDepth: Int
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        mutating func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0a || bytes[index] == 0x0d || bytes[index] == 0x09 {
                index += 1
            }
        }

        mutating func expect(_ b: UInt8) throws(Failure) {
            guard index < bytes.count, bytes[index] == b else { throw Failure(offset: index) }
            index += 1
        }

        mutating func value(depth: Int) throws(Failure) -> JSONValue {
            guard depth <= maxDepth, index < bytes.count else { throw Failure(offset: index) }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                // Room for an event's nine members up front: growing 1 → 2 → 4 → 8 → 16 rehashed
                // each key again (7% of a busy follower's decoding).
                var object = [String: JSONValue](minimumCapacity: 10)
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(object)
                }
                while true {
                    skipWhitespace()
                    let key = try string()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    skipWhitespace()
                    object[key] = try value(depth: depth + 1)
                    skipWhitespace()
                    guard index < bytes.count else { throw Failure(offset: index) }
                    let c = bytes[index]
                    index += 1
                    if c == UInt8(ascii: "}") { return .object(object) }
                    guard c == UInt8(ascii: ",") else { throw Failure(offset: index - 1) }
                }
            case UInt8(ascii: "["):
                index += 1
                var array: [JSONValue] = []
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(array)
                }
                while true {
                    skipWhitespace()
                    array.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard index < bytes.count else { throw Failure(offset: index) }
                    let c = bytes[index]
                    index += 1
                    if c == UInt8(ascii: "]") { return .array(array) }
                    guard c == UInt8(ascii: ",") else { throw Failure(offset: index - 1) }
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            default: return .number(try number())
            }
        }

        mutating func literal(_ word: String) throws(Failure) {
            for b in word.utf8 { try expect(b) }
        }

        mutating func number() throws(Failure) -> Double {
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                    UInt8(ascii: "e"), UInt8(ascii: "E"):
                    index += 1
                default:
                    guard let v = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)),
                        index > start
                    else { throw Failure(offset: start) }
                    return v
                }
            }
            guard let v = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) else {
                throw Failure(offset: start)
            }
            return v
        }

        mutating func string() throws(Failure) -> String {
            try expect(UInt8(ascii: "\""))
            let start = index
            // Fast path: no escapes.
            while index < bytes.count {
                let c = bytes[index]
                if c == UInt8(ascii: "\"") {
                    let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return s
                }
                if c == UInt8(ascii: "\\") { break }
                if c < 0x20 { throw Failure(offset: index) }
                index += 1
            }
            var out = Array(bytes[start..<index])
            while index < bytes.count {
                let c = bytes[index]
                index += 1
                if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard c == UInt8(ascii: "\\") else {
                    if c < 0x20 { throw Failure(offset: index - 1) }
                    out.append(c)
                    continue
                }
                guard index < bytes.count else { throw Failure(offset: index) }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Failure(offset: index) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw Failure(offset: index) }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw Failure(offset: index - 1)
                }
            }
            throw Failure(offset: index)
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard index + 4 <= bytes.count else { throw Failure(offset: index) }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[index]
                let d: UInt32
                switch c {
                case 48...57: d = UInt32(c - 48)
                case 97...102: d = UInt32(c - 87)
                case 65...70: d = UInt32(c - 55)
                default: throw Failure(offset: index)
                }
                v = v << 4 | d
                index += 1
            }
            return v
        }
    }
}
