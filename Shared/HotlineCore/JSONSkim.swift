/// Validates that bytes are one JSON object and finds the raw byte ranges of its top-level
/// members, without building values.
///
/// The bus router uses it to route lines it only forwards: it reads `op`, `id` and
/// `stream`, and splices the untouched bytes of `events` into the outgoing line.
public struct JSONSkim: Sendable {
    /// Top-level members: key → byte range of the raw value within the input.
    public let members: Members

    /// An object's members in order, looked up by a scan: objects on the bus have a dozen
    /// members at most, and hashing every key into a dictionary cost more than comparing it
    /// (every event every consumer receives is skimmed). A repeated key means its last value,
    /// as in a dictionary built in order.
    public struct Members: Sequence, Sendable {
        fileprivate var keys: [String] = []
        fileprivate var ranges: [Range<Int>] = []

        public subscript(key: String) -> Range<Int>? {
            guard let i = keys.lastIndex(of: key) else { return nil }
            return ranges[i]
        }

        public var count: Int { keys.count }

        public func makeIterator() -> Zip2Sequence<[String], [Range<Int>]>.Iterator { zip(keys, ranges).makeIterator() }

        fileprivate mutating func append(_ key: String, _ range: Range<Int>) {
            keys.append(key)
            ranges.append(range)
        }
    }

    public enum Failure: Error, Equatable, Sendable {
        case notAnObject
        case malformed(offset: Int)
        case tooDeep
    }

    /// The raw byte ranges of the items of the member named by `itemsOf`, when that member is
    /// an array (found in the same pass); nil otherwise.
    public let items: [Range<Int>]?

    /// Skims `bytes`, which must hold exactly one JSON object (surrounding whitespace allowed).
    /// - Parameter itemsOf: a top-level member whose array items to locate too (the bus's
    ///   `events`: each event is then read from its own range, with no second pass).
    /// - Throws: `Failure` when the input is not a syntactically valid JSON object.
    /// - Parameter validated: the bytes are part of a larger text this type already skimmed
    ///   (an item of an array found with `itemsOf`): strings are then only skipped, not checked
    ///   again for escapes and UTF-8, which was half the work on payload-heavy bus lines.
    public init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = 64, itemsOf: String? = nil, validated: Bool = false)
        throws(Failure)
    {
        var scanner = Scanner(bytes: bytes, maxDepth: maxDepth, validated: validated)
        scanner.skipWhitespace()
        guard scanner.peek() == UInt8(ascii: "{") else { throw .notAnObject }
        members = try scanner.topLevelObject(itemsOf: itemsOf)
        scanner.skipWhitespace()
        guard scanner.index == bytes.count else { throw .malformed(offset: scanner.index) }
        if let key = itemsOf, let range = members[key], bytes[range.lowerBound] == UInt8(ascii: "[") {
            items = scanner.items
        } else {
            items = nil
        }
    }

    /// Convenience for arrays.
    public static func skim(_ bytes: [UInt8]) throws(Failure) -> JSONSkim {
        try bytes.withUnsafeBufferPointer { (buffer) throws(Failure) -> JSONSkim in try JSONSkim(buffer) }
    }

    /// The decoded string value of a top-level member, when that member is a plain string.
    public func string(_ key: String, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let range = members[key], range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\"") else {
            return nil
        }
        return Scanner.decodeString(bytes, range)
    }

    /// The integer value of a top-level member, when that member is an integer.
    public func integer(_ key: String, in bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let range = members[key] else { return nil }
        return Int64(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let maxDepth: Int
        var index = 0
        /// Item ranges of the last array scanned with `recordingItems`.
        var items: [Range<Int>] = []

        /// Strings were checked before (see `JSONSkim.init`'s `validated`).
        let validated: Bool

        init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, validated: Bool) {
            self.bytes = bytes
            self.maxDepth = maxDepth
            self.validated = validated
        }

        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0a, 0x0d: index += 1
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8) throws(Failure) {
            guard peek() == byte else { throw .malformed(offset: index) }
            index += 1
        }

        mutating func topLevelObject(itemsOf itemsKey: String?) throws(Failure) -> Members {
            var members = Members()
            try expect(UInt8(ascii: "{"))
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                index += 1
                return members
            }
            while true {
                skipWhitespace()
                let keyStart = index
                try string()
                let key = Scanner.decodeString(bytes, keyStart..<index) ?? ""
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                let valueStart = index
                try value(depth: 1, recordingItems: key == itemsKey)
                members.append(key, valueStart..<index)
                skipWhitespace()
                guard let c = peek() else { throw .malformed(offset: index) }
                index += 1
                if c == UInt8(ascii: "}") { return members }
                guard c == UInt8(ascii: ",") else { throw .malformed(offset: index - 1) }
            }
        }

        mutating func value(depth: Int, recordingItems: Bool = false) throws(Failure) {
            guard depth <= maxDepth else { throw .tooDeep }
            guard let c = peek() else { throw .malformed(offset: index) }
            switch c {
            case UInt8(ascii: "{"):
                index += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "}") {
                    index += 1
                    return
                }
                while true {
                    skipWhitespace()
                    try string()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    skipWhitespace()
                    try value(depth: depth + 1)
                    skipWhitespace()
                    guard let n = peek() else { throw .malformed(offset: index) }
                    index += 1
                    if n == UInt8(ascii: "}") { return }
                    guard n == UInt8(ascii: ",") else { throw .malformed(offset: index - 1) }
                }
            case UInt8(ascii: "["):
                index += 1
                if recordingItems { items = [] }
                skipWhitespace()
                if peek() == UInt8(ascii: "]") {
                    index += 1
                    return
                }
                while true {
                    skipWhitespace()
                    let start = index
                    try value(depth: depth + 1)
                    if recordingItems { items.append(start..<index) }
                    skipWhitespace()
                    guard let n = peek() else { throw .malformed(offset: index) }
                    index += 1
                    if n == UInt8(ascii: "]") { return }
                    guard n == UInt8(ascii: ",") else { throw .malformed(offset: index - 1) }
                }
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
        }

        mutating func literal(_ word: StaticString) throws(Failure) {
            let n = word.utf8CodeUnitCount
            guard index + n <= bytes.count else { throw .malformed(offset: index) }
            let p = word.utf8Start
            for i in 0..<n where bytes[index + i] != p[i] { throw .malformed(offset: index + i) }
            index += n
        }

        mutating func number() throws(Failure) {
            let start = index
            if peek() == UInt8(ascii: "-") { index += 1 }
            guard let first = peek(), first >= 48, first <= 57 else { throw .malformed(offset: start) }
            if first == 48 { index += 1 } else { digits() }
            if peek() == UInt8(ascii: ".") {
                index += 1
                guard let d = peek(), d >= 48, d <= 57 else { throw .malformed(offset: index) }
                digits()
            }
            if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
                index += 1
                if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { index += 1 }
                guard let d = peek(), d >= 48, d <= 57 else { throw .malformed(offset: index) }
                digits()
            }
        }

        mutating func digits() {
            while let d = peek(), d >= 48, d <= 57 { index += 1 }
        }

        /// Scans a string, checking escapes and that the bytes are valid UTF-8 without raw controls.
        mutating func string() throws(Failure) {
            try expect(UInt8(ascii: "\""))
            skipPlainASCII()
            if validated {
                // Only where it ends: an escaped character never ends it.
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        index += 1
                        return
                    case UInt8(ascii: "\\"):
                        index += 2
                        skipPlainASCII()
                    default: index += 1
                    }
                }
                throw .malformed(offset: bytes.count)
            }
            while index < bytes.count {
                let c = bytes[index]
                if c == UInt8(ascii: "\"") {
                    index += 1
                    return
                }
                if c == UInt8(ascii: "\\") {
                    index += 1
                    guard let e = peek() else { throw .malformed(offset: index) }
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                        UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        index += 1
                    case UInt8(ascii: "u"):
                        guard index + 4 < bytes.count else { throw .malformed(offset: index) }
                        for i in 1...4 where !Scanner.isHex(bytes[index + i]) { throw .malformed(offset: index + i) }
                        index += 5
                    default: throw .malformed(offset: index)
                    }
                    skipPlainASCII()
                    continue
                }
                if c < 0x20 { throw .malformed(offset: index) }
                if c < 0x80 {
                    index += 1
                    continue
                }
                try utf8Sequence()
                skipPlainASCII()
            }
            throw .malformed(offset: index)
        }

        /// Skips eight bytes at a time while none of them is a quote, a backslash, a control
        /// character or part of a multi-byte character (the common case: ids, codes, times),
        /// leaving every byte that needs a look for the byte-by-byte loop.
        mutating func skipPlainASCII() {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            guard let base = bytes.baseAddress else { return }
            while index + 8 <= bytes.count {
                let x = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                let quote = x ^ (ones &* 0x22), backslash = x ^ (ones &* 0x5c)
                // A byte below 0x20, a zero byte of `quote` or `backslash`, or a high bit.
                let special = ((x &- ones &* 0x20) & ~x) | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | x
                if special & highs != 0 { return }
                index += 8
            }
        }

        mutating func utf8Sequence() throws(Failure) {
            let c = bytes[index]
            let count: Int
            var minimum: UInt32
            var scalar: UInt32
            switch c {
            case 0xc2...0xdf: (count, minimum, scalar) = (2, 0x80, UInt32(c & 0x1f))
            case 0xe0...0xef: (count, minimum, scalar) = (3, 0x800, UInt32(c & 0x0f))
            case 0xf0...0xf4: (count, minimum, scalar) = (4, 0x10000, UInt32(c & 0x07))
            default: throw .malformed(offset: index)
            }
            guard index + count <= bytes.count else { throw .malformed(offset: index) }
            for i in 1..<count {
                let cc = bytes[index + i]
                guard cc & 0xc0 == 0x80 else { throw .malformed(offset: index + i) }
                scalar = scalar << 6 | UInt32(cc & 0x3f)
            }
            guard scalar >= minimum, scalar <= 0x10ffff, !(0xd800...0xdfff).contains(scalar) else {
                throw .malformed(offset: index)
            }
            minimum = 0
            index += count
        }

        static func isHex(_ c: UInt8) -> Bool {
            (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
        }

        /// Decodes a scanned string literal (quotes included in `range`).
        static func decodeString(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String? {
            let inner = UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
            if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
            // Rare path: let Foundation-free decoding handle escapes via JSONValue.
            let literal = Array(UnsafeBufferPointer(rebasing: bytes[range]))
            return JSONValue.decodeStringLiteral(literal)
        }
    }
}
