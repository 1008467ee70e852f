import FoundationEssentials
import Dispatch
import HotlineCore
import Synchronization

/// Makes committed batches durable off the writer's thread, so the writer commits the next
/// batch while the disk syncs the last one (SQLite; PostgreSQL's server syncs its own log).
///
/// The writer commits a batch without syncing and hands its writes here; they are answered
/// only after a sync of the write-ahead log that began after their commit. One sync covers
/// every batch committed before it started — the log is written in commit order, and
/// recovery keeps a prefix of it — so under load several commits share a sync, and the
/// writer's time per commit is its own work, not the disk's latency.
///
/// Until their sync ends, a batch's changes are visible to readers but not yet acknowledged
/// to anyone: a power cut may still take them away (a crash of the process cannot: they are
/// in the OS's cache). Nothing derived from them leaves the service before that — events are
/// published, and fetched by other services, only up to what has been acknowledged
/// (`OrderedPublisher.acknowledgedHead`).
final class LogSyncer: Sendable {
    private struct State {
        var batches: [[any AnyJob]] = []
        var stopped = false
    }
    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - sync: makes everything written to the log so far durable.
    ///   - finish: answers the batches one sync covered, in commit order, with the sync's
    ///     error if it failed.
    init(name: String, sync: @escaping @Sendable () throws -> Void,
         finish: @escaping @Sendable ([[any AnyJob]], (any Error)?) -> Void) {
        NamedThread.start(name) { [self] in
            defer { done.signal() }
            while let batches = take() {
                do {
                    try sync()
                    finish(batches, nil)
                } catch {
                    finish(batches, error)
                }
            }
        }
    }

    /// Hands over a committed batch; its writes are answered after the next sync.
    func submit(_ jobs: [any AnyJob]) {
        state.withLock { $0.batches.append(jobs) }
        ready.signal()
    }

    /// Syncs and answers what was handed over, then ends the thread (waits for it).
    func stop() {
        state.withLock { $0.stopped = true }
        ready.signal()
        done.wait()
    }

    /// Waits for batches; every one handed over so far, or nil once stopped and drained.
    private func take() -> [[any AnyJob]]? {
        while true {
            let (batches, stopped) = state.withLock { s -> ([[any AnyJob]], Bool) in
                defer { s.batches.removeAll(keepingCapacity: true) }
                return (s.batches, s.stopped)
            }
            if !batches.isEmpty { return batches }
            if stopped { return nil }
            ready.wait()
        }
    }
}
