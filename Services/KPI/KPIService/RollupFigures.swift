import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineStorage

/// kpi.md's figures for the county and each unit from the daily sums (`KPIRollup`), without
/// evidence ids: what `/v1/kpi`, the ranking and the dashboard read at scale. They equal
/// `KPICalculator`'s figures (tested on generated histories and re-checked by every audit).
///
/// Deadline cohorts need "now": days that ended before now are decided from the sums, the
/// days after today count only what was met (the rest is pending), and today's deadlines are
/// read row by row.
enum RollupFigures {
    enum Cohort: Sendable { case response, reply, callback }

    /// A deadline falling on today: whose, when, and whether it was met.
    struct DueRow: Sendable, Equatable {
        let cohort: Cohort
        let unit: String
        let due: Date
        let met: Bool
    }

    struct Inputs: Sendable {
        typealias Sums = [String: [KPIRollup.Metric: Double]]
        /// Every day of the period.
        var all: Sums = [:]
        /// Days that ended at or before now.
        var decided: Sums = [:]
        /// Days after today (all of them when the period has not begun).
        var future: Sums = [:]
        var today: [DueRow] = []
        /// Overdue backlog at the period's end, or now if earlier, per unit.
        var backlog: [String: Int] = [:]
    }

    /// Units with anything in the period.
    static func units(_ i: Inputs) -> [String] {
        var units = Set(i.all.filter { unit, m in !unit.isEmpty && m.values.contains { $0 != 0 } }.keys)
        units.formUnion(i.today.map(\.unit))
        units.formUnion(i.backlog.filter { $0.value > 0 }.keys)
        return units.sorted()
    }

    /// The figures of the county (`unit` nil) or of one lead unit, in `KPICalculator`'s order.
    static func figures(_ p: KPICalculator.Period, now: Date, _ i: Inputs, unit: String?) -> [KPICalculator.Figure] {
        func sum(_ s: Inputs.Sums, _ m: KPIRollup.Metric) -> Int {
            Int(unit.map { s[$0]?[m] ?? 0 } ?? s.filter { !$0.key.isEmpty }.values.reduce(0) { $0 + ($1[m] ?? 0) })
        }
        func county(_ m: KPIRollup.Metric) -> Int { Int(i.all[""]?[m] ?? 0) }
        let final = now >= p.to
        func cohort(_ c: Cohort, due: KPIRollup.Metric, met: KPIRollup.Metric) -> (met: Int, decided: Int, pending: Int) {
            var metCount = sum(i.decided, met), decided = sum(i.decided, due)
            let futureMet = sum(i.future, met)
            var pending = sum(i.future, due) - futureMet
            metCount += futureMet
            decided += futureMet
            for r in i.today where r.cohort == c && (unit == nil || r.unit == unit) {
                if r.met {
                    metCount += 1
                    decided += 1
                } else if r.due <= now {
                    decided += 1
                } else {
                    pending += 1
                }
            }
            return (metCount, decided, pending)
        }
        typealias F = KPICalculator.Figure
        func count(_ id: String, _ n: Int) -> F { F(id: id, value: Double(n), numerator: nil, denominator: nil, numeratorIDs: nil, denominatorIDs: nil) }
        var out: [F] = []
        if unit == nil { out.append(count("received", county(.received))) }
        let assigned = sum(i.all, .assigned)
        out.append(count("assignments", assigned))
        let response = cohort(.response, due: .responseDue, met: .responseMet)
        let reply = cohort(.reply, due: .replyDue, met: .replyMet)
        let reached = sum(i.all, .reached)
        let rates = [
            F.rate("response_rate", numerator: response.met, denominator: response.decided, final: final, pending: response.pending),
            F.rate("on_time_rate", numerator: reply.met, denominator: reply.decided, final: final, pending: reply.pending),
            F.rate("resolution_rate", numerator: sum(i.all, .resolved), denominator: reached),
            F.rate("satisfaction_rate", numerator: sum(i.all, .satisfied), denominator: reached),
        ]
        out += rates
        out.append(F.rate("return_rate", numerator: sum(i.all, .returns), denominator: assigned))
        let replies = sum(i.all, .replies)
        // The county's own count holds each reopened round once, however many leads it had.
        let reopened = unit == nil ? county(.reopened) : sum(i.all, .reopened)
        out.append(F.rate("rehandle_rate", numerator: reopened, denominator: replies))
        let callback = cohort(.callback, due: .callbackDue, met: .callbackMet)
        out.append(F.rate("callback_rate", numerator: callback.met, denominator: callback.decided, final: final, pending: callback.pending))
        if unit == nil { out.append(F.rate("same_day_rate", numerator: county(.sameDayMet), denominator: county(.sameDayEligible))) }
        out.append(F(id: "avg_handling_hours", value: KPICalculator.averageHours(milliseconds: Int64(sum(i.all, .handlingMilliseconds)), count: replies),
                     numerator: nil, denominator: replies, numeratorIDs: nil, denominatorIDs: nil))
        out.append(count("overdue_backlog", unit.map { i.backlog[$0] ?? 0 } ?? i.backlog.values.reduce(0, +)))
        out.append(KPICalculator.composite(rates))
        return out
    }

    /// What `figures` needs for `p` as of `now`, in one snapshot; for one lead unit only (and the
    /// county's ticket counts) when `unit` is given.
    static func inputs(_ tx: Transaction, _ p: KPICalculator.Period, now: Date, zone: TimeZone, unit: String? = nil) throws -> Inputs {
        let only = unit == nil ? "" : " AND lead_unit = ?"
        let onlyUnit: [SQLValue] = unit.map { [.text($0)] } ?? []
        let first = LocalDate.day(of: p.from, in: zone)
        let end = LocalDate.day(of: p.to, in: zone)
        let today = LocalDate.day(of: now, in: zone)
        var i = Inputs()
        i.all = try RollupStore.sums(tx, days: first..<end, unit: unit)
        if now >= p.to {
            i.decided = i.all
        } else {
            i.decided = try RollupStore.sums(tx, days: first..<max(first, min(today, end)), unit: unit)
            i.future = try RollupStore.sums(tx, days: max(first, today + 1)..<end, unit: unit)
            if today >= first && today < end {
                let from = Timestamp.format(LocalDate.start(of: today, in: zone))
                let to = Timestamp.format(LocalDate.start(of: today + 1, in: zone))
                for (cohort, due, done) in [(Cohort.response, "response_due", "accepted_at"), (.reply, "reply_due", "replied_at")] {
                    for r in try tx.query(
                        """
                        SELECT lead_unit, \(due) AS due, \(done) AS done FROM k_assignments WHERE \(due) >= ? AND \(due) < ?
                        AND lead_unit IS NOT NULL AND dispatched_at IS NOT NULL AND (approved_return IS NULL OR approved_return = 0)\(only)
                        """, [.text(from), .text(to)] + onlyUnit)
                    {
                        guard let d = r.string("due") else { continue }
                        i.today.append(DueRow(cohort: cohort, unit: r.string("lead_unit") ?? "", due: Timestamp.parse(d) ?? now,
                                              met: r.string("done").map { $0 <= d } ?? false))
                    }
                }
                for r in try tx.query(
                    """
                    SELECT a.lead_unit, c.due_at, c.completed_at, c.unreachable_at FROM k_callbacks c JOIN k_assignments a ON a.id = c.assignment
                    WHERE c.due_at >= ? AND c.due_at < ? AND a.lead_unit IS NOT NULL AND a.dispatched_at IS NOT NULL\(unit == nil ? "" : " AND a.lead_unit = ?")
                    """, [.text(from), .text(to)] + onlyUnit)
                {
                    guard let d = r.string("due_at") else { continue }
                    let done = [r.string("completed_at"), r.string("unreachable_at")].compactMap { $0 }.min()
                    i.today.append(DueRow(cohort: .callback, unit: r.string("lead_unit") ?? "", due: Timestamp.parse(d) ?? now,
                                          met: done.map { $0 <= d } ?? false))
                }
            }
        }
        if now >= p.to {
            // At the period's end, a day boundary: entered before it minus left by it.
            i.backlog = try RollupStore.backlog(tx, before: end, unit: unit)
        } else {
            // Now: what is open and past its reply deadline (few rows, by a partial index).
            let moment = Timestamp.format(now)
            for r in try tx.query(
                """
                SELECT lead_unit, COUNT(*) AS n FROM k_assignments
                WHERE reply_due < ? AND (replied_at IS NULL OR replied_at > ?) AND lead_unit IS NOT NULL AND dispatched_at < ?
                    AND (escalated_at IS NULL OR escalated_at > ?) AND (approved_return IS NULL OR approved_return = 0)\(only)
                GROUP BY lead_unit
                """, [.text(moment), .text(moment), .text(moment), .text(moment)] + onlyUnit)
            {
                i.backlog[r.string("lead_unit") ?? "", default: 0] += Int(r.int("n") ?? 0)
            }
        }
        return i
    }
}
