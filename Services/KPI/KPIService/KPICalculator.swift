import Foundation
import HotlineCore
import HotlineDomain

/// The KPI definitions of `kpi.md` as pure functions over plain records, so auditors (and
/// tests) can recompute every figure by hand.
public enum KPICalculator {
    public static let definitionVersion = "2026-11-1"

    public struct TicketRecord: Sendable, Equatable {
        public let id: String
        public let receivedAt: Date
        public let isRepeat: Bool
        public let isInvalid: Bool
        public init(id: String, receivedAt: Date, isRepeat: Bool = false, isInvalid: Bool = false) {
            self.id = id
            self.receivedAt = receivedAt
            self.isRepeat = isRepeat
            self.isInvalid = isInvalid
        }
    }

    public struct AssignmentRecord: Sendable, Equatable {
        public let id: String
        public let leadUnit: String
        public let dispatchedAt: Date
        public let responseDue: Date?
        public let replyDue: Date?
        public let acceptedAt: Date?
        public let repliedAt: Date?
        /// Ended by an approved return: out of the unit's rates (kpi.md).
        public let approvedReturn: Bool
        public init(id: String, leadUnit: String, dispatchedAt: Date, responseDue: Date?, replyDue: Date?,
                    acceptedAt: Date?, repliedAt: Date?, approvedReturn: Bool = false) {
            self.id = id
            self.leadUnit = leadUnit
            self.dispatchedAt = dispatchedAt
            self.responseDue = responseDue
            self.replyDue = replyDue
            self.acceptedAt = acceptedAt
            self.repliedAt = repliedAt
            self.approvedReturn = approvedReturn
        }
    }

    public struct CallbackRecord: Sendable, Equatable {
        public let assignment: String
        public let leadUnit: String
        public let completedAt: Date
        public let reached: Bool
        public let resolved: Bool
        public let satisfaction: String
        /// The assignment ended by an approved return: out of every rate (kpi.md).
        public let approvedReturn: Bool
        public init(assignment: String, leadUnit: String, completedAt: Date, reached: Bool, resolved: Bool, satisfaction: String,
                    approvedReturn: Bool = false) {
            self.assignment = assignment
            self.leadUnit = leadUnit
            self.completedAt = completedAt
            self.reached = reached
            self.resolved = resolved
            self.satisfaction = satisfaction
            self.approvedReturn = approvedReturn
        }
    }

    /// A half-open interval [from, to).
    public struct Period: Sendable, Equatable {
        public let label: String
        public let from: Date
        public let to: Date
        func contains(_ d: Date) -> Bool { d >= from && d < to }
    }

    /// A figure with its evidence.
    public struct Figure: Codable, Sendable, Equatable {
        public let id: String
        public let value: Double?
        public let numerator: Int?
        public let denominator: Int?
        public let numeratorIDs: [String]?
        public let denominatorIDs: [String]?

        enum CodingKeys: String, CodingKey {
            case id, value, numerator, denominator
            case numeratorIDs = "numerator_ids"
            case denominatorIDs = "denominator_ids"
        }

        static func count(_ id: String, _ ids: [String]) -> Figure {
            Figure(id: id, value: Double(ids.count), numerator: nil, denominator: nil, numeratorIDs: ids.sorted(), denominatorIDs: nil)
        }

        /// A rate rounded to 4 decimals; `null` when the denominator is 0.
        static func rate(_ id: String, numerator: [String], denominator: [String]) -> Figure {
            let value = denominator.isEmpty ? nil : (Double(numerator.count) / Double(denominator.count) * 10_000).rounded() / 10_000
            return Figure(id: id, value: value, numerator: numerator.count, denominator: denominator.count,
                          numeratorIDs: numerator.sorted(), denominatorIDs: denominator.sorted())
        }

        /// The same figure without id lists (the default answer; evidence on request).
        var withoutEvidence: Figure {
            Figure(id: id, value: value, numerator: numerator, denominator: denominator, numeratorIDs: nil, denominatorIDs: nil)
        }
    }

    /// Parses `2026-11` (month), `2026-11-22` (day), `2026-W47` (ISO week) or
    /// `2026-11-01..2026-11-16` (range; the end date is exclusive), in `zone`.
    public static func period(_ text: String, zone: TimeZone) -> Period? {
        func span(_ a: Int, _ b: Int) -> Period? {
            guard b > a else { return nil }
            return Period(label: text, from: LocalDate.start(of: a, in: zone), to: LocalDate.start(of: b, in: zone))
        }
        if let range = text.range(of: "..") {
            guard let a = LocalDate.parse(String(text[..<range.lowerBound])),
                let b = LocalDate.parse(String(text[range.upperBound...]))
            else { return nil }
            return span(a, b)
        }
        if let day = LocalDate.parse(text) { return span(day, day + 1) }
        let parts = text.split(separator: "-")
        if parts.count == 2, let y = Int(parts[0]), parts[0].count == 4 {
            if let m = Int(parts[1]), parts[1].count == 2, (1...12).contains(m) {
                let first = CivilDate.toDays(y, m, 1)
                return span(first, first + CivilDate.daysInMonth(y, m))
            }
            if parts[1].hasPrefix("W"), let w = Int(parts[1].dropFirst()), (1...53).contains(w) {
                // ISO week 1 contains January 4th.
                let jan4 = CivilDate.toDays(y, 1, 4)
                let week1Monday = jan4 - (CivilDate.isoWeekday(jan4) - 1)
                let monday = week1Monday + (w - 1) * 7
                guard w < 53 || CivilDate.fromDays(monday + 3).year == y else { return nil }
                return span(monday, monday + 7)
            }
        }
        return nil
    }

    /// The figures for one scope (all units, or one lead unit).
    public static func figures(period p: Period, unit: String?, tickets: [TicketRecord], assignments: [AssignmentRecord],
                               callbacks: [CallbackRecord]) -> [Figure] {
        let mine = assignments.filter { unit == nil || $0.leadUnit == unit }
        // Approved returns stay in `assignments` but leave every rate.
        let rated = mine.filter { !$0.approvedReturn }
        let responseCohort = rated.filter { $0.responseDue.map(p.contains) ?? false }
        let responded = responseCohort.filter { a in a.acceptedAt.map { $0 <= a.responseDue! } ?? false }
        let replyCohort = rated.filter { $0.replyDue.map(p.contains) ?? false }
        let onTime = replyCohort.filter { a in a.repliedAt.map { $0 <= a.replyDue! } ?? false }
        let reached = callbacks.filter {
            (unit == nil || $0.leadUnit == unit) && !$0.approvedReturn && $0.reached && p.contains($0.completedAt)
        }
        let resolved = reached.filter(\.resolved)
        let satisfied = reached.filter { $0.satisfaction == "satisfied" || $0.satisfaction == "basic" }
        var out: [Figure] = []
        if unit == nil { out.append(.count("received", tickets.filter { p.contains($0.receivedAt) }.map(\.id))) }
        out.append(.count("assignments", mine.filter { p.contains($0.dispatchedAt) }.map(\.id)))
        out.append(.rate("response_rate", numerator: responded.map(\.id), denominator: responseCohort.map(\.id)))
        out.append(.rate("on_time_rate", numerator: onTime.map(\.id), denominator: replyCohort.map(\.id)))
        out.append(.rate("resolution_rate", numerator: resolved.map(\.assignment), denominator: reached.map(\.assignment)))
        out.append(.rate("satisfaction_rate", numerator: satisfied.map(\.assignment), denominator: reached.map(\.assignment)))
        return out
    }
}
