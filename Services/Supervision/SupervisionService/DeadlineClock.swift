import FoundationEssentials
import HotlineCore
import HotlineDomain

/// Which policy applies and when each deadline falls: pure.
public enum SLA {
    /// One deadline as set: when it falls, by which policy and rule, and the years of the
    /// working-day calendar it had to reach into that `calendar.json` does not cover.
    public struct Deadline: Sendable, Equatable {
        public let which: String
        public let due: Date
        public let policy: String
        public let rule: String
        public let uncoveredYears: [Int]
    }

    /// The `which` of an assisting unit's response deadline.
    public static func assistWhich(_ unit: String) -> String { "assist:" + unit }

    /// The response and reply deadlines of an assignment dispatched at `dispatchedAt`.
    public static func deadlines(for d: TicketDispatched, dispatchedAt: Date, county: CountyConfig, calendar: WorkingCalendar,
                                 zone: TimeZone) throws -> [Deadline] {
        let utility = county.category(d.category)?.utility ?? false
        let channelDefault = county.channel(d.channel)?.defaultPolicy ?? "ordinary"
        guard let policy = county.sla.select(channel: d.channel, kind: d.kind, urgency: d.urgency, enterprise: d.enterprise,
                                             utility: utility, channelDefault: channelDefault),
            let response = DeadlineRule.parse(policy.response), let reply = DeadlineRule.parse(policy.reply)
        else { throw ConfigurationError("no SLA policy for channel \(d.channel)") }
        return [("response", response), ("reply", reply)].map { which, rule in
            deadline(which, rule, from: dispatchedAt, policy: policy.id, calendar: calendar, zone: zone)
        }
    }

    /// A deadline by `rule` from `start`.
    public static func deadline(_ which: String, _ rule: DeadlineRule, from start: Date, policy: String, calendar: WorkingCalendar,
                                zone: TimeZone) -> Deadline {
        let due = rule.deadline(from: start, calendar: calendar, zone: zone)
        var uncovered: [Int] = []
        if case .workingDays = rule {
            // Only working days need the calendar; every year they run through must be in it.
            uncovered = calendar.uncoveredYears(from: LocalDate.day(of: start, in: zone), through: LocalDate.day(of: due, in: zone) - 1)
        }
        return Deadline(which: which, due: due, policy: policy, rule: rule.description, uncoveredYears: uncovered)
    }
}

/// What happens to a deadline while it runs: a pause moves it, reminders fall before it. Pure.
public enum DeadlineClock {
    /// The due after a pause (一次告知) from `pausedAt` to `resumedAt` (SU-2): an elapsed-time
    /// rule (and a fixed due, such as an extension's) moves by the pause's length; a day rule
    /// moves by as many of its days (working days for a working-day rule) as lie from the
    /// pause's date to the resume's date, counting the resume's date and not the pause's.
    /// - Returns: the new due and the calendar years it reached into that are not covered.
    public static func resumed(due: Date, rule: DeadlineRule?, pausedAt: Date, resumedAt: Date, calendar: WorkingCalendar,
                               zone: TimeZone) -> (due: Date, uncoveredYears: [Int]) {
        guard resumedAt > pausedAt else { return (due, []) }
        let pauseDay = LocalDate.day(of: pausedAt, in: zone), resumeDay = LocalDate.day(of: resumedAt, in: zone)
        switch rule {
        case nil, .elapsed?:
            return (due.addingTimeInterval(resumedAt.timeIntervalSince(pausedAt)), [])
        case .days?, .sameDay?:
            return (due.addingTimeInterval(Double(resumeDay - pauseDay) * 86_400), [])
        case .workingDays?:
            let counted = resumeDay > pauseDay ? (pauseDay + 1...resumeDay).filter(calendar.isWorkingDay).count : 0
            guard counted > 0 else { return (due, calendar.uncoveredYears(from: pauseDay + 1, through: resumeDay)) }
            // The due is the end (24:00) of its last day; it moves to the end of the counted-th
            // working day after that day.
            let lastDay = LocalDate.day(of: due.addingTimeInterval(-1), in: zone)
            let newDay = calendar.workingDay(counted, after: lastDay)
            let years = Set(calendar.uncoveredYears(from: pauseDay + 1, through: resumeDay) + calendar.uncoveredYears(from: lastDay, through: newDay))
            return (LocalDate.end(of: newDay, in: zone), years.sorted())
        }
    }

    public enum ReminderKind: String, Sendable, CaseIterable {
        /// When 75% of the allowed time has passed.
        case threeQuarters = "three_quarters"
        /// One hour before a deadline that allows less than a day.
        case hourBefore = "hour_before"
    }

    /// When to remind of a deadline running from `start` to `due` (SU-3): at 75% of the allowed
    /// time, and one hour before for deadlines under a day; none that would fall at or before
    /// the start. In time order.
    public static func reminders(start: Date, due: Date) -> [(kind: ReminderKind, at: Date)] {
        let allowed = due.timeIntervalSince(start)
        guard allowed > 0 else { return [] }
        var out: [(ReminderKind, Date)] = [(.threeQuarters, start.addingTimeInterval(allowed * 0.75))]
        if allowed < 86_400, allowed > 3_600 { out.append((.hourBefore, due.addingTimeInterval(-3_600))) }
        return out.sorted { ($0.1, $0.0.rawValue) < ($1.1, $1.0.rawValue) }
    }
}
