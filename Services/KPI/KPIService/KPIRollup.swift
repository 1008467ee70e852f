import FoundationEssentials
import HotlineCore
import HotlineDomain

/// Daily sums per lead unit (and per county for ticket figures) that let the service read a
/// unit × month figure or a whole ranking without loading the month's facts (P4).
///
/// Each fact entity — an assignment with its callback and return requests, or a ticket —
/// contributes a few counts to the local days its own dates fall on. The contribution is a
/// pure function of the entity's current facts, so keeping the sums right in any order is
/// "subtract what the entity contributed before this event, add what it contributes after"
/// (`KPIFacts.record`); the result depends only on the final facts, never on the order.
public enum KPIRollup {
    /// The counters, one column each in `k_rollup`.
    public enum Metric: String, CaseIterable, Sendable {
        case assigned, responseDue = "response_due", responseMet = "response_met", replyDue = "reply_due", replyMet = "reply_met"
        case replies, handlingMilliseconds = "handling_ms", reached, resolved, satisfied, returns
        case callbackDue = "callback_due", callbackMet = "callback_met", backlogEnter = "backlog_enter", backlogExit = "backlog_exit"
        case received, sameDayEligible = "same_day_eligible", sameDayMet = "same_day_met"
        /// Reopenings against a lead; the county's (unit "") counts each ticket's round once.
        case reopened
    }

    /// One count on one local day of one unit ("" for the county's ticket figures).
    public struct Cell: Hashable, Sendable {
        public let unit: String
        public let day: Int
        public let metric: Metric
    }

    public struct Assignment: Sendable, Equatable {
        /// Its ticket and round: whom a reopening of the next round counts against.
        public var ticket: String?
        public var round: Int?
        public var unit: String?
        public var dispatchedAt: Date?
        public var responseDue: Date?
        public var acceptedAt: Date?
        public var replyDue: Date?
        public var repliedAt: Date?
        public var approvedReturn = false
        public var escalatedAt: Date?
        public var callbackDue: Date?
        public var callbackCompletedAt: Date?
        public var callbackUnreachableAt: Date?
        public var reached = false
        public var resolved = false
        public var satisfaction: String?
        /// When each of its return requests was made.
        public var returnsRequestedAt: [Date] = []
        public init() {}
    }

    public struct Ticket: Sendable, Equatable {
        public var receivedAt: Date?
        public var isRepeat = false
        public var isInvalid = false
        public var firstReplyAt: Date?
        public var closedAtIntake = false
        public init() {}
    }

    /// A reopening of a ticket's round, and the leads whose replies in the round before failed.
    public struct Reopening: Sendable, Equatable {
        public var at: Date?
        public var leads: Set<String> = []
        public init() {}
    }

    public typealias Contribution = [Cell: Double]

    /// Once against each lead that replied in the round before, and once for the county.
    public static func contribution(_ r: Reopening, zone: TimeZone) -> Contribution {
        guard let at = r.at, !r.leads.isEmpty else { return [:] }
        let day = LocalDate.day(of: at, in: zone)
        var out: Contribution = [Cell(unit: "", day: day, metric: .reopened): 1]
        for lead in r.leads { out[Cell(unit: lead, day: day, metric: .reopened)] = 1 }
        return out
    }

    /// What an assignment adds, as `KPICalculator` counts it: nothing until its dispatch facts
    /// (unit and dispatch time) are in.
    public static func contribution(_ a: Assignment, zone: TimeZone) -> Contribution {
        guard let unit = a.unit, let dispatched = a.dispatchedAt else { return [:] }
        var out: Contribution = [:]
        func add(_ date: Date, _ metric: Metric, _ n: Double = 1) {
            out[Cell(unit: unit, day: LocalDate.day(of: date, in: zone), metric: metric), default: 0] += n
        }
        add(dispatched, .assigned)
        if !a.approvedReturn {
            // Deadline cohorts by the deadline's day; met when done at or before it.
            if let due = a.responseDue {
                add(due, .responseDue)
                if let done = a.acceptedAt, done <= due { add(due, .responseMet) }
            }
            if let due = a.replyDue {
                add(due, .replyDue)
                if let done = a.repliedAt, done <= due { add(due, .replyMet) }
                // Overdue backlog: in it once both dispatched and past the reply deadline,
                // until replied or escalated (KPICalculator's conditions at a moment).
                let enter = max(due, dispatched)
                let exit = [a.repliedAt, a.escalatedAt].compactMap { $0 }.min()
                if exit.map({ $0 > enter }) ?? true {
                    add(enter, .backlogEnter)
                    // An exit at a day's first instant is counted on the day before, so that
                    // "exited by the start of day D" is the sum over the days before D.
                    if let exit { add(exit.addingTimeInterval(-0.001), .backlogExit) }
                }
            }
            if let completed = a.callbackCompletedAt, a.reached {
                add(completed, .reached)
                if a.resolved { add(completed, .resolved) }
                if a.satisfaction == "satisfied" || a.satisfaction == "basic" { add(completed, .satisfied) }
            }
        }
        if let replied = a.repliedAt {
            add(replied, .replies)
            add(replied, .handlingMilliseconds, Double(KPICalculator.milliseconds(from: dispatched, to: replied)))
        }
        if let due = a.callbackDue {
            add(due, .callbackDue)
            let done = [a.callbackCompletedAt, a.callbackUnreachableAt].compactMap { $0 }.min()
            if let done, done <= due { add(due, .callbackMet) }
        }
        for at in a.returnsRequestedAt { add(at, .returns) }
        return out
    }

    /// What a ticket adds to the county's counts: received, and the same-day cohort.
    public static func contribution(_ t: Ticket, zone: TimeZone) -> Contribution {
        guard let received = t.receivedAt else { return [:] }
        let day = LocalDate.day(of: received, in: zone)
        var out: Contribution = [Cell(unit: "", day: day, metric: .received): 1]
        if !t.isRepeat && !t.isInvalid {
            out[Cell(unit: "", day: day, metric: .sameDayEligible)] = 1
            if t.closedAtIntake || t.firstReplyAt.map({ LocalDate.day(of: $0, in: zone) == day }) ?? false {
                out[Cell(unit: "", day: day, metric: .sameDayMet)] = 1
            }
        }
        return out
    }

    /// After − before: the counts to add to the stored sums.
    public static func delta(from before: Contribution, to after: Contribution) -> Contribution {
        var out = after
        for (cell, n) in before { out[cell, default: 0] -= n }
        return out.filter { $0.value != 0 }
    }
}
