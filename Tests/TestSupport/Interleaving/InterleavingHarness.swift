import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// Applies a consumer's inputs in many random interleavings and checks that the result
/// never depends on the order (conventions.md: projections fed by several streams are
/// order-independent).
///
/// Each interleaving starts from a fresh database. It keeps every stream's own order and
/// the commands' order and picks the next input at random among the lanes that are ready;
/// it delivers events in random batches through `StreamApplication` (the follower's own
/// code path), re-delivers already-applied events at random (duplicates must change
/// nothing), makes some batches fail after applying (the transaction must leave no trace),
/// and restarts the service at random (a new logic instance over a reopened database). At the
/// end it runs the service's timers and compares a `CanonicalDump` with the reference run,
/// which delivers in the order the events happened. Everything is decided by the seed: a
/// failure prints the seed and the interleaving, and `HOTLINE_INTERLEAVING_SEED` replays it.
public struct InterleavingHarness: Sendable {
    public let engine: TestEngine
    /// Random interleavings per consumer, besides the reference run.
    public let interleavings: Int
    public let seed: UInt64
    public let county: CountyConfig
    public let calendar: WorkingCalendar
    /// The time the service's clock shows throughout (its timers run at the end, at this time).
    public let now: Date

    public init(engine: TestEngine, interleavings: Int? = nil, seed: UInt64? = nil, now: Date) throws {
        let env = ProcessInfo.processInfo.environment
        self.engine = engine
        self.interleavings = interleavings ?? env["HOTLINE_INTERLEAVINGS"].flatMap(Int.init) ?? 40
        self.seed = seed ?? env["HOTLINE_INTERLEAVING_SEED"].flatMap { UInt64($0) } ?? 20_261_130
        county = try CountyConfig.load(directory: SampleCounty.directory)
        calendar = try WorkingCalendar(county.calendar)
        self.now = now
    }

    /// What a run found; `failures` is empty when every interleaving agreed with the reference.
    public struct Outcome: Sendable {
        public var interleavings = 0
        public var deliveries = 0
        public var duplicates = 0
        public var failedBatches = 0
        public var restarts = 0
        public var failures: [String] = []
        /// The final state of the reference run, for checks of what the consumer did at all.
        public var reference: CanonicalDump?
        public var summary: String {
            "\(interleavings) interleavings, \(deliveries) deliveries, \(duplicates) duplicate deliveries, "
                + "\(failedBatches) batches rolled back, \(restarts) restarts"
        }
    }

    public func run(_ consumer: ConsumerUnderTest) async throws -> Outcome {
        var outcome = Outcome()
        let reference = try await runOnce(consumer, seed: nil, &outcome)
        guard case .finished(let expected, _) = reference else {
            if case .failed(let why) = reference { outcome.failures.append("reference run: \(why)") }
            return outcome
        }
        outcome.reference = expected
        for i in 0..<interleavings {
            let runSeed = seed &+ UInt64(i) &* 0x9E37_79B9
            let result = try await runOnce(consumer, seed: runSeed, &outcome)
            outcome.interleavings += 1
            switch result {
            case .finished(let dump, _) where dump == expected: continue
            case .finished(let dump, let trace):
                outcome.failures.append(
                    "\(consumer.name) on \(engine): interleaving \(i) (HOTLINE_INTERLEAVING_SEED=\(seed), run seed \(runSeed)) "
                        + "differs from the reference:\n\(dump.difference(from: expected))\n  trace: \(trace)")
            case .failed(let why):
                outcome.failures.append(
                    "\(consumer.name) on \(engine): interleaving \(i) (HOTLINE_INTERLEAVING_SEED=\(seed), run seed \(runSeed)) \(why)")
            }
            if outcome.failures.count >= 3 { break }
        }
        return outcome
    }

    private enum RunResult {
        /// The final state, and the interleaving that produced it.
        case finished(CanonicalDump, trace: String)
        case failed(String)
    }

    /// One run: the reference (`seed == nil`, in the order things happened) or a random one.
    private func runOnce(_ consumer: ConsumerUnderTest, seed: UInt64?, _ outcome: inout Outcome) async throws -> RunResult {
        var rng = SeededGenerator(seed: seed ?? 0)
        let random = seed != nil
        let name = consumer.name
        let url = try harnessURL()
        let schema = uniqueSchema(name)
        let clock = ManualClock(start: now)
        var trace: [String] = []
        func open() async throws -> (Database, ServiceContext, any ServiceLogic) {
            let logic = consumer.makeLogic()
            let db = try Database(url: url, schema: schema, logger: quietLogger(), readers: 1)
            _ = try await Migrator.migrate(db, StreamTables.migrations + logic.migrations, logger: quietLogger())
            let context = ServiceContext.offline(service: name, database: db, url: url, clock: clock, county: county,
                                                 calendar: calendar, zone: TimeZone(identifier: "Asia/Shanghai")!,
                                                 logger: quietLogger(name))
            return (db, context, logic)
        }
        var (db, context, logic) = try await open()
        do {
            try await consumer.prepare(context)
            // Lanes: one per stream, then the commands. `position` is the next step of each.
            let streamNames = consumer.streams.keys.sorted()
            var position = [Int](repeating: 0, count: streamNames.count + 1)
            var cursor = [Int64](repeating: 0, count: streamNames.count)
            let commandLane = streamNames.count
            func remaining(_ lane: Int) -> Bool {
                lane == commandLane ? position[lane] < consumer.commands.count : position[lane] < consumer.streams[streamNames[lane]]!.count
            }
            func ready(_ lane: Int) async throws -> Bool {
                guard remaining(lane) else { return false }
                if lane == commandLane {
                    let command = consumer.commands[position[lane]]
                    return try await db.read { tx in try command.isReady(tx) }
                }
                let event = consumer.streams[streamNames[lane]]![position[lane]]
                return try await db.read { tx in try consumer.isReady(event, tx) }
            }
            while (0...commandLane).contains(where: remaining) {
                var candidates: [Int] = []
                for lane in 0...commandLane where try await ready(lane) { candidates.append(lane) }
                guard !candidates.isEmpty else {
                    let heads = (0...commandLane).filter(remaining).map { lane in
                        lane == commandLane ? "command \(consumer.commands[position[lane]].label)"
                            : "\(streamNames[lane])#\(position[lane] + 1)"
                    }
                    return .failed("is stuck: nothing is ready (waiting: \(heads.joined(separator: ", ")))\n  trace: \(trace.suffix(60).joined(separator: " "))")
                }
                let lane: Int
                if random {
                    lane = candidates.randomElement(using: &rng)!
                } else {
                    // The reference: commands as soon as they can run, else the earliest event.
                    lane = candidates.contains(commandLane) ? commandLane : candidates.min { a, b in
                        let (x, y) = (consumer.streams[streamNames[a]]![position[a]], consumer.streams[streamNames[b]]![position[b]])
                        return (x.at, streamNames[a]) < (y.at, streamNames[b])
                    }!
                }
                if lane == commandLane {
                    let command = consumer.commands[position[lane]]
                    trace.append("cmd:\(command.label)")
                    try await command.run(context)
                    position[lane] += 1
                } else {
                    let stream = streamNames[lane]
                    let events = consumer.streams[stream]!
                    // A batch: consecutive events of this stream that are ready.
                    var batch = [events[position[lane]]]
                    let want = random ? Int.random(in: 1...4, using: &rng) : 1
                    while batch.count < want, position[lane] + batch.count < events.count {
                        let next = events[position[lane] + batch.count]
                        guard try await db.read({ tx in try consumer.isReady(next, tx) }) else { break }
                        batch.append(next)
                    }
                    var delivered = batch
                    if random, position[lane] > 0, Int.random(in: 0..<5, using: &rng) == 0 {
                        // Re-delivery of what was applied already, alone or with the new batch.
                        let back = Int.random(in: 1...min(3, position[lane]), using: &rng)
                        let old = Array(events[(position[lane] - back)..<position[lane]])
                        outcome.duplicates += 1
                        if Bool.random(using: &rng) {
                            trace.append("dup:\(stream)#\(old.first!.seq)-\(old.last!.seq)")
                            guard StreamApplication.decide(old, cursor: cursor[lane]) == .nothingNew else {
                                return .failed("applied a duplicate delivery of \(stream) \(old.map(\.seq))")
                            }
                        } else {
                            delivered = old + batch
                        }
                    }
                    guard case .apply(let run) = StreamApplication.decide(delivered.shuffled(using: &rng), cursor: cursor[lane]),
                        run.map(\.seq) == batch.map(\.seq)
                    else { return .failed("did not take \(stream) \(batch.map(\.seq)) after cursor \(cursor[lane])") }
                    if random, Int.random(in: 0..<8, using: &rng) == 0 {
                        // The batch fails after its last event applied: nothing of it may remain.
                        outcome.failedBatches += 1
                        trace.append("fail:\(stream)#\(run.first!.seq)-\(run.last!.seq)")
                        let failing = FailsAfter(inner: logic, seq: run.last!.seq)
                        do {
                            try await StreamApplication.apply(run, stream: stream, cursor: cursor[lane], logic: failing, context: context)
                            return .failed("a failing batch committed")
                        } catch is FailsAfter.Injected {}
                    }
                    trace.append("\(stream)#\(run.first!.seq)" + (run.count > 1 ? "-\(run.last!.seq)" : ""))
                    try await StreamApplication.apply(run, stream: stream, cursor: cursor[lane], logic: logic, context: context)
                    outcome.deliveries += 1
                    cursor[lane] = run.last!.seq
                    position[lane] += run.count
                }
                if random, Int.random(in: 0..<20, using: &rng) == 0 {
                    // A restart: whatever the service kept in memory is gone; cursors come from the store.
                    outcome.restarts += 1
                    trace.append("restart")
                    db.close()
                    (db, context, logic) = try await open()
                    for (lane, stream) in streamNames.enumerated() {
                        let stored = try await db.read { tx in try ConsumerState.cursor(tx, stream: stream) }
                        guard stored == cursor[lane] else {
                            return .failed("lost its cursor of \(stream) over a restart: \(stored), applied \(cursor[lane])")
                        }
                    }
                }
            }
            try await logic.tick(context)
            trace.append("tick")
            let dump = try await CanonicalDump.capture(db, stream: name, ignoring: consumer.ignoredTables)
            db.close()
            await dropTestSchema(url, schema)
            return .finished(dump, trace: trace.suffix(80).joined(separator: " "))
        } catch {
            db.close()
            await dropTestSchema(url, schema)
            return .failed("threw \(error)\n  trace: \(trace.suffix(60).joined(separator: " "))")
        }
    }

    /// A fresh database location per run; SQLite without fsync (the harness checks logic, not durability).
    private func harnessURL() throws -> DatabaseURL {
        switch engine {
        case .sqlite: return .sqlite(directory: try TemporaryDirectory.make().path, synchronousFull: false)
        case .postgres: return try engine.makeURL()
        }
    }
}

/// Wraps a consumer so a batch fails after applying its last event, like a crash before commit.
private struct FailsAfter: ServiceLogic {
    struct Injected: Error {}
    let inner: any ServiceLogic
    let seq: Int64
    var name: String { inner.name }
    var follows: [String] { inner.follows }
    var migrations: [Migration] { inner.migrations }
    func routes(_ context: ServiceContext) -> [Route] { [] }
    func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        try inner.apply(event, tx, emit, context)
        if event.seq == seq { throw Injected() }
    }
    func apply(run events: [Event], _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        try inner.apply(run: events, tx, emit, context)
        if events.contains(where: { $0.seq == seq }) { throw Injected() }
    }
}
