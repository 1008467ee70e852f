import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// `hotline bench kpi --tickets N` (issue 10, item 8): builds a kpi store of N tickets over a
/// year directly (facts and daily sums, no HTTP, no bus), then times what auditors read — one
/// unit × month with a page of evidence, a whole monthly ranking — and the audit's in-memory
/// recomputation rate, and prints the figures.
public enum KPIScaleBench {
    /// A small deterministic generator (SplitMix64): the same store for the same N.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// One generated ticket with its assignment, callback and perhaps a return or a reopening.
    struct Generated {
        let ticket: String
        let assignment: String
        let unit: String
        let category: String
        let region: String
        let received: Date
        var a = KPIRollup.Assignment()
        var returnDispute: String?
        var reopenedAt: Date?
    }

    static func generate(_ i: Int, _ rng: inout Random, start: Date, span: TimeInterval, units: [String], categories: [String],
                         regions: [String]) -> Generated {
        // A few busy units: the square of a uniform number favours the first ones.
        let u = units[min(units.count - 1, Int(rng.unit() * rng.unit() * Double(units.count)))]
        let received = start.addingTimeInterval((rng.unit() * span).rounded())
        var g = Generated(ticket: String(cFormat: "T%09d", i), assignment: String(cFormat: "A%09d", i), unit: u,
                          category: categories[rng.below(categories.count)], region: regions[rng.below(regions.count)], received: received)
        let dispatched = received.addingTimeInterval(300)
        g.a.unit = u
        g.a.dispatchedAt = dispatched
        g.a.responseDue = dispatched.addingTimeInterval(7_200)
        g.a.acceptedAt = dispatched.addingTimeInterval((rng.unit() * 10_000).rounded())
        g.a.replyDue = dispatched.addingTimeInterval(3 * 86_400)
        if rng.unit() < 0.97 {
            let replied = dispatched.addingTimeInterval((3_600 + rng.unit() * 3.6 * 86_400).rounded())
            g.a.repliedAt = replied
            g.a.callbackDue = replied.addingTimeInterval(2 * 86_400)
            let called = replied.addingTimeInterval((rng.unit() * 2.5 * 86_400).rounded())
            if rng.unit() < 0.05 {
                g.a.callbackUnreachableAt = called
            } else {
                g.a.callbackCompletedAt = called
                g.a.reached = true
                g.a.resolved = rng.unit() < 0.85
                let s = rng.unit()
                g.a.satisfaction = s < 0.7 ? "satisfied" : s < 0.9 ? "basic" : "unsatisfied"
                if !g.a.resolved || g.a.satisfaction == "unsatisfied" { g.reopenedAt = called.addingTimeInterval(60) }
            }
        }
        if rng.unit() < 0.02 {
            g.returnDispute = String(cFormat: "D%09d", i)
            g.a.returnsRequestedAt = [dispatched.addingTimeInterval(1_800)]
            g.a.approvedReturn = rng.unit() < 0.5
        }
        return g
    }

    /// - Parameter keep: the store is left there after the run, and a later run with the same
    ///   `tickets` and `directory` measures it again without building it.
    public static func run(tickets n: Int, database: String?, config: String, directory: String, keep: Bool = false) async throws {
        let county = try CountyConfig.load(directory: config)
        let zone = county.timeZone
        let url = try DatabaseURL.parse(database ?? "sqlite:" + directory + "/data")
        let logger = Logger(service: "bench", level: .error)
        let schema = "kpi_bench"
        let db = try Database(url: url, schema: schema, logger: logger, maxBatch: 64, commitDelay: 0)
        defer { db.close() }
        _ = try await Migrator.migrate(db, StreamTables.migrations + KPIService().migrations, logger: logger)
        let units = county.units.filter { $0.kind != "task_force" }.map(\.id).sorted()
        let categories = county.categories.map(\.id)
        let regions = county.regions.filter { $0.code.count >= 12 }.map(\.code)
        // A year of tickets: December 2025 to November 2026, read as of December 10th.
        let start = LocalDate.start(of: CivilDate.toDays(2025, 12, 1), in: zone)
        let end = LocalDate.start(of: CivilDate.toDays(2026, 12, 1), in: zone)
        let now = LocalDate.start(of: CivilDate.toDays(2026, 12, 10), in: zone)
        var rng = Random(state: 20_261_130)
        let loadStarted = Date()
        let built = try await db.read { tx in try tx.queryOne("SELECT value FROM k_meta WHERE key = 'bench_tickets'")?.string("value") }
        if let built, built != String(n) { throw ConfigurationError("the kept store holds \(built) tickets, not \(n)") }
        if built == nil {
        var sums: KPIRollup.Contribution = [:]
        let batch = 10_000
        for first in stride(from: 0, to: n, by: batch) {
            let generated = (first..<min(first + batch, n)).map { generate($0, &rng, start: start, span: end.timeIntervalSince(start) - 6 * 86_400,
                                                                              units: units, categories: categories, regions: regions) }
            for g in generated {
                for (cell, v) in KPIRollup.contribution(g.a, zone: zone) { sums[cell, default: 0] += v }
                var t = KPIRollup.Ticket()
                t.receivedAt = g.received
                t.firstReplyAt = g.a.repliedAt
                for (cell, v) in KPIRollup.contribution(t, zone: zone) { sums[cell, default: 0] += v }
                if let at = g.reopenedAt {
                    var r = KPIRollup.Reopening()
                    r.at = at
                    r.leads = [g.unit]
                    for (cell, v) in KPIRollup.contribution(r, zone: zone) { sums[cell, default: 0] += v }
                }
            }
            try await db.write { tx in try insert(generated, tx) }
            if first % 500_000 == 0 && first > 0 {
                writeToStandardError("kpi bench: \(first) tickets stored\n")
            }
        }
        let totals = sums
        try await db.write { tx in
            try RollupStore.add(tx, totals)
            try tx.execute("INSERT INTO k_meta (key, value) VALUES ('rollup', ?)", [.text(zone.identifier)])
        }
            let total = n
            try await db.write { tx in _ = try tx.execute("INSERT INTO k_meta (key, value) VALUES ('bench_tickets', ?)", [.text(String(total))]) }
        }
        let loaded = Date().timeIntervalSince(loadStarted)

        // One unit × month figure with a page of the evidence of its on-time rate.
        var single: [Double] = []
        for k in 0..<300 {
            let unit = units[k % units.count]
            let (y, m) = ReportPublication.add(months: k % 12, to: (2025, 12))
            let p = KPICalculator.period(MonthlyReport.label(year: y, month: m), zone: zone)!
            let t0 = Date()
            let (figures, page) = try await db.read { tx -> ([KPICalculator.Figure], [String]) in
                let inputs = try RollupFigures.inputs(tx, p, now: now, zone: zone, unit: unit)
                // What GET /v1/kpi/evidence reads: the first page of the on-time rate's denominator.
                let ids = try EvidenceQueries.page(tx, figure: "on_time_rate", numerator: false, p, now: now, unit: unit, after: nil, limit: 500)
                    .map(\.id)
                return (RollupFigures.figures(p, now: now, inputs, unit: unit), ids)
            }
            single.append(Date().timeIntervalSince(t0) * 1000)
            precondition(!figures.isEmpty && page.count <= 500)
        }
        // The whole ranking of a month.
        var rankings: [Double] = []
        var ranked = 0
        for k in 0..<60 {
            let (y, m) = ReportPublication.add(months: k % 12, to: (2025, 12))
            let p = KPICalculator.period(MonthlyReport.label(year: y, month: m), zone: zone)!
            let t0 = Date()
            let inputs = try await db.read { tx in try RollupFigures.inputs(tx, p, now: now, zone: zone) }
            ranked = MonthlyReport.ranking(p, now: now, inputs, county: county).count
            rankings.append(Date().timeIntervalSince(t0) * 1000)
        }
        // What a monthly publication reads: the month's facts and the sums of six months.
        var publications: [Double] = []
        var lastMonth = (label: "", factRecords: 0)
        for k in 0..<3 {
            let (y, m) = ReportPublication.add(months: 9 + k, to: (2025, 12))
            let label = MonthlyReport.label(year: y, month: m)
            let p = KPICalculator.period(label, zone: zone)!
            let months = ReportPublication.trend(ending: label, p, zone: zone)
            let t0 = Date()
            let inputs = try await db.read { tx in try ReportPublication.inputs(tx, label: label, p, months: months, at: now, zone: zone) }
            publications.append(Date().timeIntervalSince(t0))
            let f = inputs.month.facts
            lastMonth = (label, f.tickets.count + f.assignments.count + f.callbacks.count + f.callbackDues.count + f.returns.count
                + f.reopenings.count + f.backlog.count)
        }
        // The audit's recomputation in memory: events → fact changes → ledger → figures.
        let sample = min(n, 100_000)
        var sampleRng = Random(state: 7)
        let events = try (0..<sample).flatMap { i in
            try Self.events(of: generate(i, &sampleRng, start: start, span: end.timeIntervalSince(start) - 6 * 86_400, units: units,
                                    categories: categories, regions: regions))
        }
        let t0 = Date()
        var ledger = FactLedger()
        for e in events { for c in try KPIFacts.changes(e) { ledger.apply(c) } }
        let p = KPICalculator.period("2026-06", zone: zone)!
        _ = KPICalculator.figures(period: p, unit: nil, now: now, ledger.facts(p, now: now))
        let recompute = Double(events.count) / Date().timeIntervalSince(t0)

        func percentile(_ values: [Double], _ q: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.up)) - 1)]
        }
        print("kpi bench [\(url.engine.rawValue)]: \(n) tickets (\(units.count) units, a year) "
              + (built == nil ? "stored in" : "kept; opened in") + String(cFormat: " %.1f s", loaded))
        print(String(cFormat: "  one unit × month with 500 evidence ids: p50 %.2f ms, p99 %.2f ms (target ≤ 5 ms)",
                     percentile(single, 0.5), percentile(single, 0.99)))
        print(String(cFormat: "  a month's ranking of %d units: p50 %.2f ms, p99 %.2f ms (target ≤ 50 ms)",
                     ranked, percentile(rankings, 0.5), percentile(rankings, 0.99)))
        print("  a monthly publication's inputs (\(lastMonth.label): \(lastMonth.factRecords) fact records): "
              + String(cFormat: "p50 %.2f s of 3 months", percentile(publications, 0.5)))
        print(String(cFormat: "  recomputation in memory: %d events in %.2f s, %.0f events/s (target ≥ 100,000/s)",
                     events.count, Double(events.count) / recompute, recompute))
        if case .postgres = url, !keep {
            let admin = try Database(url: url, schema: "public", logger: logger, readers: 1)
            _ = try await admin.write { tx in try tx.executeScript("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
            admin.close()
        }
    }

    /// The rows of a batch, a few multi-row INSERTs (one round trip each on PostgreSQL).
    static func insert(_ batch: [Generated], _ tx: Transaction) throws {
        func text(_ d: Date?) -> SQLValue { d.map { .text(Timestamp.format($0)) } ?? .null }
        func rows(_ table: String, _ columns: [String], _ values: [[SQLValue]]) throws {
            guard !values.isEmpty else { return }
            let one = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            for chunk in stride(from: 0, to: values.count, by: 250) {
                let part = values[chunk..<min(chunk + 250, values.count)]
                try tx.execute("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES " + Array(repeating: one, count: part.count).joined(separator: ", "),
                               part.flatMap { $0 })
            }
        }
        try rows("k_tickets", ["id", "received_at", "channel", "category", "kind", "region", "is_repeat", "closed_at_intake", "domain", "tags",
                               "urgency", "first_reply_at"],
                 batch.map { [.text($0.ticket), text($0.received), "phone_12345", .text($0.category), "complaint", .text($0.region), 0, 0,
                              "city", "", "normal", text($0.a.repliedAt)] })
        try rows("k_assignments", ["id", "ticket", "lead_unit", "round", "dispatched_at", "response_due", "reply_due", "accepted_at", "replied_at",
                                   "approved_return"],
                 batch.map { g in [.text(g.assignment), .text(g.ticket), .text(g.unit), 1, text(g.a.dispatchedAt), text(g.a.responseDue),
                                   text(g.a.replyDue), text(g.a.acceptedAt), text(g.a.repliedAt), .bool(g.a.approvedReturn)] })
        try rows("k_callbacks", ["assignment", "ticket", "due_at", "completed_at", "unreachable_at", "reached", "resolved", "satisfaction"],
                 batch.filter { $0.a.callbackDue != nil }.map { g in
                     [.text(g.assignment), .text(g.ticket), text(g.a.callbackDue), text(g.a.callbackCompletedAt), text(g.a.callbackUnreachableAt),
                      .bool(g.a.reached), .bool(g.a.resolved), .optional(g.a.satisfaction)]
                 })
        try rows("k_returns", ["dispute", "assignment", "requested_at"],
                 batch.compactMap { g in g.returnDispute.map { [.text($0), .text(g.assignment), text(g.a.returnsRequestedAt.first)] } })
        try rows("k_reopenings", ["ticket", "round", "at", "reason"],
                 batch.compactMap { g in g.reopenedAt.map { [.text(g.ticket), 2, text($0), "callback_unsatisfied"] } })
    }

    /// The events that would have said what `g` holds, in the streams' shapes.
    static func events(of g: Generated) throws -> [Event] {
        var out: [Event] = []
        func add<P: Encodable>(_ stream: String, _ type: String, _ at: Date?, _ payload: P) throws {
            guard let at else { return }
            out.append(Event(stream: stream, seq: Int64(out.count + 1), id: "\(g.ticket)-\(out.count)", type: type, ticket: g.ticket,
                             at: Timestamp.format(at), data: try JSONValueEncoder.encode(payload), prev: Event.genesisHash, hash: Event.genesisHash))
        }
        let unit = g.unit
        try add("intake", EventType.ticketReceived, g.received, TicketReceived(
            channel: "phone_12345", channelRef: g.ticket, kind: "complaint", domain: "city", category: g.category, urgency: "normal", content: "…",
            location: TicketLocation(address: nil, region: g.region, latitude: nil, longitude: nil), enterprise: false, tags: [],
            caller: .init(name: nil, phone: nil, phoneHash: nil, anonymous: true), receivedAt: Timestamp.format(g.received)))
        try add("dispatch", EventType.ticketDispatched, g.a.dispatchedAt, TicketDispatched(
            assignment: g.assignment, round: 1, tier: 2, mode: "single", leadUnit: unit, assistingUnits: [], by: "rule", channel: "phone_12345",
            kind: "complaint", urgency: "normal", category: g.category, enterprise: false))
        try add("supervision", EventType.deadlineSet, g.a.dispatchedAt, DeadlineEvent(
            assignment: g.assignment, unit: unit, which: "response", due: Timestamp.format(g.a.responseDue!), policy: "ordinary"))
        try add("supervision", EventType.deadlineSet, g.a.dispatchedAt, DeadlineEvent(
            assignment: g.assignment, unit: unit, which: "reply", due: Timestamp.format(g.a.replyDue!), policy: "ordinary"))
        try add("dispatch", EventType.assignmentAccepted, g.a.acceptedAt, AssignmentAccepted(assignment: g.assignment, unit: unit))
        try add("dispatch", EventType.ticketReplied, g.a.repliedAt, TicketReplied(assignment: g.assignment, unit: unit, result: "…",
                                                                                  callerAnonymous: false))
        if let due = g.a.callbackDue {
            try add("survey", EventType.callbackScheduled, g.a.repliedAt, CallbackScheduled(assignment: g.assignment, due: Timestamp.format(due)))
        }
        if g.a.reached {
            try add("survey", EventType.callbackCompleted, g.a.callbackCompletedAt, CallbackCompleted(
                assignment: g.assignment, resolved: g.a.resolved, satisfaction: g.a.satisfaction ?? "satisfied", comment: nil))
        }
        return out
    }
}
