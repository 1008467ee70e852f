import FoundationEssentials
import HotlineCore
import HotlineDomain

/// The five-level escalation ladder for an unreplied ticket (SU-4), as pure functions: who
/// each level is addressed to, what it issues, and when the next level is due.
public enum Ladder {
    public static let top = 5

    public enum LetterKind: String, Sendable, Codable {
        /// 督办函, to the unit's head (level 3).
        case supervisionLetter = "supervision_letter"
        /// 一事一报, to the county leader in charge (level 5).
        case oneCaseReport = "one_case_report"
    }

    /// Who a level is addressed to (role, person, unit), as the event carries it.
    public typealias Addressee = LevelRaised.Addressee

    public struct Step: Sendable, Equatable {
        public let level: Int
        public let addressee: Addressee
        /// A document issued with the level (levels 3 and 5).
        public let letter: LetterKind?
        /// Level 4: the task force visits, and dispatch escalates the ticket one tier.
        public let escalates: Bool
    }

    /// Level `level` for work of `unit`: 1 a reminder to its handler, 2 the centre's urging to
    /// the unit, 3 a supervision letter to its head, 4 a task-force visit (dispatch escalates),
    /// 5 a one-case report to the county leader in charge. nil outside 1…5.
    public static func step(_ level: Int, unit: CountyConfig.Unit, taskForce: CountyConfig.Unit?) -> Step? {
        switch level {
        case 1: return Step(level: 1, addressee: .init(role: "handler", name: unit.roles.handler, unit: unit.id), letter: nil, escalates: false)
        case 2: return Step(level: 2, addressee: .init(role: "unit", name: unit.name, unit: unit.id), letter: nil, escalates: false)
        case 3: return Step(level: 3, addressee: .init(role: "head", name: unit.roles.head, unit: unit.id), letter: .supervisionLetter,
                            escalates: false)
        case 4:
            let visitor = taskForce.map { Addressee(role: "task_force", name: $0.roles.head, unit: $0.id) }
                ?? Addressee(role: "head", name: unit.roles.head, unit: unit.id)
            return Step(level: 4, addressee: visitor, letter: nil, escalates: true)
        case 5: return Step(level: 5, addressee: .init(role: "county_leader", name: unit.roles.countyLeader, unit: unit.id),
                            letter: .oneCaseReport, escalates: false)
        default: return nil
        }
    }

    /// When the level after one raised (or due) at `at` comes, by the interval rule (default
    /// one working day: the end of the next working day). A level raised at 24:00 — a day's
    /// end, where day-rule deadlines fall — counts from the day that ends, not the next.
    public static func next(after at: Date, interval: DeadlineRule, calendar: WorkingCalendar, zone: TimeZone) -> Date {
        if case .elapsed = interval { return interval.deadline(from: at, calendar: calendar, zone: zone) }
        return interval.deadline(from: at.addingTimeInterval(-0.001), calendar: calendar, zone: zone)
    }

    /// A letter's number: 督办〔2026〕3号 for the third supervision letter of 2026.
    public static func number(_ kind: LetterKind, year: Int, sequence: Int) -> String {
        (kind == .supervisionLetter ? "督办" : "一事一报") + "〔\(year)〕\(sequence)号"
    }
}
