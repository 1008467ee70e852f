import HotlineCore
import HotlineStreams

/// Reads a bus line without `JSONDecoder`: the line is skimmed once (its syntax checked, its
/// members found), the small members parsed into values, and each event's fields picked out of
/// its bytes. An event's payload stays bytes until a consumer reads it (`Event.parsedData`):
/// consumers ignore most of the events they follow, and the chain check hashes the bytes as
/// they came.
extension BusFrame {
    public struct Malformed: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The same depth bound as `JSONValueParser`'s, so a line either reader accepts the other does.
    static let maxDepth = 256

    public static func decode(line: [UInt8]) throws -> BusFrame {
        try line.withUnsafeBufferPointer { buffer in try decode(line: buffer) }
    }

    /// Reads a line from where it lies (nothing of the frame refers to `buffer` afterwards).
    public static func decode(line buffer: UnsafeBufferPointer<UInt8>) throws -> BusFrame {
        let skim: JSONSkim
        do { skim = try JSONSkim(buffer, maxDepth: maxDepth, itemsOf: "events") } catch {
            if case .malformed(let offset) = error { throw Malformed(description: "not JSON at byte \(offset)") }
            throw Malformed(description: "not a JSON object")
        }
        var o: [String: JSONValue] = [:]
        for (key, range) in skim.members where key != "events" {
            do { o[key] = try JSONValueParser.parse(UnsafeBufferPointer(rebasing: buffer[range])) } catch {
                throw Malformed(description: "not JSON at byte \(range.lowerBound + error.offset)")
            }
        }
        guard case .string(let op)? = o["op"] else { throw Malformed(description: "no op") }
        var frame = BusFrame(op: op)
        frame.id = try string(o, "id")
        frame.service = try string(o, "service")
        frame.stream = try string(o, "stream")
        frame.at = try string(o, "at")
        frame.code = try string(o, "code")
        frame.message = try string(o, "message")
        frame.after = try integer(o, "after")
        frame.limit = try integer(o, "limit").map { Int(clamping: $0) }
        frame.head = try integer(o, "head")
        frame.seq = try integer(o, "seq")
        frame.follows = try strings(o, "follows")
        frame.services = try strings(o, "services")
        switch o["idle"] {
        case nil, .null?: break
        case .bool(let flag)?: frame.idle = flag
        default: throw Malformed(description: "idle is not a boolean")
        }
        if let heads = o["heads"], heads != .null {
            guard case .object(let entries) = heads else { throw Malformed(description: "heads is not an object") }
            frame.heads = try entries.mapValues { v in
                guard let n = wholeNumber(v) else { throw Malformed(description: "a head is not an integer") }
                return n
            }
        }
        if let range = skim.members["events"], buffer[range.lowerBound] != UInt8(ascii: "n") {
            guard let items = skim.items else { throw Malformed(description: "events is not an array") }
            frame.events = try items.map { try event(UnsafeBufferPointer(rebasing: buffer[$0])) }
        }
        return frame
    }

    private static func event(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Event {
        guard bytes.first == UInt8(ascii: "{") else { throw Malformed(description: "an event is not an object") }
        // The line's skim checked these bytes already.
        let e = try JSONSkim(bytes, maxDepth: maxDepth, validated: true)
        func optional(_ key: String) throws -> String? {
            guard let range = e.members[key], bytes[range.lowerBound] != UInt8(ascii: "n") else { return nil }
            guard let s = e.string(key, in: bytes) else { throw Malformed(description: "\(key) is not a string") }
            return s
        }
        func required(_ key: String) throws -> String {
            guard let s = try optional(key) else { throw Malformed(description: "an event lacks \(key)") }
            return s
        }
        guard let seqRange = e.members["seq"],
            let seq = wholeNumber((try? JSONValueParser.parse(UnsafeBufferPointer(rebasing: bytes[seqRange]))) ?? .null)
        else { throw Malformed(description: "an event lacks seq") }
        let data = e.members["data"].map { Array(bytes[$0]) } ?? Array("null".utf8)
        return Event(stream: try required("stream"), seq: seq, id: try required("id"), type: try required("type"),
                     ticket: try optional("ticket"), at: try required("at"), dataJSON: data, stored: false,
                     prev: try required("prev"), hash: try required("hash"))
    }

    private static func strings(_ o: [String: JSONValue], _ key: String) throws -> [String]? {
        guard let value = o[key], value != .null else { return nil }
        guard case .array(let items) = value else { throw Malformed(description: "\(key) is not an array") }
        return try items.map { item in
            guard case .string(let s) = item else { throw Malformed(description: "\(key) holds a non-string") }
            return s
        }
    }

    private static func string(_ o: [String: JSONValue], _ key: String) throws -> String? {
        switch o[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw Malformed(description: "\(key) is not a string")
        }
    }

    private static func integer(_ o: [String: JSONValue], _ key: String) throws -> Int64? {
        guard let v = o[key], v != .null else { return nil }
        guard let n = wholeNumber(v) else { throw Malformed(description: "\(key) is not an integer") }
        return n
    }

    private static func wholeNumber(_ v: JSONValue) -> Int64? {
        guard case .number(let d) = v, d.rounded() == d, abs(d) < 9.0e15 else { return nil }
        return Int64(d)
    }
}
