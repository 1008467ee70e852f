import FoundationEssentials
import HotlineCore
import HotlineHTTP
import HotlineStorage
import HotlineStreams
import Synchronization

/// Recomputes a projection from its streams: empties the service's projection tables and
/// moves every cursor back to 0 in one transaction, while the followers hold; then they
/// fetch each stream from seq 1 through the bus and apply it again. Repairs a store that a
/// bug (such as the KPI race of issue 13) left wrong.
final class Rebuild: Sendable {
    struct Outcome: Codable, Sendable {
        let service: String
        let tables: [String]
        /// Each stream's cursor before the reset: the events that will be applied again.
        let replaying: [String: Int64]
    }

    private let running = Atomic<Bool>(false)

    func run(tables: [String], followers: [StreamFollower], context: ServiceContext) async throws -> Outcome {
        guard !tables.isEmpty else {
            throw Problem.conflict("\(context.settings.service) keeps state of its own actions: it cannot be rebuilt from streams")
        }
        guard !running.exchange(true, ordering: .acquiring) else { throw Problem.conflict("a rebuild is already starting") }
        defer { running.store(false, ordering: .releasing) }
        let release = AsyncStream<Void>.makeStream()
        defer { release.continuation.finish() }
        // Every follower idle before anything is reset, so no batch straddles the reset.
        await withTaskGroup(of: Void.self) { group in
            for f in followers { group.addTask { await f.hold(until: release.stream) } }
        }
        let streams = followers.map(\.stream)
        let replaying = try await context.transact { tx, _ -> [String: Int64] in
            var before: [String: Int64] = [:]
            for stream in streams { before[stream] = try ConsumerState.cursor(tx, stream: stream) }
            for table in tables { try tx.execute("DELETE FROM \(table)") }
            try tx.execute("DELETE FROM cursors")
            // Dead letters are applied again with everything else; one that fails again is
            // recorded again (recordDeadLetter clears redriven_at).
            try tx.execute("UPDATE dead_letters SET redriven_at = ? WHERE redriven_at IS NULL", [.text(Timestamp.format(Date()))])
            return before
        }
        release.continuation.finish()
        for f in followers { f.requestCatchUp() }
        context.logger.notice("rebuild started", ["tables": tables.joined(separator: ","),
                                                  "events": String(replaying.values.reduce(0, +))])
        return Outcome(service: context.settings.service, tables: tables, replaying: replaying)
    }
}
