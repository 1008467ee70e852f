import Foundation
import HotlineCore
import HotlineDomain
import HotlineStreams
@testable import KPIService
import Testing

/// An approved extension (DI-4) moves the reply deadline: supervision announces the new one
/// with a later `deadline.set`, and the on-time rate judges the reply against it — in the
/// cohort of the month the new deadline falls in.
@Suite struct KPIExtensionTests {
    let zone = TimeZone(identifier: "Asia/Shanghai")!

    @Test func theExtendedDeadlineIsTheOneThatCounts() throws {
        func item(_ type: String, _ at: String, _ payload: some Encodable) throws -> EventChain.Item {
            EventChain.Item(type: type, ticket: "T1", at: at, data: try JSONValueEncoder.encode(payload))
        }
        let dispatch = try EventChain.build(stream: "dispatch", [
            try item(EventType.ticketDispatched, "2026-11-26T01:00:00.000Z", TicketDispatched(
                assignment: "A1", round: 1, tier: 2, mode: "single", leadUnit: "xicheng", assistingUnits: [], by: "rule", channel: "phone_12345",
                kind: "complaint", urgency: "normal", category: "city.sanitation", enterprise: false)),
            // Replied after the first deadline (Nov 30, end of day) but before the extended one.
            try item(EventType.ticketReplied, "2026-12-02T03:00:00.000Z", TicketReplied(assignment: "A1", unit: "xicheng", result: "已处理",
                                                                                       callerAnonymous: false)),
        ])
        let supervision = try EventChain.build(stream: "supervision", [
            try item(EventType.deadlineSet, "2026-11-26T01:00:00.000Z", DeadlineEvent(
                assignment: "A1", unit: "xicheng", which: "reply", due: "2026-11-30T16:00:00.000Z", policy: "ordinary")),
            try item(EventType.deadlineSet, "2026-11-28T01:00:00.000Z", DeadlineEvent(
                assignment: "A1", unit: "xicheng", which: "reply", due: "2026-12-03T16:00:00.000Z", policy: "ordinary")),
        ])
        let november = try #require(KPICalculator.period("2026-11", zone: zone))
        let december = try #require(KPICalculator.period("2026-12", zone: zone))
        let now = Timestamp.parse("2026-12-10T00:00:00Z")!
        // Supervision's stream before or after dispatch's: the same answer.
        for order in [[supervision, dispatch], [dispatch, supervision]] {
            var ledger = FactLedger()
            for stream in order { for e in stream { for c in try KPIFacts.changes(e) { ledger.apply(c) } } }
            let onTime = { (p: KPICalculator.Period) in
                KPICalculator.figures(period: p, unit: "xicheng", now: now, ledger.facts(p, now: now)).first { $0.id == "on_time_rate" }!
            }
            #expect(onTime(november).denominator == 0, "the first deadline no longer counts")
            #expect(onTime(december).numeratorIDs == ["A1"] && onTime(december).value == 1, "replied by the extended deadline")
        }
    }
}
