import Foundation
import HotlineCore
import HotlineDomain
import KPIService
import TestSupport
import Testing

/// The monthly report (KP-2, KP-4): kpi.md's ranking, letters to the bottom three, health
/// reports, and the same bytes from the same facts.
@Suite struct MonthlyReportTests {
    let zone = TimeZone(identifier: "Asia/Shanghai")!
    let county: CountyConfig
    init() throws { county = try CountyConfig.load(directory: SampleCounty.directory) }
    private func at(_ s: String) -> Date { Timestamp.parse(s)! }

    private func figures(composite: Double?, assignments: Int) -> [KPICalculator.Figure] {
        [KPICalculator.Figure(id: "assignments", value: Double(assignments), numerator: nil, denominator: nil, numeratorIDs: nil, denominatorIDs: nil),
         KPICalculator.Figure(id: "composite", value: composite, numerator: nil, denominator: nil, numeratorIDs: nil, denominatorIDs: nil)]
    }

    @Test func rankingFollowsKpiMd() {
        // Composite descending; a tie goes to more assignments, then the unit id; no composite
        // last; no assignment in the period: not ranked.
        let ranked = MonthlyReport.rank([
            "u1": figures(composite: 80, assignments: 3), "u2": figures(composite: 80, assignments: 5),
            "u3": figures(composite: nil, assignments: 2), "u4": figures(composite: 90, assignments: 1),
            "u5": figures(composite: 95, assignments: 0), "u0": figures(composite: 80, assignments: 3),
        ])
        #expect(ranked.map(\.unit) == ["u4", "u2", "u0", "u1", "u3"])
        #expect(ranked.map(\.rank) == [1, 2, 3, 4, 5])
    }

    /// Five units in October: each has one assignment per category it works, accepted and
    /// replied in time or not; the bottom three get letters to their heads.
    private func months() throws -> [MonthlyReport.Month] {
        let units = county.units.filter { $0.kind != "task_force" }.prefix(5).map(\.id)
        let categories = county.categories.prefix(2).map(\.id)
        var october = KPICalculator.Facts()
        for (n, unit) in units.enumerated() {
            for (c, category) in categories.enumerated() {
                // Unit n is late on its first n of ten assignments.
                for k in 0..<10 {
                    let id = "A-\(unit)-\(c)-\(k)"
                    let late = k < n * 2 && c == 0
                    october.assignments.append(KPICalculator.AssignmentRecord(
                        id: id, leadUnit: unit, dispatchedAt: at("2026-10-12T01:00:00Z"), responseDue: at("2026-10-12T03:00:00Z"),
                        replyDue: at("2026-10-15T16:00:00Z"), acceptedAt: at(late ? "2026-10-12T05:00:00Z" : "2026-10-12T02:00:00Z"),
                        repliedAt: late ? nil : at("2026-10-14T01:00:00Z"), attributes: ["category": category]))
                }
            }
        }
        october.backlog = october.assignments
        var september = KPICalculator.Facts()
        september.assignments = [KPICalculator.AssignmentRecord(
            id: "A-sep", leadUnit: units[0], dispatchedAt: at("2026-09-07T01:00:00Z"), responseDue: at("2026-09-07T03:00:00Z"),
            replyDue: at("2026-09-10T16:00:00Z"), acceptedAt: at("2026-09-07T02:00:00Z"), repliedAt: at("2026-09-08T01:00:00Z"))]
        return try ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"].map { label in
            MonthlyReport.Month(label: label, period: try #require(KPICalculator.period(label, zone: zone)),
                                facts: label == "2026-10" ? october : label == "2026-09" ? september : KPICalculator.Facts())
        }
    }

    @Test func reportRanksWarnsAndExamines() throws {
        let months = try months()
        let published = at("2026-11-03T16:00:00Z")
        let report = MonthlyReport.build(months: months, county: county, version: 1, publishedAt: published, trigger: "scheduled")
        let units = county.units.filter { $0.kind != "task_force" }.prefix(5).map(\.id)
        #expect(report.ranking.map(\.unit) == units, "fewer late assignments rank higher")
        #expect(report.ranking.first?.rates.composite == 100)
        // Letters to the bottom three, numbered in rank order, addressed to each unit's head.
        #expect(report.warningLetters.map(\.unit) == Array(units.suffix(3)))
        let last = try #require(report.warningLetters.last)
        let head = try #require(county.unit(last.unit)?.roles.head)
        #expect(last.addressee == head && last.rank == 5 && last.of == 5 && last.number == "提醒〔2026年10月〕第3号")
        #expect(last.text.contains("\(head)同志") && last.text.contains("排名第5位") && last.text.contains("月末超期未办结8件"), "\(last.text)")
        // Health report: six months of trend, the weakest category first, the overdue backlog.
        let health = try #require(report.healthReports.first { $0.unit == units[4] })
        #expect(health.trend.map(\.period) == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"])
        #expect(health.rank == 5 && health.overdueAssignments.count == 8)
        #expect(health.worstCategories.first?.category == county.categories.first?.id)
        let first = try #require(report.healthReports.first { $0.unit == units[0] })
        #expect(first.trend[4].rates.assignments == 1 && first.trend[4].rates.onTimeRate == 1 && first.trend[3].rates.composite == nil)
        // Figures of a past month are final.
        #expect(report.total.first { $0.id == "on_time_rate" }?.final == true)
    }

    @Test func sameFactsSameBytes() throws {
        let months = try months()
        let published = at("2026-11-03T16:00:00Z")
        func bytes(_ version: Int, _ m: [MonthlyReport.Month]) throws -> [UInt8] {
            try CanonicalJSON.bytes(try JSONValueEncoder.encode(MonthlyReport.build(months: m, county: county, version: version,
                                                                                    publishedAt: published, trigger: "scheduled")))
        }
        // The facts in another order give the same bytes.
        let shuffled = months.map { m in
            var f = m.facts
            f.assignments.reverse()
            f.backlog.shuffle()
            return MonthlyReport.Month(label: m.label, period: m.period, facts: f)
        }
        #expect(try bytes(1, months) == bytes(1, shuffled))
        #expect(try bytes(1, months) != bytes(2, months))
    }
}
