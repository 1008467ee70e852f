import Foundation
import HotlineCore
import HotlineDomain
import SurveyService
import TestSupport
import Testing

/// The callback's decisions without I/O (CB-1, CB-2, CB-4).
@Suite struct CallbackRulesTests {
    typealias R = CallbackRules
    let policy = R.Policy(maxAttempts: 3, spacing: 7_200, claim: 900)
    let t0 = Timestamp.parse("2026-11-23T02:00:00Z")!

    @Test func reachedCompletesWhateverTheAttemptsBefore() {
        #expect(R.record(.init(status: .scheduled), .reached(resolved: true, satisfaction: "satisfied"), by: "a", at: t0, policy: policy)
                == .success(.completed(attempts: 1)))
        let tried = R.State(status: .scheduled, attempts: 2, lastAttemptAt: t0)
        #expect(R.record(tried, .reached(resolved: false, satisfaction: "unsatisfied"), by: "a", at: t0.addingTimeInterval(60), policy: policy)
                == .success(.completed(attempts: 3)), "reaching the citizen needs no spacing")
    }

    @Test func failedAttemptsAreSpacedAndEndUnreachable() {
        #expect(R.record(.init(status: .scheduled), .notReached, by: "a", at: t0, policy: policy)
                == .success(.attempted(attempt: 1, nextAt: t0.addingTimeInterval(7_200))))
        let once = R.State(status: .scheduled, attempts: 1, lastAttemptAt: t0)
        #expect(R.record(once, .notReached, by: "a", at: t0.addingTimeInterval(3_600), policy: policy)
                == .failure(.tooSoon(next: t0.addingTimeInterval(7_200))))
        #expect(R.record(once, .notReached, by: "a", at: t0.addingTimeInterval(7_200), policy: policy)
                == .success(.attempted(attempt: 2, nextAt: t0.addingTimeInterval(14_400))))
        let twice = R.State(status: .scheduled, attempts: 2, lastAttemptAt: t0)
        #expect(R.record(twice, .notReached, by: "a", at: t0.addingTimeInterval(7_200), policy: policy) == .success(.unreachable(attempts: 3)))
    }

    @Test func closedCallbacksAndOthersClaimsRefuse() {
        for status in [R.Status.completed, .unreachable] {
            #expect(R.record(.init(status: status), .notReached, by: "a", at: t0, policy: policy) == .failure(.closed(status)))
            #expect(R.claim(.init(status: status), by: "a", at: t0, policy: policy) == .failure(.closed(status)))
        }
        let held = R.State(status: .scheduled, claimedBy: "b", claimExpiresAt: t0.addingTimeInterval(600))
        #expect(R.record(held, .notReached, by: "a", at: t0, policy: policy) == .failure(.claimed(by: "b", until: t0.addingTimeInterval(600))))
        #expect(R.claim(held, by: "a", at: t0, policy: policy) == .failure(.claimed(by: "b", until: t0.addingTimeInterval(600))))
        #expect(R.claim(held, by: "b", at: t0, policy: policy) == .success(t0.addingTimeInterval(900)), "the holder extends its claim")
        #expect(R.claim(held, by: "a", at: t0.addingTimeInterval(600), policy: policy) == .success(t0.addingTimeInterval(1_500)), "an expired claim is free")
        #expect(R.record(held, .notReached, by: "b", at: t0, policy: policy) == .success(.attempted(attempt: 1, nextAt: t0.addingTimeInterval(7_200))))
    }

    @Test func dueTwoWorkingDaysAfterTheReply() throws {
        let calendar = try WorkingCalendar(try CountyConfig.load(directory: SampleCounty.directory).calendar)
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        // Replied on the eve of National Day: Oct 8 and 9 are the two working days.
        #expect(Timestamp.format(R.due(repliedAt: Timestamp.parse("2026-09-30T10:00:00+08:00")!, rule: .workingDays(2), calendar: calendar,
                                       zone: zone)) == "2026-10-09T16:00:00.000Z")
    }

    @Test func intakeSamplesFollowTheTicketIdNearTheRate() {
        let picked = (0..<10_000).filter { R.isSampled(ticket: "T20261123-\($0)", rate: 0.1) }.count
        #expect((800...1200).contains(picked))
        #expect(R.isSampled(ticket: "T1", rate: 1) && !R.isSampled(ticket: "T1", rate: 0))
    }
}
