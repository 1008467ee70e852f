import Foundation
@testable import KPIService
import Testing

/// Hot topics (KP-5): what rises week over week and against the same week a year earlier.
@Suite struct HotTopicsTests {
    let zone = TimeZone(identifier: "Asia/Shanghai")!

    @Test func risingTopicsComeFirstWithTheirGrowth() {
        let topics = HotTopics.rank(current: ["heating": 30, "noise": 12, "roads": 12, "water": 5],
                                    previous: ["heating": 10, "noise": 12, "roads": 4, "water": 9],
                                    lastYear: ["heating": 25, "roads": 12]) { $0.uppercased() }
        // heating +20, roads +8, noise 0, water −4.
        #expect(topics.map(\.key) == ["heating", "roads", "noise", "water"])
        let heating = topics[0]
        #expect(heating.name == "HEATING" && heating.weekOverWeek == 2 && heating.yearOverYear == 0.2 && heating.sameWeekLastYear == 25)
        #expect(topics[2].yearOverYear == nil, "no requests a year earlier: no growth figure, not infinity")
        #expect(topics[3].weekOverWeek == -0.4444)
    }

    @Test func theSameWeekAYearEarlier() throws {
        // 2026 has 53 ISO weeks; 2025 has 52: week 53 of 2026 compares with week 52 of 2025.
        let w53 = try #require(HotTopics.week(2026, 53, zone: zone))
        let before = try #require(HotTopics.week(2025, 53, zone: zone))
        #expect(w53.to.timeIntervalSince(w53.from) == 7 * 86_400)
        #expect(before == KPICalculator.period("2025-W52", zone: zone))
        #expect(HotTopics.week(2026, 54, zone: zone) == nil)
    }
}
