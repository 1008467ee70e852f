import HotlineCore
import HotlineStreams

/// Reads a bus line without `JSONDecoder`: one pass of `JSONValueParser`, then the fields
/// picked out by hand. Every consumer decodes every event it follows through here, and the
/// `Decodable` path (an untyped payload decoded by trying each JSON type in turn) was the
/// largest cost of a busy consumer's reader thread.
extension BusFrame {
    public struct Malformed: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public static func decode(line: [UInt8]) throws -> BusFrame {
        let value: JSONValue
        do { value = try JSONValueParser.parse(line) } catch { throw Malformed(description: "not JSON at byte \(error.offset)") }
        guard case .object(let o) = value, case .string(let op)? = o["op"] else { throw Malformed(description: "no op") }
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
        if let heads = o["heads"], heads != .null {
            guard case .object(let entries) = heads else { throw Malformed(description: "heads is not an object") }
            frame.heads = try entries.mapValues { v in
                guard let n = wholeNumber(v) else { throw Malformed(description: "a head is not an integer") }
                return n
            }
        }
        if let events = o["events"], events != .null {
            guard case .array(let items) = events else { throw Malformed(description: "events is not an array") }
            frame.events = try items.map(event)
        }
        return frame
    }

    private static func strings(_ o: [String: JSONValue], _ key: String) throws -> [String]? {
        guard let value = o[key], value != .null else { return nil }
        guard case .array(let items) = value else { throw Malformed(description: "\(key) is not an array") }
        return try items.map { item in
            guard case .string(let s) = item else { throw Malformed(description: "\(key) holds a non-string") }
            return s
        }
    }

    private static func event(_ value: JSONValue) throws -> Event {
        guard case .object(let e) = value else { throw Malformed(description: "an event is not an object") }
        func required(_ key: String) throws -> String {
            guard let s = try string(e, key) else { throw Malformed(description: "an event lacks \(key)") }
            return s
        }
        guard let seq = try integer(e, "seq") else { throw Malformed(description: "an event lacks seq") }
        return Event(stream: try required("stream"), seq: seq, id: try required("id"), type: try required("type"),
                     ticket: try string(e, "ticket"), at: try required("at"), data: e["data"] ?? .null,
                     prev: try required("prev"), hash: try required("hash"))
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
