import Foundation
import HotlineCore
import Synchronization

/// Copies the SQLite write-ahead log back into the database file from a thread of its own,
/// once a second, instead of inside a commit on the serial writer.
///
/// SQLite's automatic checkpoint runs in whichever commit crosses 1,000 log pages: the
/// writer's, so under load every few hundred milliseconds a commit also copied and fsynced
/// the database file (14% of supervision's CPU under the suite benchmark). Once a second, a
/// page written many times in between (the stream head, cursors, hot index pages) is copied
/// once. PASSIVE: it never waits for readers or the writer; what it cannot copy yet it copies
/// next time, and the log restarts from its beginning once everything was copied.
final class SQLiteCheckpointer: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    init(open: @escaping @Sendable () throws(DatabaseError) -> SQLiteConnection, interval: TimeInterval, logger: Logger) {
        let thread = Thread { [self] in
            defer { done.signal() }
            let connection: SQLiteConnection
            do {
                connection = try open()
            } catch {
                logger.error("cannot open the checkpoint connection; SQLite checkpoints in commits instead", ["error": "\(error)"])
                return
            }
            defer { connection.close() }
            var failing = false
            while !stopped.load(ordering: .acquiring) {
                _ = wake.wait(timeout: .now() + interval)
                do {
                    try connection.executeScript("PRAGMA wal_checkpoint(PASSIVE)")
                    if failing { logger.info("checkpoints work again") }
                    failing = false
                } catch {
                    // Once, not every second: the writer's own errors say what is wrong.
                    if !failing { logger.warning("checkpoint failed; retried every second", ["error": "\(error)"]) }
                    failing = true
                }
            }
        }
        thread.name = "db.checkpoint"
        thread.start()
    }

    /// A last checkpoint, then the thread ends.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        done.wait()
    }
}
