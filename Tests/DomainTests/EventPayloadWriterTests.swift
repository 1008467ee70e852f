import Foundation
import HotlineCore
import HotlineDomain
@testable import HotlineStreams
import Testing

/// The payloads that write their own canonical JSON must write exactly what their `Encodable`
/// form gives through Foundation's encoder and the canonical writer: the bytes are hashed into
/// the chain, and a consumer or an auditor recomputes that hash from a parsed value.
@Suite struct EventPayloadWriterTests {
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
        #expect(event.data == (try JSONCoding.value(value)), comment)
        let hash = Event.chainHash(prev: Event.genesisHash, stream: "s", seq: 1, id: "e1", type: event.type, ticket: "T1",
                                   at: "2026-11-22T01:00:00.000Z", dataJSON: event.dataJSON)
        let stored = event.stored(stream: "s", seq: 1, id: "e1", at: "2026-11-22T01:00:00.000Z", prev: Event.genesisHash, hash: hash)
        #expect(try stored.computedHash() == hash, comment)
        #expect(try stored.canonicalJSON() == (try JSONCoding.bytes(stored)), comment)
    }

    /// Text that needs escaping, non-ASCII text and the empty string, in turn.
    static let texts = ["已处理 \"好\"\n\\ \u{1}", "", "plain"]

    @Test(arguments: [0, 1, 2])
    func hotPayloadsWriteTheirCanonicalBytes(_ n: Int) throws {
        let text = Self.texts[n]
        let full = n != 1
        let by = full ? ActedBy(staff: "u-\(text)", role: "unit") : nil
        let deadline = DeadlineEvent(assignment: "A-\(text)", unit: "water_co", which: "reply", due: "2026-11-23T01:00:00.000Z",
                                     policy: text)
        try check(deadline, "deadline")
        try check(DeadlineReminded(deadline: deadline, kind: "three_quarters", remindAt: "2026-11-22T19:00:00.000Z"), "reminded")
        try check(TicketDispatched(assignment: "A1", round: n + 1, tier: 2, mode: "joint", leadUnit: "water_co",
                                   assistingUnits: full ? ["power_co", text] : [], by: "rule", channel: "app", kind: "complaint",
                                   urgency: "normal", category: text, enterprise: full, jointLeads: full ? ["water_co", "nanhu"] : nil,
                                   tags: full ? [text] : nil), "dispatched")
        try check(AssignmentAccepted(assignment: "A1", unit: text, by: by), "accepted")
        try check(TicketReplied(assignment: "A1", unit: "water_co", result: text, callerAnonymous: !full, by: by,
                                attachments: full ? ["https://x/1?a=\(text)"] : nil,
                                parts: full ? [.init(assignment: "A1", unit: "water_co", result: text, attachments: nil),
                                              .init(assignment: "A2", unit: "nanhu", result: "ok", attachments: ["u"])] : nil,
                                contributions: full ? [.init(unit: "power_co", text: text)] : nil), "replied")
        try check(TicketClosed(how: text), "closed")
        try check(TicketReopened(reason: text, round: 10_000_000 + n), "reopened")
        try check(CallbackScheduled(assignment: "A1", due: "2026-11-24T01:00:00.000Z", kind: full ? "intake_sample" : nil), "scheduled")
        try check(CallbackAttempted(assignment: text, attempt: n), "attempted")
        try check(CallbackCompleted(assignment: "A1", resolved: full, satisfaction: "basic", comment: full ? text : nil,
                                    kind: full ? "reply" : nil), "completed")
    }

    @Test func otherPayloadsStillGoThroughTheirValue() throws {
        let event = try NewEvent("ticket.closed_at_intake", ticket: "T1", TicketQueued(reason: "无"))
        #expect(event.value == (try JSONCoding.value(TicketQueued(reason: "无"))))
        let direct = try NewEvent("ticket.closed", ticket: "T1", TicketClosed(how: "callback"))
        #expect(direct.value == nil && direct.data == .object(["how": .string("callback")]))
    }
}
