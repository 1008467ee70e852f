import Foundation
import HotlineCore
import HotlineDomain
import TestSupport
import Testing

@Suite struct CalendarAndSLATests {
    let config: CountyConfig
    let calendar: WorkingCalendar
    let zone = TimeZone(identifier: "Asia/Shanghai")!

    init() throws {
        config = try CountyConfig.load(directory: SampleCounty.directory)
        calendar = try WorkingCalendar(config.calendar)
    }

    private func day(_ s: String) -> Int { LocalDate.parse(s)! }
    private func at(_ s: String) -> Date { Timestamp.parse(s)! }

    @Test func statutoryHolidaysAndMakeUpDays() {
        #expect(calendar.isWorkingDay(day("2026-02-14")))  // Saturday, make-up working day
        #expect(!calendar.isWorkingDay(day("2026-02-16")))  // Monday, Spring Festival
        #expect(!calendar.isWorkingDay(day("2026-10-01")))
        #expect(calendar.isWorkingDay(day("2026-10-10")))  // Saturday, make-up
        #expect(!calendar.isWorkingDay(day("2026-11-22")))  // ordinary Sunday
        #expect(calendar.isWorkingDay(day("2026-11-23")))
        #expect(calendar.isWorkingDay(day("2025-09-28")))  // Sunday, make-up (2025)
        #expect(!calendar.isWorkingDay(day("2025-10-08")))
    }

    @Test func workingDayDeadlinesSkipHolidaysAndCountMakeUpDays() {
        let rule = DeadlineRule.workingDays(3)
        // Friday 2026-09-18: Sat no, Sun 9-20 make-up (1), Mon (2), Tue 9-22 (3) → end of 9-22 local.
        #expect(Timestamp.format(rule.deadline(from: at("2026-09-18T10:00:00+08:00"), calendar: calendar, zone: zone))
                == "2026-09-22T16:00:00.000Z")
        // Thursday 2026-09-24: 25–27 holiday; 28, 29, 30 → end of 9-30.
        #expect(Timestamp.format(rule.deadline(from: at("2026-09-24T09:00:00+08:00"), calendar: calendar, zone: zone))
                == "2026-09-30T16:00:00.000Z")
        // Received on a holiday: the start date is not counted either way.
        #expect(Timestamp.format(DeadlineRule.workingDays(1).deadline(from: at("2026-10-03T12:00:00+08:00"), calendar: calendar, zone: zone))
                == "2026-10-08T16:00:00.000Z")
        // Just before local midnight counts as that local day, not the UTC one.
        #expect(Timestamp.format(DeadlineRule.workingDays(1).deadline(from: at("2026-11-23T23:59:00+08:00"), calendar: calendar, zone: zone))
                == "2026-11-24T16:00:00.000Z")
    }

    @Test func otherRuleKinds() {
        let start = at("2026-11-23T23:00:00+08:00")
        #expect(Timestamp.format(DeadlineRule.parse("minutes(30)")!.deadline(from: start, calendar: calendar, zone: zone))
                == "2026-11-23T15:30:00.000Z")
        #expect(Timestamp.format(DeadlineRule.parse("days(5)")!.deadline(from: start, calendar: calendar, zone: zone))
                == "2026-11-28T16:00:00.000Z")
        // sameDay(2h) at 23:00 local: the end of the day is only an hour away, so the minimum wins.
        #expect(Timestamp.format(DeadlineRule.parse("sameDay(2h)")!.deadline(from: start, calendar: calendar, zone: zone))
                == "2026-11-23T17:00:00.000Z")
        #expect(Timestamp.format(DeadlineRule.parse("sameDay(2h)")!.deadline(from: at("2026-11-23T09:00:00+08:00"), calendar: calendar, zone: zone))
                == "2026-11-23T16:00:00.000Z")
        for bad in ["workingDays(0)", "hours(-1)", "weeks(2)", "days", "sameDay(x)"] { #expect(DeadlineRule.parse(bad) == nil) }
    }

    /// Parses are remembered (a bounded cache): the same text gives the same rule, or nil, every
    /// time, also after more distinct texts than the cache holds.
    @Test func parsesAreRememberedAndBounded() {
        for round in 0..<2 {
            for n in 1...600 {
                #expect(DeadlineRule.parse("minutes(\(n))") == .elapsed(Double(n) * 60), "round \(round)")
                #expect(DeadlineRule.parse(" days(\(n)) ") == .days(n))
                #expect(DeadlineRule.parse("weeks(\(n))") == nil)
            }
        }
    }

    @Test func mostSpecificPolicyWins() {
        func policy(_ channel: String, urgency: String = "normal", enterprise: Bool = false, utility: Bool = false) -> String? {
            config.sla.select(channel: channel, kind: "complaint", urgency: urgency, enterprise: enterprise, utility: utility,
                              channelDefault: config.channel(channel)!.defaultPolicy)?.id
        }
        #expect(policy("phone_12345") == "ordinary")
        #expect(policy("phone_12345", urgency: "emergency") == "emergency")
        #expect(policy("leader_board", urgency: "emergency") == "emergency")
        #expect(policy("leader_board") == "message_board")
        #expect(policy("wechat", utility: true) == "utility")
        #expect(policy("enterprise", enterprise: true) == "enterprise")
        #expect(policy("phone_12345", urgency: "urgent") == "act_on_receipt")
    }

    @Test func routingPrefersTheMostSpecificRegion() {
        let catalogue = ResponsibilityCatalogue(config.responsibilities)
        // Sanitation is the street's job: the grid's street decides.
        #expect(catalogue.route(category: "city.sanitation", regionCode: "330901003002004")?.leads == ["xicheng"])
        #expect(catalogue.route(category: "city.sanitation", regionCode: nil) == nil)
        // Subsistence aid: civil affairs leads, the street assists where the place is known.
        #expect(catalogue.route(category: "civil.subsistence", regionCode: "330901006001001")
                == ResponsibilityCatalogue.Decision(leads: ["civil"], assists: ["qingshan"]))
        #expect(catalogue.route(category: "civil.subsistence", regionCode: nil) == ResponsibilityCatalogue.Decision(leads: ["civil"], assists: []))
        #expect(catalogue.route(category: "other", regionCode: "330901001") == nil)
        // Wage arrears are handled jointly: the labour bureau and housing, each for its part.
        let wages = catalogue.rule(category: "labour.wage_arrears", regionCode: "330901001")
        #expect(wages?.mode == .joint)
        #expect(catalogue.route(category: "labour.wage_arrears", regionCode: nil) == ResponsibilityCatalogue.Decision(leads: ["hrss", "housing"], assists: []))
    }

    @Test func sampleCountyHasTheAdvertisedShape() {
        #expect(config.channels.count == 10)
        #expect(config.regions.filter { $0.level == "grid" }.count == 300)
        #expect(config.regions.filter { $0.level == "community" }.count == 60)
        #expect(config.units.count >= 40)
        #expect(config.categories.count >= 80)
    }

    @Test func brokenConfigurationIsRefusedWithTheFileNamed() throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in try FileManager.default.contentsOfDirectory(atPath: SampleCounty.directory) {
            try FileManager.default.copyItem(atPath: SampleCounty.directory + "/" + name, toPath: dir.path + "/" + name)
        }
        let path = dir.path + "/responsibilities.json"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\"lead\": \"civil\"", with: "\"lead\": \"nobody\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.self) { try CountyConfig.load(directory: dir.path) }
        do { _ = try CountyConfig.load(directory: dir.path) } catch let e as ConfigurationError {
            #expect(e.description.contains("responsibilities.json"))
        }
    }
}

@Suite struct KnowledgeBaseTests {
    @Test func findsChineseAnswersByMeaningfulOverlap() throws {
        let kb = KnowledgeBase(try CountyConfig.load(directory: SampleCounty.directory).knowledge)
        #expect(kb.search("暖气什么时候开始供暖").first?.id == "kb-020")
        #expect(kb.search("怎么交暖气费").first?.id == "kb-021")
        #expect(kb.search("结婚登记要带什么材料").first?.id == "kb-011")
        #expect(kb.search("12315").first?.id == "kb-025")
        #expect(kb.search("zzzz").isEmpty)
        #expect(kb.search("   ").isEmpty)
    }
}
