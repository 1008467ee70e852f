import FoundationEssentials
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
        /// The first reply to it, in any round.
        public let firstReplyAt: Date?
        public let closedAtIntake: Bool
        /// The ticket's own fields figures are grouped by: channel, category, kind, domain, street, community.
        public let attributes: [String: String]
        public init(id: String, receivedAt: Date, isRepeat: Bool = false, isInvalid: Bool = false, firstReplyAt: Date? = nil,
                    closedAtIntake: Bool = false, attributes: [String: String] = [:]) {
            self.attributes = attributes
            self.id = id
            self.receivedAt = receivedAt
            self.isRepeat = isRepeat
            self.isInvalid = isInvalid
            self.firstReplyAt = firstReplyAt
            self.closedAtIntake = closedAtIntake
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
        /// Ended by escalation to another tier: no reply will come from it.
        public let escalatedAt: Date?
        /// Its ticket's fields (see `TicketRecord.attributes`).
        public let attributes: [String: String]
        public init(id: String, leadUnit: String, dispatchedAt: Date, responseDue: Date?, replyDue: Date?,
                    acceptedAt: Date?, repliedAt: Date?, approvedReturn: Bool = false, escalatedAt: Date? = nil, attributes: [String: String] = [:]) {
            self.escalatedAt = escalatedAt
            self.attributes = attributes
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
        public let attributes: [String: String]
        public init(assignment: String, leadUnit: String, completedAt: Date, reached: Bool, resolved: Bool, satisfaction: String,
                    approvedReturn: Bool = false, attributes: [String: String] = [:]) {
            self.attributes = attributes
            self.assignment = assignment
            self.leadUnit = leadUnit
            self.completedAt = completedAt
            self.reached = reached
            self.resolved = resolved
            self.satisfaction = satisfaction
            self.approvedReturn = approvedReturn
        }
    }

    /// A callback with its due time (callback rate): done when completed or declared unreachable.
    public struct CallbackDue: Sendable, Equatable {
        public let assignment: String
        public let leadUnit: String
        public let due: Date
        public let doneAt: Date?
        public let attributes: [String: String]
        public init(assignment: String, leadUnit: String, due: Date, doneAt: Date?, attributes: [String: String] = [:]) {
            self.attributes = attributes
            self.assignment = assignment
            self.leadUnit = leadUnit
            self.due = due
            self.doneAt = doneAt
        }
    }

    /// A return request (return rate), attributed to the unit that asked.
    public struct ReturnRecord: Sendable, Equatable {
        public let dispute: String
        public let leadUnit: String
        public let requestedAt: Date
        public let attributes: [String: String]
        public init(dispute: String, leadUnit: String, requestedAt: Date, attributes: [String: String] = [:]) {
            self.attributes = attributes
            self.dispute = dispute
            self.leadUnit = leadUnit
            self.requestedAt = requestedAt
        }
    }

    /// A reopening (re-handling rate), attributed to the lead whose reply failed; id `TICKET#ROUND`.
    public struct ReopenRecord: Sendable, Equatable {
        public let id: String
        public let leadUnit: String
        public let at: Date
        public let attributes: [String: String]
        public init(id: String, leadUnit: String, at: Date, attributes: [String: String] = [:]) {
            self.attributes = attributes
            self.id = id
            self.leadUnit = leadUnit
            self.at = at
        }
    }

    /// Everything a period's figures are computed from.
    public struct Facts: Sendable {
        public var tickets: [TicketRecord] = []
        public var assignments: [AssignmentRecord] = []
        public var callbacks: [CallbackRecord] = []
        public var callbackDues: [CallbackDue] = []
        public var returns: [ReturnRecord] = []
        public var reopenings: [ReopenRecord] = []
        /// Unreplied assignments whose reply deadline had passed by the period's end (overdue backlog).
        public var backlog: [AssignmentRecord] = []
        public init() {}

        /// The records attributed to one lead unit (tickets, which have none, left out).
        public func only(unit: String) -> Facts {
            var f = Facts()
            f.assignments = assignments.filter { $0.leadUnit == unit }
            f.callbacks = callbacks.filter { $0.leadUnit == unit }
            f.callbackDues = callbackDues.filter { $0.leadUnit == unit }
            f.returns = returns.filter { $0.leadUnit == unit }
            f.reopenings = reopenings.filter { $0.leadUnit == unit }
            f.backlog = backlog.filter { $0.leadUnit == unit }
            return f
        }
    }

    /// A half-open interval [from, to).
    public struct Period: Sendable, Equatable {
        public let label: String
        public let from: Date
        public let to: Date
        /// The county's zone the period's dates are in.
        public let zone: TimeZone
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
        /// Deadline-based figures: false until the period's last deadline has passed.
        public let final: Bool?
        /// Deadline-based figures: deadlines still ahead and not yet met (in neither count).
        public let pending: Int?

        public init(id: String, value: Double?, numerator: Int?, denominator: Int?, numeratorIDs: [String]?, denominatorIDs: [String]?,
                    final: Bool? = nil, pending: Int? = nil) {
            self.id = id
            self.value = value
            self.numerator = numerator
            self.denominator = denominator
            self.numeratorIDs = numeratorIDs
            self.denominatorIDs = denominatorIDs
            self.final = final
            self.pending = pending
        }

        enum CodingKeys: String, CodingKey {
            case id, value, numerator, denominator, final, pending
            case numeratorIDs = "numerator_ids"
            case denominatorIDs = "denominator_ids"
        }

        static func count(_ id: String, _ ids: [String]) -> Figure {
            Figure(id: id, value: Double(ids.count), numerator: nil, denominator: nil, numeratorIDs: ids.sorted(), denominatorIDs: nil)
        }

        /// A rate rounded to 4 decimals; `null` when the denominator is 0.
        static func rate(_ id: String, numerator: [String], denominator: [String], final: Bool? = nil, pending: Int? = nil) -> Figure {
            let counted = rate(id, numerator: numerator.count, denominator: denominator.count, final: final, pending: pending)
            return Figure(id: id, value: counted.value, numerator: numerator.count, denominator: denominator.count,
                          numeratorIDs: numerator.sorted(), denominatorIDs: denominator.sorted(), final: final, pending: pending)
        }

        /// The same rate from counts alone (no evidence ids).
        static func rate(_ id: String, numerator: Int, denominator: Int, final: Bool? = nil, pending: Int? = nil) -> Figure {
            let value = denominator == 0 ? nil : (Double(numerator) / Double(denominator) * 10_000).rounded() / 10_000
            return Figure(id: id, value: value, numerator: numerator, denominator: denominator, numeratorIDs: nil, denominatorIDs: nil,
                          final: final, pending: pending)
        }

        /// The same figure without id lists (the default answer; evidence on request).
        var withoutEvidence: Figure {
            Figure(id: id, value: value, numerator: numerator, denominator: denominator, numeratorIDs: nil, denominatorIDs: nil,
                   final: final, pending: pending)
        }
    }

    /// Parses `2026-11` (month), `2026-11-22` (day), `2026-W47` (ISO week) or
    /// `2026-11-01..2026-11-16` (range; the end date is exclusive), in `zone`.
    public static func period(_ text: String, zone: TimeZone) -> Period? {
        func span(_ a: Int, _ b: Int) -> Period? {
            guard b > a else { return nil }
            return Period(label: text, from: LocalDate.start(of: a, in: zone), to: LocalDate.start(of: b, in: zone), zone: zone)
        }
        if let range = text.firstRange(of: "..") {
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

    /// The figures for one scope (all units, or one lead unit), every deadline decided (a past period).
    public static func figures(period p: Period, unit: String?, tickets: [TicketRecord], assignments: [AssignmentRecord],
                               callbacks: [CallbackRecord]) -> [Figure] {
        var facts = Facts()
        facts.tickets = tickets
        facts.assignments = assignments
        facts.callbacks = callbacks
        facts.backlog = assignments
        return figures(period: p, unit: unit, now: .distantFuture, facts)
    }

    /// What a set of figures is about: everything, one lead unit (kpi.md: unit figures go to
    /// the lead unit of the assignment concerned), or one value of a ticket's own field
    /// (channel, category, kind, domain, street, community).
    public enum Scope: Sendable, Equatable {
        case all
        case unit(String)
        case field(String, String)

        func covers(lead: String, _ attributes: [String: String]) -> Bool {
            switch self {
            case .all: return true
            case .unit(let u): return lead == u
            case .field("tag", let value): return KPICalculator.tags(attributes).contains(value)
            case .field(let name, let value): return attributes[name] == value
            }
        }
    }

    /// The fields figures can be grouped by (`by=`), besides the unit.
    public static let dimensions = ["channel", "category", "kind", "domain", "street", "community", "tag"]

    /// A ticket's tags (a ticket is in every tag's group).
    static func tags(_ attributes: [String: String]) -> [String] {
        attributes["tag"].map { $0.split(separator: "\n").map(String.init) } ?? []
    }

    /// Every lead unit any fact of `facts` is attributed to, sorted.
    public static func units(_ facts: Facts) -> [String] {
        Set(facts.assignments.map(\.leadUnit)).union(facts.callbacks.map(\.leadUnit)).union(facts.backlog.map(\.leadUnit))
            .union(facts.callbackDues.map(\.leadUnit)).union(facts.returns.map(\.leadUnit)).union(facts.reopenings.map(\.leadUnit)).sorted()
    }

    /// Every value of dimension `by` any fact of `facts` has, sorted.
    public static func groupKeys(_ facts: Facts, by: String) -> [String] {
        var found = Set<String>()
        for a in facts.tickets.map(\.attributes) + facts.assignments.map(\.attributes) + facts.callbacks.map(\.attributes)
            + facts.callbackDues.map(\.attributes) + facts.returns.map(\.attributes) + facts.reopenings.map(\.attributes)
            + facts.backlog.map(\.attributes) {
            found.formUnion(keys(a, by: by))
        }
        return found.sorted()
    }

    /// The values of dimension `by` a record with `attributes` is grouped under.
    public static func keys(_ attributes: [String: String], by: String) -> [String] {
        by == "tag" ? tags(attributes) : attributes[by].map { [$0] } ?? []
    }

    /// Every figure of kpi.md for one lead unit (nil: all), as of `now`.
    public static func figures(period p: Period, unit: String?, now: Date, _ facts: Facts) -> [Figure] {
        figures(period: p, scope: unit.map { .unit($0) } ?? .all, now: now, facts)
    }

    /// Every figure of kpi.md for one scope, as of `now`.
    public static func figures(period p: Period, scope: Scope, now: Date, _ facts: Facts) -> [Figure] {
        let mine = facts.assignments.filter { scope.covers(lead: $0.leadUnit, $0.attributes) }
        // Approved returns stay in `assignments` but leave every rate.
        let rated = mine.filter { !$0.approvedReturn }
        let final = now >= p.to
        // A deadline in P still ahead of `now` and not met is pending: in neither count.
        func cohort(_ due: (AssignmentRecord) -> Date?, _ doneAt: (AssignmentRecord) -> Date?) -> (met: [String], decided: [String], pending: Int) {
            var met: [String] = [], decided: [String] = [], pending = 0
            for a in rated {
                guard let d = due(a), p.contains(d) else { continue }
                let inTime = doneAt(a).map { $0 <= d } ?? false
                if inTime {
                    met.append(a.id)
                    decided.append(a.id)
                } else if d <= now {
                    decided.append(a.id)
                } else {
                    pending += 1
                }
            }
            return (met, decided, pending)
        }
        let response = cohort(\.responseDue, \.acceptedAt)
        let reply = cohort(\.replyDue, \.repliedAt)
        let reached = facts.callbacks.filter { scope.covers(lead: $0.leadUnit, $0.attributes) && !$0.approvedReturn && $0.reached && p.contains($0.completedAt) }
        let resolved = reached.filter(\.resolved)
        let satisfied = reached.filter { $0.satisfaction == "satisfied" || $0.satisfaction == "basic" }
        var out: [Figure] = []
        // Ticket figures exist for everything and for a ticket's own fields, not for a unit.
        let ticketScope: Bool
        if case .unit = scope { ticketScope = false } else { ticketScope = true }
        let counted = facts.tickets.filter { p.contains($0.receivedAt) && scope.covers(lead: "", $0.attributes) }
        if ticketScope { out.append(.count("received", counted.map(\.id))) }
        let dispatched = mine.filter { p.contains($0.dispatchedAt) }
        out.append(.count("assignments", dispatched.map(\.id)))
        let responseRate = Figure.rate("response_rate", numerator: response.met, denominator: response.decided, final: final, pending: response.pending)
        let onTimeRate = Figure.rate("on_time_rate", numerator: reply.met, denominator: reply.decided, final: final, pending: reply.pending)
        let resolutionRate = Figure.rate("resolution_rate", numerator: resolved.map(\.assignment), denominator: reached.map(\.assignment))
        let satisfactionRate = Figure.rate("satisfaction_rate", numerator: satisfied.map(\.assignment), denominator: reached.map(\.assignment))
        out += [responseRate, onTimeRate, resolutionRate, satisfactionRate]
        // 回退率: return requests made in P over assignments in P.
        out.append(.rate("return_rate", numerator: facts.returns.filter { scope.covers(lead: $0.leadUnit, $0.attributes) && p.contains($0.requestedAt) }.map(\.dispute),
                         denominator: dispatched.map(\.id)))
        // 重办率: reopenings in P over replies in P.
        let replies = mine.filter { $0.repliedAt.map(p.contains) ?? false }
        // A joint round reopened counts once (its id) in the county's figure and once for each lead.
        let reopened = Set(facts.reopenings.filter { scope.covers(lead: $0.leadUnit, $0.attributes) && p.contains($0.at) }.map(\.id))
        out.append(.rate("rehandle_rate", numerator: Array(reopened), denominator: replies.map(\.id)))
        // 回访率: callbacks due in P done (completed or declared unreachable) by their due.
        var cbMet: [String] = [], cbDecided: [String] = [], cbPending = 0
        for c in facts.callbackDues where scope.covers(lead: c.leadUnit, c.attributes) && p.contains(c.due) {
            if c.doneAt.map({ $0 <= c.due }) ?? false {
                cbMet.append(c.assignment)
                cbDecided.append(c.assignment)
            } else if c.due <= now {
                cbDecided.append(c.assignment)
            } else {
                cbPending += 1
            }
        }
        out.append(.rate("callback_rate", numerator: cbMet, denominator: cbDecided, final: final, pending: cbPending))
        if ticketScope {
            // 当天解决率: by the ticket's own dates, repeats and invalid ones left out.
            let eligible = counted.filter { !$0.isRepeat && !$0.isInvalid }
            let sameDay = eligible.filter { t in
                t.closedAtIntake || (t.firstReplyAt.map { LocalDateKey.same($0, t.receivedAt, zone: p.zone) } ?? false)
            }
            out.append(.rate("same_day_rate", numerator: sameDay.map(\.id), denominator: eligible.map(\.id)))
        }
        // Average handling time in hours over the assignments replied in P, 2 decimals.
        let total = replies.reduce(Int64(0)) { sum, a in sum + (a.repliedAt.map { milliseconds(from: a.dispatchedAt, to: $0) } ?? 0) }
        out.append(Figure(id: "avg_handling_hours", value: averageHours(milliseconds: total, count: replies.count),
                          numerator: nil, denominator: replies.count, numeratorIDs: nil, denominatorIDs: replies.map(\.id).sorted()))
        // Overdue backlog at the end of P, or now if earlier.
        let moment = min(p.to, now)
        let overdue = facts.backlog.filter { a in
            scope.covers(lead: a.leadUnit, a.attributes) && !a.approvedReturn && a.dispatchedAt < moment && (a.replyDue.map { $0 < moment } ?? false)
                && (a.repliedAt.map { $0 > moment } ?? true) && (a.escalatedAt.map { $0 > moment } ?? true)
        }
        out.append(.count("overdue_backlog", overdue.map(\.id)))
        out.append(composite([responseRate, onTimeRate, resolutionRate, satisfactionRate]))
        return out
    }

    /// Whole milliseconds between two instants (timestamps are written to the millisecond), so
    /// that sums are exact in any order.
    public static func milliseconds(from a: Date, to b: Date) -> Int64 { Int64((b.timeIntervalSince(a) * 1000).rounded()) }

    /// The mean of `count` durations totalling `milliseconds`, in hours to 2 decimals.
    static func averageHours(milliseconds: Int64, count: Int) -> Double? {
        count == 0 ? nil : ((Double(milliseconds) / Double(count) / 3_600_000) * 100).rounded() / 100
    }

    /// 100 × the weighted mean of response 0.2, on-time 0.2, resolution 0.3, satisfaction 0.3;
    /// a null rate drops out and the other weights are rescaled; null if all are null.
    static func composite(_ rates: [Figure]) -> Figure {
        let weights = ["response_rate": 0.2, "on_time_rate": 0.2, "resolution_rate": 0.3, "satisfaction_rate": 0.3]
        var sum = 0.0, weight = 0.0
        for r in rates { if let v = r.value, let w = weights[r.id] { sum += v * w; weight += w } }
        let value = weight == 0 ? nil : (sum / weight * 100 * 100).rounded() / 100
        return Figure(id: "composite", value: value, numerator: nil, denominator: nil, numeratorIDs: nil, denominatorIDs: nil)
    }
}

/// Whether two instants fall on the same local date.
enum LocalDateKey {
    static func same(_ a: Date, _ b: Date, zone: TimeZone) -> Bool { LocalDate.day(of: a, in: zone) == LocalDate.day(of: b, in: zone) }
}
