import FoundationEssentials
import Dispatch
import HotlineCore
import Synchronization

/// Copies the SQLite write-ahead log back into the database file from a thread of its own,
/// every second, instead of inside a commit on the serial writer.
///
/// SQLite's automatic checkpoint runs in whichever commit crosses 1,000 log pages: the
/// writer's, so under load every few hundred milliseconds a commit also copied and fsynced
/// the database file (14% of supervision's CPU under the suite benchmark). Every `interval`
/// (1 s) it copies what the log gained since. Every 5 s would copy a page
/// written many times in between (the stream head, cursors, hot index pages) once: on a
/// simulated 6 days × 5,150 requests that halved the checkpoints' CPU (12–14 → 7 s, about 6%
/// of the suite's, −0.6% of the suite's CPU in a duel) and wrote 12% fewer bytes. But each
/// copy ends in an fdatasync of the database file, and on a virtual disk every other sync
/// waits for the writes in flight: five seconds' worth of scattered pages made the services'
/// log syncs wait 20–36 ms (the checkpoint's own took up to 60 ms, more as the database grew),
/// and intake's p99 at 1,000 tickets/s was 18.6–29.5, 26.2–31.3, 28.3–34.0 and 32.5–36.6 ms in
/// a soak's first four minutes (five runs) against 11.8–12.1, 15.4–16.2, 23.8–26.5 and
/// 22.6–27.8 ms (two runs) copying every second. PASSIVE: it never waits for readers or the
/// writer; what it cannot copy yet it copies next time.
///
/// The log starts over from its beginning only when a commit finds all of it copied and no
/// reader still using it — a moment that never comes under steady load (a soak at 1,000
/// tickets/s grew the logs to 8–20 GB each in eight minutes and filled the disk, and their
/// ever larger index maps were the services' "memory growth"). So once a PASSIVE checkpoint
/// finds the log longer than `restartBytes` (64 MiB by default), a RESTART one waits for the
/// readers of the log to finish, holding new commits back meanwhile; it gives up after
/// `restartWaitMilliseconds` (a long read) and tries again a second later.
public final class SQLiteCheckpointer: Sendable {
    public static let restartBytes = 64 << 20
    static let restartWaitMilliseconds: Int32 = 250
    /// RESTART checkpoints that emptied the log, and those that gave up (for tests).
    let restarts = Atomic<Int>(0)
    let restartsGivenUp = Atomic<Int>(0)

    private let stopped = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// - Parameter interval: how often it copies the log back.
    init(open: @escaping @Sendable () throws(DatabaseError) -> SQLiteConnection, interval: TimeInterval, restartBytes: Int,
         logger: Logger) {
        NamedThread.start("db.checkpoint") { [self] in
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
                    let frames = try connection.query("PRAGMA wal_checkpoint(PASSIVE)", []).first?.int("log") ?? 0
                    if frames * Int64(connection.pageSize) > Int64(restartBytes) {
                        if try connection.restartCheckpoint(waitMilliseconds: Self.restartWaitMilliseconds) {
                            restarts.add(1, ordering: .relaxed)
                        } else {
                            restartsGivenUp.add(1, ordering: .relaxed)
                        }
                    }
                    if failing { logger.info("checkpoints work again") }
                    failing = false
                } catch {
                    // Once, not every second: the writer's own errors say what is wrong.
                    if !failing { logger.warning("checkpoint failed; retried every second", ["error": "\(error)"]) }
                    failing = true
                }
            }
        }
    }

    /// A last checkpoint, then the thread ends.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        done.wait()
    }
}
