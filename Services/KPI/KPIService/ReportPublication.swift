import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams
import Synchronization

/// Publishes monthly reports (KP-4): on demand, and on the service clock `report_publish_after`
/// after a month ends. Each publication is a new version: the report's canonical bytes and
/// their SHA-256 are stored immutably, and `report.published` chains the hash together with
/// the history (each followed stream's seq and hash) it was computed from.
final class ReportPublication: Sendable {
    static let scope = "monthly"
    /// Months of trend in a health report: the month and the five before it.
    static let trendMonths = 6
    private let busy = Atomic<Bool>(false)

    /// Publishes the next version of `month` (`2026-10`) as of `at`, pinning the history of
    /// `streams` (the ones KPI follows).
    func publish(month label: String, trigger: String, at: Date, streams: [String], _ context: ServiceContext) async throws -> ReportStore.Stored {
        guard let period = Self.month(label, zone: context.zone) else { throw Problem.invalid([.init("period", "must be a month such as 2026-10")]) }
        guard !busy.exchange(true, ordering: .acquiring) else { throw Problem.conflict("a report is being published") }
        defer { busy.store(false, ordering: .releasing) }
        let months = Self.trend(ending: label, period, zone: context.zone)
        // The history and what the report is made of, in one snapshot.
        let zone = context.zone
        let (history, inputs) = try await context.read { tx in
            let history = try streams.map { stream -> ReportPublished.StreamPosition in
                let p = try ConsumerState.position(tx, stream: stream)
                return .init(stream: stream, seq: p.seq, hash: p.hash ?? Event.genesisHash)
            }
            return (history, try Self.inputs(tx, label: label, period, months: months, at: at, zone: zone))
        }
        let county = context.county
        let stored = try await context.transact(at: at) { tx, emit -> ReportStore.Stored in
            let version = try ReportStore.nextVersion(tx, period: label)
            let report = MonthlyReport.build(inputs, county: county, version: version, publishedAt: at, trigger: trigger)
            let body = try CanonicalJSON.bytes(try JSONValueEncoder.encode(report))
            let sha = Hex.encode(SHA256.hash(body))
            let stored = ReportStore.Stored(period: label, version: version, scope: Self.scope, publishedAt: Timestamp.format(at), trigger: trigger,
                                            sha256: sha, body: body, history: try JSONCoding.string(try JSONValueEncoder.encode(history)))
            try ReportStore.insert(tx, stored)
            try emit.emit(EventType.reportPublished, ticket: nil, ReportPublished(
                period: label, scope: Self.scope, version: version, sha256: sha, publishedAt: stored.publishedAt, trigger: trigger,
                history: history))
            return stored
        }
        context.logger.notice("report published", ["period": label, "version": String(stored.version), "sha256": stored.sha256,
                                                   "trigger": trigger])
        return stored
    }

    /// The report's inputs from the daily sums (figures, trends), indexed queries (overdue
    /// ids) and the month's facts (categories): one month of facts in memory, not six.
    static func inputs(_ tx: Transaction, label: String, _ p: KPICalculator.Period, months: [(label: String, period: KPICalculator.Period)],
                       at: Date, zone: TimeZone) throws -> MonthlyReport.Inputs {
        let sums = try RollupFigures.inputs(tx, p, now: at, zone: zone)
        var unitFigures: [String: [KPICalculator.Figure]] = [:]
        var overdue: [String: [String]] = [:]
        for unit in RollupFigures.units(sums) {
            unitFigures[unit] = RollupFigures.figures(p, now: at, sums, unit: unit)
            overdue[unit] = try EvidenceQueries.page(tx, figure: "overdue_backlog", numerator: true, p, now: at, unit: unit, after: nil,
                                                     limit: Int(Int32.max)).map(\.id).sorted()
        }
        var trend: [String: [MonthlyReport.TrendPoint]] = [:]
        for m in months {
            let monthSums = m.label == label ? sums : try RollupFigures.inputs(tx, m.period, now: at, zone: zone)
            for unit in unitFigures.keys {
                trend[unit, default: []].append(MonthlyReport.TrendPoint(
                    period: m.label, rates: MonthlyReport.Rates(RollupFigures.figures(m.period, now: at, monthSums, unit: unit))))
            }
        }
        return MonthlyReport.Inputs(month: MonthlyReport.Month(label: label, period: p, facts: try FactQueries.facts(tx, p, now: at)),
                                    total: RollupFigures.figures(p, now: at, sums, unit: nil), unitFigures: unitFigures, overdue: overdue,
                                    trend: trend)
    }

    /// Publishes, at the moment it was due, each of the last three months whose time has come
    /// (`report_publish_after` after its end), that had any work and has no scheduled version
    /// yet (versions published on demand before are previews; this one is the month's own).
    func publishDue(streams: [String], _ context: ServiceContext) async throws {
        let now = context.clock.now()
        let delay = context.county.sla.reportDelaySeconds
        let today = CivilDate.fromDays(LocalDate.day(of: now, in: context.zone))
        for back in (1...3).reversed() {
            let (y, m) = Self.add(months: -back, to: (today.year, today.month))
            let label = MonthlyReport.label(year: y, month: m)
            guard let period = Self.month(label, zone: context.zone) else { continue }
            let due = period.to.addingTimeInterval(delay)
            guard now >= due else { continue }
            guard try await context.read({ tx in try Self.awaitsScheduledReport(tx, label: label, period: period) }) else { continue }
            _ = try await publish(month: label, trigger: "scheduled", at: due, streams: streams, context)
        }
    }

    /// Whether `label`'s scheduled report is still to be published: it has not been, and the
    /// month had work. Asked at every clock move for the three months before, so the work is
    /// found by its first row in the month, not counted (counting three busy months' rows made
    /// each move of a simulated city-year twice as slow by its end).
    static func awaitsScheduledReport(_ tx: Transaction, label: String, period: KPICalculator.Period) throws -> Bool {
        if (try tx.scalarInt(scheduledReportSQL, [.text(label)]) ?? 0) > 0 { return false }
        return try tx.queryOne(monthHadWorkSQL, [.text(Timestamp.format(period.from)), .text(Timestamp.format(period.to))]) != nil
    }

    static let scheduledReportSQL = "SELECT COUNT(*) FROM k_reports WHERE period = ? AND trigger_kind = 'scheduled'"
    static let monthHadWorkSQL = "SELECT 1 AS found FROM k_assignments WHERE dispatched_at >= ? AND dispatched_at < ? LIMIT 1"

    static func month(_ label: String, zone: TimeZone) -> KPICalculator.Period? {
        guard label.count == 7, label.dropFirst(4).first == "-" else { return nil }
        return KPICalculator.period(label, zone: zone)
    }

    /// `label`'s month and the five before it, oldest first.
    static func trend(ending label: String, _ period: KPICalculator.Period, zone: TimeZone) -> [(label: String, period: KPICalculator.Period)] {
        let first = CivilDate.fromDays(LocalDate.day(of: period.from, in: zone))
        return (0..<trendMonths).reversed().compactMap { back in
            let (y, m) = add(months: -back, to: (first.year, first.month))
            let l = MonthlyReport.label(year: y, month: m)
            return month(l, zone: zone).map { (l, $0) }
        }
    }

    static func add(months n: Int, to ym: (Int, Int)) -> (Int, Int) {
        let index = ym.0 * 12 + (ym.1 - 1) + n
        return (index / 12, index % 12 + 1)
    }
}
