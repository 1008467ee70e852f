import DispatchService
import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams
@testable import KPIService
import TestSupport
import Testing

/// Every consumer gives the same state and emits the same events whatever order its
/// followed streams arrive in, with duplicates, failed batches and restarts on the way
/// (issue 13; conventions.md). The histories are generated, and recorded from the real suite.
@Suite(.serialized) struct InterleavingTests {
    static let start = Timestamp.parse("2026-11-02T00:30:00.000Z")!

    static func generated(tickets: Int, seed: UInt64) throws -> [String: [Event]] {
        let county = try CountyConfig.load(directory: SampleCounty.directory)
        return try LifecycleGenerator(county: county, start: start) { resolved, satisfaction in
            if case .reopen(let reason) = DispatchRules.afterCallback(resolved: resolved, satisfaction: satisfaction) { return reason }
            return nil
        }.streams(tickets: tickets, seed: seed)
    }

    /// A time after every event of `streams`, when the consumers' timers run.
    static func after(_ streams: [String: [Event]]) -> Date {
        let last = streams.values.flatMap { $0 }.map(\.date).max() ?? start
        return last.addingTimeInterval(86_400)
    }

    /// Runs the harness over `consumers` and checks that the replay did the work the history
    /// records (a harness over a consumer that ignored its input would prove nothing).
    static func check(_ consumers: [ConsumerUnderTest], _ streams: [String: [Event]], engine: TestEngine,
                      interleavings: Int? = nil) async throws {
        let harness = try InterleavingHarness(engine: engine, interleavings: interleavings, now: after(streams))
        func types(_ lines: [String]) -> [String: Int] {
            // An emitted line is `ticket: type data`.
            lines.reduce(into: [:]) { counts, line in
                let type = line.split(separator: " ", maxSplits: 2).dropFirst().first.map(String.init) ?? ""
                counts[type, default: 0] += 1
            }
        }
        for consumer in consumers {
            let began = Date()
            let outcome = try await harness.run(consumer)
            let took = String(format: "%.1f s", Date().timeIntervalSince(began))
            print("interleaving harness: \(consumer.name) on \(engine): \(outcome.summary) in \(took)")
            #expect(outcome.failures.isEmpty, "\(outcome.failures.joined(separator: "\n"))")
            #expect(outcome.interleavings == harness.interleavings)
            guard let reference = outcome.reference else { continue }
            switch consumer.name {
            case "dispatch":
                // The replay emits what dispatch emitted when the history was made.
                let recorded = streams["dispatch"]!.reduce(into: [String: Int]()) { $0[$1.type, default: 0] += 1 }
                #expect(types(reference.emitted) == recorded, "dispatch replayed the history")
            case "survey":
                let replies = streams["dispatch"]!.filter { $0.type == EventType.ticketReplied }.count
                #expect(reference.tables.filter { $0.hasPrefix("callbacks|") }.count == replies)
            case "supervision":
                // Response and reply for each assignment, and one for each assisting unit.
                let dispatched = streams["dispatch"]!.filter { $0.type == EventType.ticketDispatched }
                let assists = dispatched.compactMap { try? $0.payload(TicketDispatched.self).assistingUnits.count }.reduce(0, +)
                #expect(types(reference.emitted)[EventType.deadlineSet] == 2 * dispatched.count + assists)
                if streams["intake"]!.count >= 30 { #expect((types(reference.emitted)[EventType.hotspotAlerted] ?? 0) > 0, "hotspots formed") }
            case "kpi":
                let rows = reference.tables.filter { $0.hasPrefix("k_assignments|") }
                #expect(rows.count == streams["dispatch"]!.filter { $0.type == EventType.ticketDispatched }.count)
                #expect(!rows.contains { $0.contains("_due=NULL") || $0.contains("lead_unit=NULL") }, "complete facts")
            case "intake":
                // Closed at the end: a spot check may reopen a closed ticket.
                var last: [String: String] = [:]
                for e in streams["dispatch"]! where [EventType.ticketClosed, EventType.ticketReopened].contains(e.type) { last[e.ticket ?? ""] = e.type }
                let closed = last.values.filter { $0 == EventType.ticketClosed }.count
                #expect(reference.tables.filter { $0.hasPrefix("tickets|") && $0.contains("|status=\"closed\"") }.count == closed)
            default:
                Issue.record("no check of what \(consumer.name) did")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func generatedHistoriesGiveOneResultInAnyOrder(engine: TestEngine) async throws {
        let streams = try Self.generated(tickets: 30, seed: 7)
        #expect(streams.values.map(\.count).reduce(0, +) > 300, "a history worth interleaving")
        let types = Set(streams.values.joined().map(\.type))
        #expect(types.isSuperset(of: [EventType.assignmentReplied, EventType.spotCheckRecorded]), "joint parts and spot checks in the history")
        try await Self.check(HarnessedConsumers.all(streams), streams, engine: engine)
    }

    /// The harness must catch what it exists for: a consumer that updates a row another
    /// stream creates (the KPI race this issue fixed) is reported, with a seed.
    @Test func harnessFindsAnOrderDependentConsumer() async throws {
        let streams = try Self.generated(tickets: 6, seed: 3)
        let consumer = ConsumerUnderTest({ RacingProjection() }, streams: ["dispatch": streams["dispatch"]!, "supervision": streams["supervision"]!])
        let harness = try InterleavingHarness(engine: .sqlite, interleavings: 20, now: Self.after(streams))
        let outcome = try await harness.run(consumer)
        #expect(!outcome.failures.isEmpty, "the old KPI write pattern must be found")
        #expect(outcome.failures.first?.contains("HOTLINE_INTERLEAVING_SEED=") == true)
        #expect(outcome.failures.first?.contains("trace:") == true)
    }

    /// kpi's context on `db`, in the sample county. Its settings name a database URL of their
    /// own; on SQLite that is a fresh directory the caller removes (`removeDirectory(of:)`).
    static func kpiContext(_ db: Database, _ engine: TestEngine) throws -> (ServiceContext, CountyConfig) {
        let county = try CountyConfig.load(directory: SampleCounty.directory)
        let context = ServiceContext.offline(service: "kpi", database: db, url: try engine.makeURL(), clock: ManualClock(start: start),
                                             county: county, calendar: try WorkingCalendar(county.calendar),
                                             zone: TimeZone(identifier: "Asia/Shanghai")!, logger: quietLogger())
        return (context, county)
    }

    /// Removes the SQLite directory a test context's settings name (nothing on PostgreSQL).
    static func removeDirectory(of context: ServiceContext) {
        if case .sqlite(let directory, _) = context.settings.database, directory.hasPrefix(TemporaryDirectory.prefix) {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// The KPI race, directly: deadlines and callbacks applied before their dispatch.
    @Test(arguments: TestEngine.available)
    func kpiFactsArriveInAnyOrder(engine: TestEngine) async throws {
        let streams = try Self.generated(tickets: 12, seed: 11)
        try await withTestDatabase(engine, schema: "kpi", migrations: StreamTables.migrations + KPIService().migrations) { db in
            let (context, county) = try Self.kpiContext(db, engine)
            defer { Self.removeDirectory(of: context) }
            // Every other stream first, dispatch last: the worst order for the old UPDATEs.
            for stream in ["survey", "supervision", "intake", "dispatch"] {
                let events = streams[stream]!
                try await StreamApplication.apply(events, stream: stream, cursor: 0, logic: KPIService(), context: context)
            }
            let (missing, unattributed, assignments) = try await db.read { tx in
                (try tx.scalarInt("SELECT COUNT(*) FROM k_assignments WHERE response_due IS NULL OR reply_due IS NULL") ?? -1,
                 try tx.scalarInt("SELECT COUNT(*) FROM k_callbacks c LEFT JOIN k_assignments a ON a.id = c.assignment WHERE a.lead_unit IS NULL OR a.lead_unit = ''") ?? -1,
                 try tx.scalarInt("SELECT COUNT(*) FROM k_assignments") ?? -1)
            }
            let dispatched = streams["dispatch"]!.filter { $0.type == EventType.ticketDispatched }.count
            #expect(assignments == Int64(dispatched))
            #expect(missing == 0, "every assignment has both deadlines")
            #expect(unattributed == 0, "every callback belongs to its assignment's unit")

            // The audit's recomputation (in memory, streams in another order, duplicates
            // delivered twice) gives every cell the store gives, and the comparison can fail.
            let period = try #require(KPICalculator.period("2026-11", zone: context.zone))
            let now = Self.after(streams)
            var ledger = FactLedger()
            for stream in ["dispatch", "intake", "supervision", "survey"] {
                for e in streams[stream]! + streams[stream]!.prefix(5) { for c in try KPIFacts.changes(e) { ledger.apply(c) } }
            }
            let live = try await db.read { tx in try FactQueries.facts(tx, period, now: now) }
            let recomputed = ledger.facts(period, now: now)
            let (cells, differences) = Recomputation.compare(period, now: now, live: live, recomputed: recomputed)
            #expect(cells > 100 && differences.isEmpty, "\(differences.prefix(3))")
            #expect(!live.reopenings.isEmpty && !live.callbacks.isEmpty && !live.callbackDues.isEmpty, "the history exercises the joins")
            let lost = try #require(streams["survey"]!.first { $0.type == EventType.callbackCompleted })
            var lossy = FactLedger()
            for stream in ["dispatch", "intake", "supervision", "survey"] {
                for e in streams[stream]! where e.id != lost.id { for c in try KPIFacts.changes(e) { lossy.apply(c) } }
            }
            #expect(!Recomputation.compare(period, now: now, live: live, recomputed: lossy.facts(period, now: now)).differences.isEmpty,
                    "one lost callback is a difference")

            // The daily sums give the calculator's figures (without ids) for the county and each
            // unit, whatever "now" is: before, during and after the period's deadlines.
            // Every 7 hours over three weeks (so each hour of the day comes up), then after it all.
            let moments = (-1..<72).map { Self.start.addingTimeInterval(Double($0) * 7 * 3_600) } + [now, period.to.addingTimeInterval(86_400)]
            let exercised = try await Self.expectRollupEqualsCalculator(db, period, moments: moments, zone: context.zone)
            // The report the service publishes (daily sums, indexed queries, one month of facts)
            // is byte for byte the report built from facts alone.
            for at in [Self.start.addingTimeInterval(5 * 86_400), period.to.addingTimeInterval(3 * 86_400)] {
                let months = ReportPublication.trend(ending: "2026-11", period, zone: context.zone)
                let zone = context.zone
                let (served, monthFacts) = try await db.read { tx in
                    (try ReportPublication.inputs(tx, label: "2026-11", period, months: months, at: at, zone: zone),
                     try months.map { m in MonthlyReport.Month(label: m.label, period: m.period, facts: try FactQueries.facts(tx, m.period, now: at)) })
                }
                let fromSums = try CanonicalJSON.bytes(try JSONValueEncoder.encode(
                    MonthlyReport.build(served, county: county, version: 1, publishedAt: at, trigger: "scheduled")))
                let fromFacts = try CanonicalJSON.bytes(try JSONValueEncoder.encode(
                    MonthlyReport.build(months: monthFacts, county: county, version: 1, publishedAt: at, trigger: "scheduled")))
                #expect(fromSums == fromFacts && fromSums.count > 1_000, "report at \(at)")
            }
            #expect(exercised.isSuperset(of: ["response_rate", "on_time_rate", "overdue_backlog"] + EvidenceRoutes.figureIDs.filter { $0 != "return_rate" }
                        .map { "evidence:" + $0 }),
                    "the moments cover pending deadlines and a backlog: \(exercised)")
        }
    }

    /// The sums kept run by run — each touched entity's state after a run worked out in memory
    /// (`RollupBatch`) — are the sums rebuilt from the stored facts alone, whatever the streams'
    /// interleaving and run lengths: returns, reopenings and callbacks before their dispatch
    /// included.
    @Test(arguments: TestEngine.available)
    func sumsKeptRunByRunAreTheSumsRebuiltFromTheFacts(engine: TestEngine) async throws {
        let streams = try Self.withReturnsAndEscalations(try Self.generated(tickets: 16, seed: 11))
        let all = streams.values.joined()
        #expect(all.contains { $0.type == EventType.returnRequested } && all.contains { $0.type == EventType.ticketReopened }
                    && all.contains { $0.type == EventType.callbackCompleted }, "the history has returns, reopenings and callbacks")
        for runLength in [1, 3, 17] {
            try await withTestDatabase(engine, schema: "kpi", migrations: StreamTables.migrations + KPIService().migrations) { db in
                let (context, _) = try Self.kpiContext(db, engine)
                defer { Self.removeDirectory(of: context) }
                // Runs taken from the streams in turn, the survey's first: callbacks and
                // deadlines often arrive before the dispatch they belong to.
                var next = ["survey": 0, "supervision": 0, "dispatch": 0, "intake": 0]
                while next.contains(where: { $0.value < streams[$0.key]!.count }) {
                    for stream in ["survey", "supervision", "dispatch", "intake"] {
                        let events = streams[stream]!, from = next[stream]!
                        guard from < events.count else { continue }
                        let run = Array(events[from..<min(events.count, from + runLength)])
                        try await StreamApplication.apply(run, stream: stream, cursor: run[0].seq - 1, logic: KPIService(), context: context)
                        next[stream] = from + run.count
                    }
                }
                func sums() async throws -> [String] {
                    try await db.read { tx in
                        var cells: [String] = []
                        for row in try tx.query("SELECT * FROM k_rollup") {
                            for metric in RollupStore.columns where (row.int(metric) ?? 0) != 0 {
                                cells.append("\(row.string("unit") ?? "?") \(row.int("day") ?? 0) \(metric)=\(row.int(metric)!)")
                            }
                        }
                        return cells.sorted()
                    }
                }
                let kept = try await sums()
                let zone = context.zone
                try await db.write { tx in
                    try tx.execute("DELETE FROM k_meta WHERE key = 'rollup'")
                    _ = try RollupStore.buildIfNeeded(tx, zone: zone)
                }
                let rebuilt = try await sums()
                #expect(kept.count > 50, "the history fills the sums")
                #expect(kept.contains { $0.contains(" returns=") } && kept.contains { $0.contains(" reopened=") })
                #expect(kept == rebuilt, "runs of \(runLength): \(Set(kept).symmetricDifference(rebuilt).sorted().prefix(3))")
            }
        }
    }

    /// `streams` with dispatch's stream given what the generator leaves out: every third
    /// assignment's unit asks to give it back (every other request approved), every fifth
    /// assignment is escalated a day after its dispatch.
    static func withReturnsAndEscalations(_ streams: [String: [Event]]) throws -> [String: [Event]] {
        var items: [(at: String, order: Int, item: EventChain.Item)] = []
        var assignments = 0
        for e in streams["dispatch"]! {
            items.append((e.at, items.count, EventChain.Item(type: e.type, ticket: e.ticket, at: e.at, data: try e.parsedData())))
            guard e.type == EventType.ticketDispatched, let d = try? e.payload(TicketDispatched.self) else { continue }
            assignments += 1
            func later(_ hours: Double) -> String { Timestamp.format(e.date.addingTimeInterval(hours * 3600)) }
            func item(_ type: String, _ at: String, _ json: String) throws -> (String, Int, EventChain.Item) {
                (at, items.count, EventChain.Item(type: type, ticket: e.ticket, at: at, data: try JSONValueParser.parse(Array(json.utf8))))
            }
            let by = #""by":{"staff":"generated","role":"unit"}"#
            if assignments % 3 == 0 {
                let dispute = "D-\(assignments)"
                items.append(try item(EventType.returnRequested, later(0.5),
                                      #"{"assignment":"\#(d.assignment)","unit":"\#(d.leadUnit)","reason":"不属本单位","dispute":"\#(dispute)",\#(by)}"#))
                items.append(try item(EventType.disputeDecided, later(1), #"{"dispute":"\#(dispute)","assignment":"\#(d.assignment)","unit":"\#(d.leadUnit)","#
                                      + #""approved":\#(assignments % 2 == 0),"assisting_units":[],\#(by)}"#))
            } else if assignments % 5 == 0 {
                items.append(try item(EventType.ticketEscalated, later(24), #"{"assignment":"\#(d.assignment)","from_unit":"\#(d.leadUnit)","from_tier":3,"#
                                      + #""to_unit":"chengguan","to_tier":2,"new_assignment":"\#(d.assignment)-up","requested_by":"supervision",\#(by)}"#))
            }
        }
        var out = streams
        out["dispatch"] = try EventChain.build(stream: "dispatch", items.sorted { ($0.at, $0.order) < ($1.at, $1.order) }.map(\.item), idSeed: "returns")
        return out
    }

    /// KPI applies a run of events reading each touched entity once before it (its state after
    /// worked out in memory, `RollupBatch`), and moves the daily sums once: the sums and facts
    /// are those of the same events one by one.
    @Test(arguments: TestEngine.available)
    func kpiAppliesARunAsEventByEvent(engine: TestEngine) async throws {
        let streams = try Self.generated(tickets: 12, seed: 5)
        var dumps: [[String]] = []
        for runLength in [1, 7, Int.max] {
            try await withTestDatabase(engine, schema: "kpi", migrations: StreamTables.migrations + KPIService().migrations) { db in
                let (context, _) = try Self.kpiContext(db, engine)
                defer { Self.removeDirectory(of: context) }
                for stream in ["dispatch", "survey", "intake", "supervision"] {
                    let events = streams[stream]!
                    for start in stride(from: 0, to: events.count, by: min(runLength, events.count)) {
                        let run = Array(events[start..<min(events.count, start + min(runLength, events.count))])
                        try await StreamApplication.apply(run, stream: stream, cursor: run[0].seq - 1, logic: KPIService(), context: context)
                    }
                }
                dumps.append(try await db.read { tx in
                    var lines: [String] = []
                    for table in KPIFacts.tables {
                        for row in try tx.query("SELECT * FROM \(table)") {
                            lines.append(table + " " + row.columns.indices.map { "\(row.columns[$0])=\(row.values[$0])" }.joined(separator: " "))
                        }
                    }
                    return lines.sorted()
                })
            }
        }
        #expect(dumps[0].filter { $0.hasPrefix("k_rollup ") }.count > 20, "the history fills the daily sums")
        for (i, label) in [(1, "runs of 7"), (2, "each stream in one run")] {
            #expect(dumps[i] == dumps[0], "\(label): \(Set(dumps[i]).symmetricDifference(dumps[0]).sorted().prefix(2))")
        }
    }

    /// Compares `RollupFigures` with `KPICalculator` at each moment; returns the figures that
    /// had something pending (or a backlog) at some moment, to show the moments exercise them.
    static func expectRollupEqualsCalculator(_ db: Database, _ period: KPICalculator.Period, moments: [Date], zone: TimeZone) async throws -> Set<String> {
        var exercised: Set<String> = []
        for moment in moments {
            let (facts, inputs) = try await db.read { tx in
                (try FactQueries.facts(tx, period, now: moment), try RollupFigures.inputs(tx, period, now: moment, zone: zone))
            }
            let expected = KPICalculator.figures(period: period, unit: nil, now: moment, facts).map(\.withoutEvidence)
            #expect(RollupFigures.figures(period, now: moment, inputs, unit: nil) == expected, "county at \(moment)")
            for unit in KPICalculator.units(facts) {
                let figures = KPICalculator.figures(period: period, unit: unit, now: moment, facts).map(\.withoutEvidence)
                #expect(RollupFigures.figures(period, now: moment, inputs, unit: unit) == figures, "\(unit) at \(moment)")
            }
            #expect(Set(RollupFigures.units(inputs)).isSubset(of: KPICalculator.units(facts)))
            // The evidence read by index, page by page, is the calculator's.
            for unit in [nil] + KPICalculator.units(facts) {
                let figures = KPICalculator.figures(period: period, unit: unit, now: moment, facts)
                for f in figures where EvidenceRoutes.figureIDs.contains(f.id) {
                    for numerator in [true, false] {
                        let expectedIDs = (numerator ? f.numeratorIDs : f.denominatorIDs ?? (f.numerator == nil ? f.numeratorIDs : nil)) ?? []
                        var read: [EvidenceQueries.Item] = []
                        var after: (key: String, id: String)?
                        repeat {
                            let cursor = after
                            let page = try await db.read { tx in
                                try EvidenceQueries.page(tx, figure: f.id, numerator: numerator, period, now: moment, unit: unit, after: cursor, limit: 7)
                            }
                            read += page
                            after = page.count == 7 ? page.last.map { ($0.key, $0.id) } : nil
                        } while after != nil
                        // The calculator's ids, each once, in the order of their cohort date and id.
                        #expect(read.map(\.id).sorted() == expectedIDs, "\(f.id) \(numerator ? "numerator" : "denominator") of \(unit ?? "the county") at \(moment)")
                        #expect(read == read.sorted { ($0.key, $0.id) < ($1.key, $1.id) })
                        if !read.isEmpty { exercised.insert("evidence:" + f.id) }
                    }
                }
            }
            for f in expected where (f.pending ?? 0) > 0 || (f.id == "overdue_backlog" && f.value != 0) { exercised.insert(f.id) }
        }
        return exercised
    }

    /// Each service that follows a stream is under the harness: a new consumer must be added
    /// to `HarnessedConsumers` (README, "Every consumer under the interleaving harness").
    @Test func everyConsumerIsUnderTheHarness() throws {
        let services = URL(fileURLWithPath: SampleCounty.repositoryRoot).appendingPathComponent("Services")
        let files = FileManager.default.enumerator(at: services, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        var consumers: Set<String> = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            guard text.contains(": ServiceLogic {") else { continue }
            let name = try #require(text.firstMatch(of: /let name = "([a-z]+)"/)?.1, "\(file.lastPathComponent) names its service")
            let follows = try #require(text.firstMatch(of: /let follows(?:: \[String\])? = \[([^\]]*)\]/)?.1,
                                       "\(file.lastPathComponent) states what it follows as a literal")
            if !follows.trimmingCharacters(in: .whitespaces).isEmpty { consumers.insert(String(name)) }
        }
        #expect(consumers.count >= 5)
        #expect(consumers.subtracting(HarnessedConsumers.names).isEmpty,
                "services following a stream without the interleaving harness: \(consumers.subtracting(HarnessedConsumers.names).sorted())")
        let streams = try Self.generated(tickets: 1, seed: 1)
        #expect(Set(HarnessedConsumers.all(streams).map(\.name)) == HarnessedConsumers.names)
    }
}

/// The old KPI write pattern: a row made by one stream, filled in by another with an UPDATE
/// that hits nothing when it comes first.
private struct RacingProjection: ServiceLogic {
    let name = "racing"
    let follows = ["dispatch", "supervision"]
    var migrations: [Migration] {
        [Migration(100, "rows", "CREATE TABLE rows (id TEXT PRIMARY KEY, due TEXT)")]
    }
    func routes(_ context: ServiceContext) -> [Route] { [] }
    func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        guard let assignment = event.data["assignment"]?.stringValue else { return }
        if event.type == EventType.ticketDispatched {
            try tx.execute("INSERT INTO rows (id) VALUES (?)", [.text(assignment)])
        } else if event.type == EventType.deadlineSet {
            try tx.execute("UPDATE rows SET due = ? WHERE id = ?", [.text(event.data["due"]?.stringValue ?? ""), .text(assignment)])
        }
    }
}
