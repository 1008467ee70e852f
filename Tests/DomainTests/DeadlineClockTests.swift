import Foundation
import HotlineCore
import HotlineDomain
import SupervisionService
import TestSupport
import Testing

/// Deadline arithmetic after it is set (SU-2, SU-3): pauses on the 2025–2026 calendar,
/// reminders, and the years `calendar.json` does not cover.
@Suite struct DeadlineClockTests {
    let calendar: WorkingCalendar
    let zone = TimeZone(identifier: "Asia/Shanghai")!

    init() throws { calendar = try WorkingCalendar(try CountyConfig.load(directory: SampleCounty.directory).calendar) }

    private func at(_ s: String) -> Date { Timestamp.parse(s)! }

    private func resumed(_ due: String, _ rule: String?, _ paused: String, _ resumed: String) -> String {
        Timestamp.format(DeadlineClock.resumed(due: at(due), rule: rule.flatMap(DeadlineRule.parse), pausedAt: at(paused),
                                               resumedAt: at(resumed), calendar: calendar, zone: zone).due)
    }

    @Test func workingDaysRunThroughNationalDayToTheMakeUpSaturday() {
        let d = SLA.deadline("reply", .workingDays(3), from: at("2026-09-30T10:00:00+08:00"), policy: "ordinary", calendar: calendar, zone: zone)
        // Oct 1–7 are holidays; Thu 8, Fri 9 and the make-up Saturday 10 are the three working days.
        #expect(Timestamp.format(d.due) == "2026-10-10T16:00:00.000Z" && d.uncoveredYears.isEmpty && d.rule == "workingDays(3)")
    }

    @Test func aDeadlineAcrossTheYearEndUsesBothYears() {
        // Wed Dec 31 works; Jan 1–3, 2026 are holidays; Sunday Jan 4 is a make-up day; then Monday.
        let d = SLA.deadline("reply", .workingDays(3), from: at("2025-12-30T15:00:00+08:00"), policy: "ordinary", calendar: calendar, zone: zone)
        #expect(Timestamp.format(d.due) == "2026-01-05T16:00:00.000Z" && d.uncoveredYears.isEmpty)
    }

    @Test func aDeadlineIntoAYearTheCalendarLacksSaysSo() {
        let d = SLA.deadline("reply", .workingDays(3), from: at("2026-12-30T10:00:00+08:00"), policy: "ordinary", calendar: calendar, zone: zone)
        #expect(d.uncoveredYears == [2027])
        #expect(SLA.deadline("reply", .elapsed(7200), from: at("2026-12-31T23:00:00+08:00"), policy: "x", calendar: calendar, zone: zone)
                    .uncoveredYears.isEmpty, "an elapsed rule needs no calendar")
    }

    @Test func aPauseMovesAnElapsedOrFixedDueByItsLength() {
        #expect(resumed("2026-11-30T12:00:00Z", "hours(4)", "2026-11-30T10:00:00Z", "2026-11-30T10:45:00Z") == "2026-11-30T12:45:00.000Z")
        #expect(resumed("2026-12-04T10:00:00Z", nil, "2026-11-30T10:00:00Z", "2026-12-01T10:00:00Z") == "2026-12-05T10:00:00.000Z",
                "an extension's fixed due")
    }

    @Test func aPauseMovesADayRuleByTheDaysFromPauseDateToResumeDate() {
        // Paused Wednesday 25th, resumed Friday 27th: the 26th and the 27th count.
        #expect(resumed("2026-11-30T16:00:00Z", "days(5)", "2026-11-25T15:00:00+08:00", "2026-11-27T09:00:00+08:00") == "2026-12-02T16:00:00.000Z")
    }

    @Test func aPauseMovesAWorkingDayRuleByItsWorkingDays() {
        // Due end of Fri 27 Nov; paused Wed 25, resumed Mon 30: Thu 26, Fri 27, Mon 30 count (not the weekend).
        #expect(resumed("2026-11-27T16:00:00Z", "workingDays(3)", "2026-11-25T15:00:00+08:00", "2026-11-30T09:00:00+08:00")
                == "2026-12-02T16:00:00.000Z")
        // Across National Day: Sep 30 and Oct 8 count; the due (end of Oct 9) moves to the make-up Saturday 10 and Monday 12.
        #expect(resumed("2026-10-09T16:00:00Z", "workingDays(3)", "2026-09-29T10:00:00+08:00", "2026-10-08T09:00:00+08:00")
                == "2026-10-12T16:00:00.000Z")
        // Resumed on the pause's own date: nothing to count.
        #expect(resumed("2026-11-27T16:00:00Z", "workingDays(3)", "2026-11-25T09:00:00+08:00", "2026-11-25T17:00:00+08:00")
                == "2026-11-27T16:00:00.000Z")
        // Paused over the Spring Festival (Feb 15–23, 2026): the make-up Saturday 14, Tue 24 and Wed 25 count.
        #expect(resumed("2026-02-13T16:00:00Z", "workingDays(2)", "2026-02-13T10:00:00+08:00", "2026-02-25T10:00:00+08:00")
                == "2026-02-25T16:00:00.000Z")
    }

    @Test func remindersAtThreeQuartersAndAnHourBeforeShortDeadlines() {
        let start = at("2026-11-30T00:00:00Z")
        let short = DeadlineClock.reminders(start: start, due: start.addingTimeInterval(7200))
        #expect(short.map(\.kind) == [.hourBefore, .threeQuarters])
        #expect(short.map { Timestamp.format($0.at) } == ["2026-11-30T01:00:00.000Z", "2026-11-30T01:30:00.000Z"])
        let long = DeadlineClock.reminders(start: start, due: start.addingTimeInterval(3 * 86_400))
        #expect(long.map(\.kind) == [.threeQuarters] && long.first.map { Timestamp.format($0.at) } == "2026-12-02T06:00:00.000Z")
        #expect(DeadlineClock.reminders(start: start, due: start.addingTimeInterval(1800)).map(\.kind) == [.threeQuarters],
                "an hour before a 30-minute deadline is before it starts")
        #expect(DeadlineClock.reminders(start: start, due: start).isEmpty)
    }
}

/// `calendar.json` is checked at start (SU-1): real dates of their year, no day both a holiday
/// and a make-up day, complete years.
@Suite struct CalendarValidationTests {
    private func calendar(_ json: String) throws -> WorkingCalendar {
        try WorkingCalendar(try JSONDecoder().decode(CalendarConfig.self, from: Data(json.utf8)))
    }

    private func refusal(_ json: String) -> String {
        do {
            _ = try calendar(json)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func theSampleCalendarLoads() throws {
        let c = try WorkingCalendar(try CountyConfig.load(directory: SampleCounty.directory).calendar)
        #expect(c.knownYears == [2025, 2026])
        #expect(c.uncoveredYears(from: LocalDate.parse("2026-12-30")!, through: LocalDate.parse("2027-01-04")!) == [2027])
    }

    @Test func badCalendarsAreRefusedWithTheReason() {
        #expect(refusal(#"{"years":{"2026":{"holidays":["2026-02-30"],"workdays":[]}}}"#).contains("2026-02-30 is not a date in 2026"))
        #expect(refusal(#"{"years":{"2026":{"holidays":["2025-10-01"],"workdays":[]}}}"#).contains("is not a date in 2026"))
        #expect(refusal(#"{"years":{"2026":{"holidays":["2026-10-10"],"workdays":["2026-10-10"]}}}"#).contains("both a holiday and a working day"))
        #expect(refusal(#"{"years":{"2024":{"holidays":["2024-01-01"],"workdays":[]},"2026":{"holidays":["2026-01-01"],"workdays":[]}}}"#)
                    .contains("lack 2025"))
        #expect(refusal(#"{"years":{"2026":{"holidays":[],"workdays":[]}}}"#).contains("lists no holidays"))
        #expect(refusal(#"{"years":{"2026":{"holidays":["2026-01-01","2026-01-01"],"workdays":[]}}}"#).contains("listed twice"))
        #expect(refusal(#"{"years":{"2026":{"holidays":["2026-01-01"],"workdays":["2026-10-09"]}}}"#).contains("is a weekday"))
        #expect(refusal(#"{"years":{"2026":{"holidays":["2026-01-01"],"workdays":["2026-10-10"]}}}"#) == "accepted")
    }
}

/// The five-level ladder (SU-4): addressees from the directory, letters at 3 and 5, the
/// escalation at 4, one working day between levels.
@Suite struct LadderTests {
    let county: CountyConfig
    let calendar: WorkingCalendar
    let zone = TimeZone(identifier: "Asia/Shanghai")!

    init() throws {
        county = try CountyConfig.load(directory: SampleCounty.directory)
        calendar = try WorkingCalendar(county.calendar)
    }

    @Test func eachLevelIsAddressedToTheRightPerson() throws {
        let unit = try #require(county.unit("xicheng")), taskForce = county.unit("county_taskforce")
        let steps = (1...5).compactMap { Ladder.step($0, unit: unit, taskForce: taskForce) }
        #expect(steps.map(\.addressee.role) == ["handler", "unit", "head", "task_force", "county_leader"])
        #expect(steps[0].addressee.name == unit.roles.handler && steps[2].addressee.name == unit.roles.head)
        #expect(steps[4].addressee.name == unit.roles.countyLeader && steps[3].addressee.unit == "county_taskforce")
        #expect(steps.map(\.letter) == [nil, nil, .supervisionLetter, nil, .oneCaseReport])
        #expect(steps.map(\.escalates) == [false, false, false, true, false])
        #expect(Ladder.step(0, unit: unit, taskForce: taskForce) == nil && Ladder.step(6, unit: unit, taskForce: taskForce) == nil)
        #expect(Ladder.number(.supervisionLetter, year: 2026, sequence: 3) == "督办〔2026〕3号")
    }

    @Test func oneWorkingDayBetweenLevels() {
        func next(_ s: String) -> String {
            Timestamp.format(Ladder.next(after: Timestamp.parse(s)!, interval: .workingDays(1), calendar: calendar, zone: zone))
        }
        // Missed at Thursday's end: the next level at Friday's end.
        #expect(next("2026-11-26T16:00:00Z") == "2026-11-27T16:00:00.000Z")
        // From Friday's end over the weekend to Monday's end.
        #expect(next("2026-11-27T16:00:00Z") == "2026-11-30T16:00:00.000Z")
        // From the eve of National Day to the first working day after it.
        #expect(next("2026-09-30T16:00:00Z") == "2026-10-08T16:00:00.000Z")
        #expect(Timestamp.format(Ladder.next(after: Timestamp.parse("2026-11-27T03:00:00Z")!, interval: .elapsed(7200), calendar: calendar,
                                             zone: zone)) == "2026-11-27T05:00:00.000Z")
    }
}

/// Hotspot early warning (SU-5): place keys, levels, addressees.
@Suite struct HotspotTests {
    let county: CountyConfig
    init() throws { county = try CountyConfig.load(directory: SampleCounty.directory) }

    @Test func levelsFromThreeTenAndOverTwenty() {
        #expect([1, 2, 3, 9, 10, 20, 21].map { Hotspots.level($0)?.rawValue ?? "-" } == ["-", "-", "deputy", "deputy", "head", "head", "county"])
    }

    @Test func aGridOrANormalisedAddressIsThePlace() {
        #expect(Hotspots.placeKey(region: "330901003002004", address: "x", county: county) == "grid:330901003002004")
        // A street is not a place: the address decides, whatever its width, case and punctuation.
        let a = Hotspots.placeKey(region: "330901003", address: "幸福路 12 号（东门）", county: county)
        let b = Hotspots.placeKey(region: nil, address: "幸福路１２号东门", county: county)
        #expect(a != nil && a == b)
        #expect(Hotspots.placeKey(region: nil, address: "  ", county: county) == nil)
        #expect(Hotspots.placeKey(region: nil, address: nil, county: county) == nil)
    }

    /// Place keys are stored: the key the services make now (ICU's NFKC, general categories)
    /// is the one Foundation's `precomposedStringWithCompatibilityMapping` and `CharacterSet`
    /// made, so clusters started before the change go on.
    @Test func placeKeysAreThoseFoundationMade() {
        func foundationKey(_ address: String) -> String? {
            let folded = address.precomposedStringWithCompatibilityMapping.lowercased()
            let kept = folded.unicodeScalars.filter { CharacterSet.letters.contains($0) || CharacterSet.decimalDigits.contains($0) }
            return kept.count >= 4 ? "address:" + String(String.UnicodeScalarView(kept)) : nil
        }
        let addresses = ["幸福路 12 号（东门）", "幸福路１２号东门", "ＡＢＣ小区３栋", "①号楼 ②单元", "Ⅻ区 ｶﾀｶﾅ 5-2", "Café 路 ３号",
                         "⼈民路 8 号", "兀ﾞ路", "ﬁne ﬂat 12", "㈠街道 ㎡", "  ", "a1", "丰乐小区 3栋2单元501室", "\u{1F3E0} 家 99 号",
                         "e\u{0301}cole 7 rue", "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ"]
        for address in addresses {
            #expect(Hotspots.placeKey(region: nil, address: address, county: county) == foundationKey(address), "\(address)")
        }
    }

    @Test func oncePerLevelInASlidingWindow() {
        let t = Timestamp.parse("2026-11-23T10:00:00Z")!
        let day = 86_400.0
        #expect(Hotspots.inWindow(t.addingTimeInterval(-day + 1), at: t, window: day))
        #expect(!Hotspots.inWindow(t.addingTimeInterval(-day), at: t, window: day), "the window's start is open")
        #expect(!Hotspots.inWindow(t.addingTimeInterval(1), at: t, window: day))
        #expect(Hotspots.shouldAlert(lastAlertOfLevel: nil, at: t, window: day))
        #expect(!Hotspots.shouldAlert(lastAlertOfLevel: t.addingTimeInterval(-3600), at: t, window: day))
        #expect(Hotspots.shouldAlert(lastAlertOfLevel: t.addingTimeInterval(-day), at: t, window: day))
    }

    @Test func theLeadUnitsPeopleHearOfIt() throws {
        let unit = try #require(county.unit("xicheng"))
        #expect(Hotspots.addressee(.deputy, unit: unit).name == unit.roles.deputyHead)
        #expect(Hotspots.addressee(.head, unit: unit).name == unit.roles.head)
        #expect(Hotspots.addressee(.county, unit: unit).role == "county_leader")
    }
}

/// The spot-check sample (SU-7): by ISO week, deterministic, near the configured rate.
@Suite struct SpotCheckSampleTests {
    @Test func isoWeeksStartOnMonday() {
        let week = { (s: String) in SpotCheckSample.isoWeek(LocalDate.parse(s)!) }
        #expect(week("2026-11-30") == "2026-W49" && week("2026-11-29") == "2026-W48")
        #expect(week("2027-01-01") == "2026-W53" && week("2025-12-29") == "2026-W01")
    }

    @Test func theSampleIsDeterministicAndNearTheRate() {
        let picked = (0..<10_000).filter { SpotCheckSample.isSampled(ticket: "T\($0)", unit: "xicheng", week: "2026-W48", rate: 0.1) }
        #expect((800...1200).contains(picked.count), "\(picked.count)")
        #expect(picked == (0..<10_000).filter { SpotCheckSample.isSampled(ticket: "T\($0)", unit: "xicheng", week: "2026-W48", rate: 0.1) })
        #expect(!SpotCheckSample.isSampled(ticket: "T1", unit: "xicheng", week: "2026-W48", rate: 0)
                && SpotCheckSample.isSampled(ticket: "T1", unit: "xicheng", week: "2026-W48", rate: 1))
    }
}
