import Foundation
import HotlineCore
import HotlineDomain
@testable import HotlineStreams
import Testing

/// The payloads that write their own canonical JSON must write exactly what their `Encodable`
/// form gives through Foundation's encoder and the canonical writer: the bytes are hashed into
/// the chain, and a consumer or an auditor recomputes that hash from a parsed value. Those
/// that read themselves must read, and refuse, what their `Decodable` form does.
@Suite struct EventPayloadCodingTests {
    /// Canonical bytes of what Foundation's encoder makes of the value: the reference.
    func reference<T: Encodable>(_ value: T) throws -> [UInt8] {
        try CanonicalJSON.bytes(try JSONValueParser.parse(Array(JSONEncoder().encode(value))))
    }

    func check<T: CanonicalJSONWritable>(_ value: T, _ comment: Comment) throws {
        let direct = CanonicalJSON.bytes(value)
        #expect(direct == (try reference(value)), comment)
        // As an event: the same text and value as the encoder's path, and a hash that verifies.
        let event = try NewEvent("test.event", ticket: "T1", value)
        #expect(Array(event.dataJSON.utf8) == direct, comment)
        let hash = Event.chainHash(prev: Event.genesisHash, stream: "s", seq: 1, id: "e1", type: event.type, ticket: "T1",
                                   at: "2026-11-22T01:00:00.000Z", dataJSON: event.dataJSON)
        let stored = event.stored(stream: "s", seq: 1, id: "e1", at: "2026-11-22T01:00:00.000Z", prev: Event.genesisHash, hash: hash)
        #expect(try stored.computedHash() == hash, comment)
        #expect(try stored.parsedData() == (try JSONCoding.value(value)), comment)
        #expect(try stored.canonicalJSON() == (try JSONCoding.bytes(stored)), comment)
    }

    /// Text that needs escaping, non-ASCII text and the empty string, in turn.
    static let texts = ["已处理 \"好\"\n\\ \u{1}", "", "plain"]

    /// The payloads that both write and read themselves, filled (`n` 0 and 2) or bare (1),
    /// with text that needs escaping, none, or plain text.
    static func payloads(_ n: Int) -> [(value: any CanonicalJSONWritable & JSONValueDecodable & Equatable, name: String)] {
        let text = texts[n]
        let full = n != 1
        let by = full ? ActedBy(staff: "u-\(text)", role: "unit") : nil
        return [
            (by ?? ActedBy(staff: "", role: ""), "acted by"),
            (DeadlineEvent(assignment: "A-\(text)", unit: "water_co", which: "reply", due: "2026-11-23T01:00:00.000Z", policy: text),
             "deadline"),
            (TicketDispatched(assignment: "A1", round: n + 1, tier: 2, mode: "joint", leadUnit: "water_co",
                              assistingUnits: full ? ["power_co", text] : [], by: "rule", channel: "app", kind: "complaint",
                              urgency: "normal", category: text, enterprise: full, jointLeads: full ? ["water_co", "nanhu"] : nil,
                              tags: full ? [text] : nil), "dispatched"),
            (AssignmentAccepted(assignment: "A1", unit: text, by: by), "accepted"),
            (TicketReplied(assignment: "A1", unit: "water_co", result: text, callerAnonymous: !full, by: by,
                           attachments: full ? ["https://x/1?a=\(text)"] : nil,
                           parts: full ? [.init(assignment: "A1", unit: "water_co", result: text, attachments: nil),
                                         .init(assignment: "A2", unit: "nanhu", result: "ok", attachments: ["u"])] : nil,
                           contributions: full ? [.init(unit: "power_co", text: text)] : nil), "replied"),
            (TicketReplied.Part(assignment: "A1", unit: "water_co", result: text, attachments: full ? [text] : nil), "part"),
            (TicketReplied.Contribution(unit: "power_co", text: text), "contribution"),
            (TicketClosed(how: text), "closed"),
            (TicketReopened(reason: text, round: 10_000_000 + n), "reopened"),
            (CallbackScheduled(assignment: "A1", due: "2026-11-24T01:00:00.000Z", kind: full ? "intake_sample" : nil), "scheduled"),
            (CallbackCompleted(assignment: "A1", resolved: full, satisfaction: "basic", comment: full ? text : nil,
                               kind: full ? "reply" : nil), "completed"),
        ]
    }

    @Test(arguments: [0, 1, 2])
    func hotPayloadsWriteTheirCanonicalBytes(_ n: Int) throws {
        for (value, name) in Self.payloads(n) { try check(value, Comment(rawValue: name)) }
        let text = Self.texts[n]
        let deadline = DeadlineEvent(assignment: "A-\(text)", unit: "water_co", which: "reply", due: "2026-11-23T01:00:00.000Z",
                                     policy: text)
        try check(DeadlineReminded(deadline: deadline, kind: "three_quarters", remindAt: "2026-11-22T19:00:00.000Z"), "reminded")
        try check(CallbackAttempted(assignment: text, attempt: n), "attempted")
    }

    /// An error's kind and where it points, to compare two decoders' refusals.
    func outline(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "not a DecodingError: \(error)" }
        func at(_ c: DecodingError.Context) -> String { c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }
        switch e {
        case .keyNotFound(let k, let c): return "keyNotFound \(k.stringValue) at \(at(c))"
        case .valueNotFound(_, let c): return "valueNotFound at \(at(c))"
        case .typeMismatch(_, let c): return "typeMismatch at \(at(c))"
        case .dataCorrupted(let c): return "dataCorrupted at \(at(c))"
        @unknown default: return "\(e)"
        }
    }

    /// The type's own `Decodable` through `JSONValueDecoder`, as consumers read payloads
    /// before (the decoder reads a `JSONValueDecodable` directly; this wrapper calls `init(from:)`).
    struct ViaDecodable<T: Decodable>: Decodable {
        let value: T
        init(from decoder: any Decoder) throws { value = try T(from: decoder) }
    }

    /// What the type's own `Decodable` and the hand-written reader make of `value`: the same
    /// result, and the same refusal when a member is missing, null or of another type, at the
    /// top or one level down.
    func checkReading<T: JSONValueDecodable & Encodable & Equatable>(_ value: T, _ comment: Comment) throws {
        let tree = try JSONCoding.value(value)
        #expect(try T(jsonValue: tree) == value, comment)
        #expect(try JSONValueDecoder.decode(T.self, from: tree) == value, comment)
        #expect(try JSONDecoder().decode(T.self, from: Data(CanonicalJSON.bytes(tree))) == value, comment)
        func outcome(_ read: () throws -> T) -> String {
            do { return try read() == value ? "equal" : "different" } catch { return outline(error) }
        }
        func compare(_ mutated: JSONValue, _ what: String) throws {
            let reference = outcome { try JSONValueDecoder.decode(ViaDecodable<T>.self, from: mutated).value }
            let direct = outcome { try T(jsonValue: mutated) }
            #expect(direct == reference, "\(comment) \(what)")
        }
        guard case .object(let members) = tree else { Issue.record("\(comment) is not an object"); return }
        for (key, member) in members {
            var without = members
            without[key] = nil
            try compare(.object(without), "without \(key)")
            try compare(.object(members.merging([key: .null]) { $1 }), "\(key) null")
            let wrong: JSONValue = if case .bool = member { .string("yes") } else { .bool(true) }
            try compare(.object(members.merging([key: wrong]) { $1 }), "\(key) of another type")
            if case .number(let n) = member { try compare(.object(members.merging([key: .number(n + 0.5)]) { $1 }), "\(key) not whole") }
            if case .array(let items) = member, let first = items.first {
                let wrongItem: JSONValue = if case .string = first { .number(1) } else { .string("x") }
                try compare(.object(members.merging([key: .array(items + [wrongItem])]) { $1 }), "\(key) with a wrong item")
            }
            if case .object(let inner) = member, let innerKey = inner.keys.sorted().first {
                var broken = inner
                broken[innerKey] = .array([])
                try compare(.object(members.merging([key: .object(broken)]) { $1 }), "\(key).\(innerKey) of another type")
            }
        }
        try compare(.array([tree]), "not an object")
    }

    @Test(arguments: [0, 1, 2])
    func hotPayloadsReadThemselvesAsTheirDecodableDoes(_ n: Int) throws {
        for (value, name) in Self.payloads(n) { try checkReading(value, Comment(rawValue: name)) }
        let text = Self.texts[n]
        let full = n != 1
        try checkReading(TicketLocation(address: full ? text : nil, region: "330100001001", latitude: full ? 30.1 : nil, longitude: nil),
                         "location")
        try checkReading(TicketReceived.MaskedCaller(name: full ? "王*" : nil, phone: nil, phoneHash: full ? text : nil, anonymous: !full),
                         "caller")
        try checkReading(TicketReceived(
            channel: "app", channelRef: "r-\(text)", kind: "complaint", domain: "city", category: "city.sanitation", urgency: "normal",
            content: text, location: .init(address: full ? "青山路 \(text)" : nil, region: full ? "330100001001" : nil,
                                           latitude: full ? 30.1 : nil, longitude: full ? 120.25 : nil),
            enterprise: full, tags: full ? ["a", text] : [],
            caller: .init(name: full ? "王*" : nil, phone: full ? "138****0001" : nil, phoneHash: full ? "ab" : nil, anonymous: !full),
            receivedAt: "2026-11-22T01:00:00.000Z", repeatOf: full ? "T20261122-0000001aaaaaaaaa" : nil,
            closedAtIntake: full ? true : nil), "received")
    }

    @Test func otherPayloadsStillGoThroughTheirValue() throws {
        let event = try NewEvent("ticket.closed_at_intake", ticket: "T1", TicketQueued(reason: "无"))
        #expect(event.value == (try JSONCoding.value(TicketQueued(reason: "无"))))
        let direct = try NewEvent("ticket.closed", ticket: "T1", TicketClosed(how: "callback"))
        #expect(direct.value == nil && direct.dataJSON == #"{"how":"callback"}"#)
    }
}
