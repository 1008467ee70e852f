import FoundationEssentials
import HotlineCore
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams
import Synchronization

/// The audit of KP-3: re-reads every stream KPI follows from seq 1 through the bus, checks
/// each stream's hash chain, recomputes the facts in memory (`FactLedger`) and every figure
/// of a period from them, and lists every cell that differs from the live figures.
///
/// Both sides rest on the same history: the live figures and each stream's cursor (the seq
/// and hash of the last event the store applied) are read in one snapshot, and the replay
/// stops at that seq and must end in that hash.
final class Recomputation: Sendable {
    struct StreamCheck: Codable, Sendable, Equatable {
        let stream: String
        /// Events re-read and verified (the live store's cursor).
        let events: Int64
        /// The hash of the last of them: the history the figures were computed from.
        let headHash: String
        /// The producer's head when read (later events are not part of this audit).
        let producerHead: Int64
        /// "verified", or where and why the chain broke.
        let chain: String
        /// Events whose payload no figure could read (the live store dead-letters them too).
        let unreadable: Int
        enum CodingKeys: String, CodingKey {
            case stream, events, chain, unreadable
            case headHash = "head_hash"
            case producerHead = "producer_head"
        }
    }

    struct Difference: Codable, Sendable, Equatable {
        let scope: String
        let key: String
        let figure: String
        let live: KPICalculator.Figure?
        let recomputed: KPICalculator.Figure?
    }

    struct Outcome: Codable, Sendable {
        let period: String
        let definitionVersion: String
        let asOf: String
        let streams: [StreamCheck]
        let cellsCompared: Int
        let differencesTotal: Int
        /// At most `maxListed` of them.
        let differences: [Difference]
        /// identical, different, or chain_broken
        let verdict: String
        let eventsPerSecond: Double
        let seconds: Double
        enum CodingKeys: String, CodingKey {
            case period, streams, differences, verdict, seconds
            case definitionVersion = "definition_version"
            case asOf = "as_of"
            case cellsCompared = "cells_compared"
            case differencesTotal = "differences_total"
            case eventsPerSecond = "events_per_second"
        }
    }

    static let maxListed = 1000
    static let pageSize = 5000
    private let running = Atomic<Bool>(false)

    func run(period text: String, _ period: KPICalculator.Period, streams: [String], context: ServiceContext) async throws -> Outcome {
        guard !running.exchange(true, ordering: .acquiring) else { throw Problem.conflict("a recomputation is already running") }
        defer { running.store(false, ordering: .releasing) }
        let started = Date()
        let now = context.clock.now()
        let zone = context.zone
        let (cursors, live, sums) = try await context.read { tx in
            var cursors: [String: (seq: Int64, hash: String?)] = [:]
            for stream in streams { cursors[stream] = try ConsumerState.position(tx, stream: stream) }
            return (cursors, try FactQueries.facts(tx, period, now: now), try RollupFigures.inputs(tx, period, now: now, zone: zone))
        }
        var ledger = FactLedger()
        var checks: [StreamCheck] = []
        var replayed: Int64 = 0
        for stream in streams {
            let cursor = cursors[stream] ?? (0, nil)
            let check = try await replay(stream, through: cursor.seq, endingIn: cursor.hash, into: &ledger, context)
            replayed += check.events
            checks.append(check)
        }
        let replaySeconds = Date().timeIntervalSince(started)
        let recomputed = ledger.facts(period, now: now)
        var (cells, differences) = Self.compare(period, now: now, live: live, recomputed: recomputed)
        let rollup = Self.compare(period, now: now, sums: sums, recomputed: recomputed)
        cells += rollup.cells
        differences += rollup.differences
        let broken = checks.contains { $0.chain != "verified" }
        let outcome = Outcome(
            period: text, definitionVersion: KPICalculator.definitionVersion, asOf: Timestamp.format(now), streams: checks, cellsCompared: cells,
            differencesTotal: differences.count, differences: Array(differences.prefix(Self.maxListed)),
            verdict: broken ? "chain_broken" : differences.isEmpty ? "identical" : "different",
            eventsPerSecond: replaySeconds > 0 ? (Double(replayed) / replaySeconds).rounded() : 0,
            seconds: (Date().timeIntervalSince(started) * 1000).rounded() / 1000)
        let fields = ["period": text, "verdict": outcome.verdict, "events": String(replayed), "differences": String(differences.count)]
        if outcome.verdict == "identical" { context.logger.notice("recomputation done", fields) } else { context.logger.error("recomputation found differences", fields) }
        return outcome
    }

    /// Re-reads `stream` from seq 1 through `last`, checking the chain from the genesis hash to
    /// `hash` (the live store's cursor), and applies each event's facts to `ledger`.
    private func replay(_ stream: String, through last: Int64, endingIn hash: String?, into ledger: inout FactLedger,
                        _ context: ServiceContext) async throws -> StreamCheck {
        var seq: Int64 = 0
        var prev = Event.genesisHash
        var producerHead: Int64 = 0
        var unreadable = 0
        func check(_ chain: String) -> StreamCheck {
            StreamCheck(stream: stream, events: seq, headHash: seq == 0 ? Event.genesisHash : prev, producerHead: producerHead, chain: chain,
                        unreadable: unreadable)
        }
        while seq < last {
            let page = try await context.fetch(stream: stream, after: seq, limit: Self.pageSize)
            producerHead = max(producerHead, page.head)
            let events = page.events.filter { $0.seq > seq && $0.seq <= last }.sorted { $0.seq < $1.seq }
            guard !events.isEmpty else { return check("missing: the producer gave nothing after seq \(seq) (its head: \(page.head))") }
            for e in events {
                guard e.seq == seq + 1 else { return check("gap after seq \(seq)") }
                guard e.stream == stream, e.prev == prev else { return check("broken at seq \(e.seq): prev does not name the previous hash") }
                guard try e.computedHash() == e.hash else { return check("broken at seq \(e.seq): hash does not match the content") }
                if let changes = try? KPIFacts.changes(e) { for c in changes { ledger.apply(c) } } else { unreadable += 1 }
                seq = e.seq
                prev = e.hash
            }
        }
        if let hash, last > 0, prev != hash {
            return check("different: seq \(last) of the producer is not the event the live store applied")
        }
        return check("verified")
    }

    /// The figures the service serves from its daily sums (scope `rollup`, key the unit or ""
    /// for the county) against the recomputed ones.
    static func compare(_ p: KPICalculator.Period, now: Date, sums: RollupFigures.Inputs, recomputed: KPICalculator.Facts)
        -> (cells: Int, differences: [Difference])
    {
        var cells = 0
        var differences: [Difference] = []
        let units: [String?] = [nil] + Set(RollupFigures.units(sums)).union(KPICalculator.units(recomputed)).sorted()
        for unit in units {
            let a = RollupFigures.figures(p, now: now, sums, unit: unit)
            let b = KPICalculator.figures(period: p, unit: unit, now: now, recomputed).map(\.withoutEvidence)
            for id in Set(a.map(\.id)).union(b.map(\.id)).sorted() {
                cells += 1
                let x = a.first { $0.id == id }
                let y = b.first { $0.id == id }
                if x != y { differences.append(Difference(scope: "rollup", key: unit ?? "", figure: id, live: x, recomputed: y)) }
            }
        }
        return (cells, differences)
    }

    /// Every figure of the county, of each unit, and of each value of every dimension, from
    /// both fact sets; the cells whose figure (value, counts or ids) differs.
    static func compare(_ p: KPICalculator.Period, now: Date, live: KPICalculator.Facts, recomputed: KPICalculator.Facts)
        -> (cells: Int, differences: [Difference])
    {
        var scopes: [(String, String, KPICalculator.Scope)] = [("total", "", .all)]
        for unit in Set(KPICalculator.units(live)).union(KPICalculator.units(recomputed)).sorted() { scopes.append(("unit", unit, .unit(unit))) }
        for by in KPICalculator.dimensions {
            for key in Set(KPICalculator.groupKeys(live, by: by)).union(KPICalculator.groupKeys(recomputed, by: by)).sorted() {
                scopes.append((by, key, .field(by, key)))
            }
        }
        var cells = 0
        var differences: [Difference] = []
        for (scope, key, s) in scopes {
            let a = KPICalculator.figures(period: p, scope: s, now: now, live)
            let b = KPICalculator.figures(period: p, scope: s, now: now, recomputed)
            for id in Set(a.map(\.id)).union(b.map(\.id)).sorted() {
                cells += 1
                let x = a.first { $0.id == id }
                let y = b.first { $0.id == id }
                if x != y { differences.append(Difference(scope: scope, key: key, figure: id, live: x, recomputed: y)) }
            }
        }
        return (cells, differences)
    }
}
