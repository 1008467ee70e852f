import FoundationEssentials
import Dispatch
import Glibc
import HotlineCore
import Synchronization

/// A service's database: one writer connection that group-commits, and reader connections.
///
/// Every closure runs on a connection's own thread, never on the cooperative pool, because
/// sqlite3 and libpq block. `write` returns only after the transaction holding the
/// closure's changes has committed (and, with SQLite at `synchronous=FULL`, been fsynced;
/// `write(rederivable:_:)` relaxes that for changes made again from durable sources).
public final class Database: Sendable {
    public let engine: DatabaseEngine
    public let schema: String
    private let writer: WriteWorker
    private let readers: [ReadWorker]
    private let nextReader = Atomic<Int>(0)
    /// SQLite: copies the write-ahead log back off the writer's path.
    private let checkpointer: SQLiteCheckpointer?
    /// SQLite: the lock that keeps a second process off these files while this one runs.
    private let instanceLock: FileLock?

    /// Opens the service's database.
    /// - Parameters:
    ///   - url: where the data lives.
    ///   - schema: the service's schema (also the SQLite file name).
    ///   - readers: how many read connections to open.
    ///   - maxBatch: the most writes grouped into one commit.
    ///   - commitDelay: microseconds a busy writer waits for more writes to join a thin
    ///     commit (see `CommitDelay`); 0 never waits.
    ///   - exclusive: this process is the service's one instance: a second one that opens the
    ///     same database exclusively fails at once (a lock file next to the SQLite file; a
    ///     session advisory lock on PostgreSQL, taken again by the writer after a reconnect).
    ///   - walRestartBytes: SQLite: the write-ahead log's size beyond which the checkpointer
    ///     makes it start over (`SQLiteCheckpointer`).
    ///   - pipelinesSyncs: SQLite: the writer commits the next batch while the log syncs
    ///     (`LogSyncer`); false syncs inside each commit (a benchmark's baseline).
    public init(url: DatabaseURL, schema: String, logger: Logger, readers: Int = 2, maxBatch: Int = 512,
                commitDelay: Int = 0, exclusive: Bool = false, walRestartBytes: Int = SQLiteCheckpointer.restartBytes,
                pipelinesSyncs: Bool = true) throws {
        self.engine = url.engine
        self.schema = schema
        let open: @Sendable () throws(DatabaseError) -> any SQLConnection
        var writerOpen: (@Sendable () throws(DatabaseError) -> any SQLConnection)?
        var checkpointOpen: (@Sendable () throws(DatabaseError) -> SQLiteConnection)?
        switch url {
        case .sqlite(let directory, let synchronousFull):
            let path = PathNames.join(directory, "\(schema).sqlite3")
            instanceLock = exclusive ? try Self.lock(directory: directory, schema: schema) : nil
            try Self.prepareFiles(directory: directory, database: path)
            // Every cache is modest, the writer's too: at each commit SQLite (3.40) walks its page
            // cache's hash table (pager_end_transaction → pcache1Truncate), a cost that grows with
            // the pages cached, while a page not cached is re-read from the OS's file cache.
            // Measured on a simulated 10 days × 5,150 requests: the writer at 64 MiB → 8 MiB, suite
            // CPU −5%; 8 → 16 MiB the same; readers at 16 → 2 MiB the same (a reader drops its cache
            // whenever the log has moved anyway). 16 MiB keeps a large batch's pages unspilled.
            open = { () throws(DatabaseError) in
                try SQLiteConnection(path: path, synchronousFull: synchronousFull, cacheMiB: 16, logger: logger)
            }
            writerOpen = { () throws(DatabaseError) in
                let connection = try SQLiteConnection(path: path, synchronousFull: synchronousFull, cacheMiB: 16, logger: logger)
                // Checkpoints happen on `SQLiteCheckpointer`'s thread, not in the writer's commits.
                // When the log starts over, the file is cut back to twice the checkpointer's bound:
                // it keeps the blocks a normal cycle wrote (the bound and a second's writes), so
                // the next cycle overwrites them in the OS's cache. Cut back to the bound itself,
                // every cycle's last second of frames went to new blocks, and ext4 allocating and
                // zero-filling them was a third of the writers' time in pwrite (suite CPU −1.2%).
                try connection.executeScript("PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=\(2 * walRestartBytes)")
                return connection
            }
            checkpointOpen = { () throws(DatabaseError) in
                try SQLiteConnection(path: path, synchronousFull: synchronousFull, cacheMiB: 2, logger: logger)
            }
        case .postgres(let conninfo):
            instanceLock = nil
            open = { () throws(DatabaseError) in try PostgresConnection(conninfo: conninfo, schema: schema, logger: logger) }
            if exclusive {
                writerOpen = { () throws(DatabaseError) in
                    try PostgresConnection(conninfo: conninfo, schema: schema, logger: logger, exclusive: true)
                }
            }
        }
        let writerConnection = try (writerOpen ?? open)()
        // What a predecessor committed but had not synced when it stopped (a crash) is made
        // durable before this process serves or publishes any of it.
        try writerConnection.logSync?()
        writer = try WriteWorker(connection: writerConnection, name: "db.writer", maxBatch: maxBatch,
                                 commitDelay: CommitDelay(microseconds: commitDelay), pipelinesSyncs: pipelinesSyncs, logger: logger)
        var readWorkers: [ReadWorker] = []
        for i in 0..<max(1, readers) {
            readWorkers.append(try ReadWorker(connection: open(), name: "db.reader\(i)"))
        }
        self.readers = readWorkers
        checkpointer = checkpointOpen.map {
            SQLiteCheckpointer(open: $0, interval: 1, restartBytes: walRestartBytes, logger: logger)
        }
    }

    /// The data directory (0700) and database files (0600) are private from the start:
    /// they hold citizens' names and phones. SQLite gives its -wal and -shm files the mode of
    /// the database file, so creating that one 0600 covers them; files of older installs are
    /// tightened on open.
    private static func prepareFiles(directory: String, database path: String) throws(DatabaseError) {
        let fm = FileManager.default
        do {
            if !fm.fileExists(atPath: directory) {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw DatabaseError(code: .io, engineMessage: "cannot create \(directory): \(error)")
        }
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DatabaseError(code: errno == EACCES || errno == EROFS || errno == EPERM ? .readOnly : .io,
                                engineMessage: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o600)
        Glibc.close(fd)
        for suffix in ["-wal", "-shm"] where fm.fileExists(atPath: path + suffix) { chmod(path + suffix, 0o600) }
    }

    private static func lock(directory: String, schema: String) throws -> FileLock {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            return try FileLock(path: PathNames.join(directory, "\(schema).lock"))
        } catch let held as FileLock.Held {
            throw DatabaseError(code: .busy, engineMessage: "another process has the \(schema) database open: \(held)")
        }
    }

    /// Runs `body` in a write transaction; returns after commit.
    ///
    /// Concurrent calls share one commit: each runs inside its own savepoint, so one
    /// failing closure rolls back only its own changes and throws only to its caller.
    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            writer.enqueue(Job(body: body, continuation: continuation))
        }
    }

    /// Like `write`, for changes that can be made again from durable sources if a power cut
    /// loses them — a consumer applying another service's events, when it emits none and
    /// answers nobody: its cursor moves in the same transaction, so a lost commit takes the
    /// cursor back with its effects and the events are applied again. When `rederivable`
    /// says so of the result, the commit (if every write in it agrees) skips the sync to
    /// disk; a process crash loses nothing either way, and the next durable commit or
    /// checkpoint makes it durable.
    @discardableResult
    public func write<T: Sendable>(rederivable: @escaping @Sendable (T) -> Bool,
                                   _ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            writer.enqueue(Job(body: body, continuation: continuation, rederivable: rederivable))
        }
    }

    /// Runs `body` in a read transaction on a reader connection (a consistent snapshot).
    @discardableResult
    public func read<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T {
        let i = nextReader.add(1, ordering: .relaxed).newValue % readers.count
        return try await withCheckedThrowingContinuation { continuation in
            readers[i].enqueue(Job(body: body, continuation: continuation))
        }
    }

    /// Whether writes are queued or being committed now (a caller's own finished write is
    /// not counted once it has returned).
    public var hasWritesInFlight: Bool { writer.inFlight.load(ordering: .relaxed) > 0 }

    /// Statistics for `/metrics`.
    public var commitStats: CommitStats { writer.stats.withLock { $0 } }

    /// SQLite: checkpoints that made the write-ahead log start over, and those that gave up
    /// waiting for its readers.
    public var logRestarts: (done: Int, givenUp: Int) {
        (checkpointer?.restarts.load(ordering: .relaxed) ?? 0, checkpointer?.restartsGivenUp.load(ordering: .relaxed) ?? 0)
    }

    /// Whether the latest write reached the disk, or the temporary fault that stopped it
    /// (disk full, read-only, I/O, connection), for `/readyz`.
    public var writeHealth: WriteHealth { writer.health.withLock { $0 } }

    /// Stops the worker threads after the queued work is done and closes the connections.
    public func close() {
        writer.stop()
        checkpointer?.stop()
        for r in readers { r.stop() }
    }

    deinit { close() }
}

/// The outcome of the latest write transaction.
public struct WriteHealth: Sendable, Equatable {
    /// The temporary fault of the latest write, nil when it committed (or none was made).
    public var fault: String?
    /// When writes started failing.
    public var since: Date?
    public var isWritable: Bool { fault == nil }
}

/// Group-commit counters.
public struct CommitStats: Sendable {
    public var commits: Int = 0
    /// Commits of rederivable writes only, not synced to disk (see `write(rederivable:_:)`).
    public var unsyncedCommits: Int = 0
    public var writes: Int = 0
    public var failedCommits: Int = 0
    /// Syncs of the write-ahead log made off the writer's thread, each covering every commit
    /// before it (`LogSyncer`; SQLite only).
    public var logSyncs: Int = 0
    /// The writer's time in transactions, from BEGIN to COMMIT (a pipelined sync excluded).
    public var commitSecondsTotal: Double = 0
    /// The writer connection's statements and round trips (failed commits included).
    public var exchanges = StatementExchanges()
}

/// A queued closure with its caller's continuation. `run` executes on a worker thread.
final class Job<T: Sendable>: AnyJob, @unchecked Sendable {
    // @unchecked: `result` is written on the worker thread that runs the job and read there,
    // or by the `LogSyncer` it is handed to through a lock.
    private let body: @Sendable (Transaction) throws -> T
    private let continuation: CheckedContinuation<T, any Error>
    private let rederivable: (@Sendable (T) -> Bool)?
    private var result: Result<T, any Error>?

    init(body: @escaping @Sendable (Transaction) throws -> T, continuation: CheckedContinuation<T, any Error>,
         rederivable: (@Sendable (T) -> Bool)? = nil) {
        self.body = body
        self.continuation = continuation
        self.rederivable = rederivable
    }

    var needsDurability: Bool {
        guard let rederivable, case .success(let value)? = result else { return true }
        return !rederivable(value)
    }

    func run(_ tx: Transaction) throws {
        do {
            result = .success(try body(tx))
        } catch {
            result = .failure(error)
            throw error
        }
    }

    func finish(overriding error: (any Error)?) {
        if let error {
            continuation.resume(throwing: error)
        } else {
            continuation.resume(with: result ?? .failure(DatabaseError(code: .misuse, engineMessage: "job not run")))
        }
    }
}

protocol AnyJob: AnyObject, Sendable {
    func run(_ tx: Transaction) throws
    /// Whether the commit holding this job's changes must reach the disk before it is
    /// acknowledged (asked after `run`).
    var needsDurability: Bool { get }
    /// Resumes the caller with the job's own result, or with `error` when the commit failed.
    func finish(overriding error: (any Error)?)
}

/// A FIFO of jobs that a worker thread drains.
final class JobQueue: Sendable {
    private struct State {
        var jobs: [any AnyJob] = []
        var stopped = false
    }
    private let state = Mutex(State())
    private let signal = DispatchSemaphore(value: 0)

    func push(_ job: any AnyJob) -> Bool {
        let accepted = state.withLock { s -> Bool in
            guard !s.stopped else { return false }
            s.jobs.append(job)
            return true
        }
        if accepted { signal.signal() }
        return accepted
    }

    /// Waits for work; returns up to `max` jobs, or `nil` once stopped and drained.
    func take(max: Int) -> [any AnyJob]? {
        while true {
            let (batch, stopped) = state.withLock { s in (Self.remove(upTo: max, from: &s.jobs), s.stopped) }
            if !batch.isEmpty { return batch }
            if stopped { return nil }
            signal.wait()
        }
    }

    /// Whatever is queued now, without waiting.
    func takeNow(max: Int) -> [any AnyJob] { state.withLock { Self.remove(upTo: max, from: &$0.jobs) } }

    private static func remove(upTo max: Int, from jobs: inout [any AnyJob]) -> [any AnyJob] {
        let n = Swift.min(max, jobs.count)
        let batch = Array(jobs.prefix(n))
        jobs.removeFirst(n)
        return batch
    }

    func stop() {
        state.withLock { $0.stopped = true }
        signal.signal()
    }
}

/// Owns a connection on a dedicated thread.
class Worker: @unchecked Sendable {
    // @unchecked: `connection` is touched only by the worker thread after init.
    let connection: any SQLConnection
    let queue = JobQueue()
    private let finished = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)

    /// The worker's own thread, once it runs (to tell whether `stop` is called from it).
    private let thread = Mutex<pthread_t?>(nil)

    init(connection: any SQLConnection, name: String) {
        self.connection = connection
        // Service code (JSON decoding, Foundation time zones) runs here: give it a main-thread-sized stack.
        NamedThread.start(name, stackSize: 8 << 20) { [self] in
            thread.withLock { $0 = pthread_self() }
            self.loop()
            self.connection.close()
            self.finished.signal()
        }
    }

    /// Queues `job`; false (and the job finished with an error) once the worker is stopped.
    @discardableResult
    func enqueue(_ job: any AnyJob) -> Bool {
        guard queue.push(job) else {
            job.finish(overriding: DatabaseError(code: .misuse, engineMessage: "database closed"))
            return false
        }
        return true
    }

    func loop() {}

    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        queue.stop()
        // A worker releasing the last reference to its database runs this on its own
        // thread: waiting for itself would never end, and it is about to finish anyway.
        if let own = thread.withLock({ $0 }), pthread_equal(own, pthread_self()) != 0 { return }
        finished.wait()
    }

    /// Re-establishes a broken connection before running more work.
    func ensureHealthy() throws {
        if !connection.isHealthy { try connection.reconnect() }
    }

    /// Opens a transaction. A connection the server dropped (a restart, a failover) shows only
    /// when next used; when BEGIN itself finds it broken nothing has run yet, so the worker
    /// reconnects and begins once more instead of failing the caller's request.
    func begin(_ statement: String) throws {
        try ensureHealthy()
        do {
            try connection.executeScript(statement)
        } catch where !connection.isHealthy {
            try connection.reconnect()
            try connection.executeScript(statement)
        }
    }
}

final class ReadWorker: Worker, @unchecked Sendable {
    override func loop() {
        while let jobs = queue.take(max: 1) {
            for job in jobs {
                do {
                    try begin("BEGIN")
                    if connection.engine == .sqlite {
                        // Starts the read transaction now, which makes SQLite notice schema changes
                        // (migrations) made by the writer since this connection last read.
                        _ = try connection.query("SELECT 1 FROM sqlite_schema LIMIT 1", [])
                    }
                    let outcome: (any Error)?
                    do {
                        try job.run(Transaction(connection))
                        outcome = nil
                    } catch { outcome = error }
                    try? connection.executeScript(outcome == nil ? "COMMIT" : "ROLLBACK")
                    job.finish(overriding: nil)
                } catch {
                    job.finish(overriding: error)
                }
            }
        }
    }
}

/// Group commit's wait for company, after PostgreSQL's `commit_delay` and `commit_siblings`:
/// when recent commits carried many writes (a moving average), writers are busy and more are
/// on their way, so a commit about to go out thin waits a moment for them to share its fsync.
/// When writes come one at a time the average falls within a few commits and nothing waits.
public struct CommitDelay: Sendable, Equatable {
    public let microseconds: Int
    /// A commit carrying at least this many writes counts as busy.
    public static let busyBatch = 8

    public init(microseconds: Int) { self.microseconds = max(0, microseconds) }

    /// Whether to wait before committing `queued` writes, given the recent average commit size.
    public func shouldWait(queued: Int, recentBatch: Double, maxBatch: Int) -> Bool {
        microseconds > 0 && maxBatch >= Self.busyBatch && recentBatch >= Double(Self.busyBatch) && queued < Self.busyBatch
    }

    /// The moving average after a commit of `batch` writes.
    public static func average(_ recent: Double, after batch: Int) -> Double { recent * 0.75 + Double(batch) * 0.25 }
}

final class WriteWorker: Worker, @unchecked Sendable {
    let maxBatch: Int
    let commitDelay: CommitDelay
    let logger: Logger
    let stats = Mutex(CommitStats())
    let health = Mutex(WriteHealth())

    /// Records a write's outcome: a commit clears a fault; a temporary fault sets it. Other
    /// errors are the work's own (a constraint), not the storage's.
    private func record(_ error: (any Error)?) {
        if error == nil {
            health.withLock { if $0.fault != nil { $0 = WriteHealth() } }
        } else if let db = error as? DatabaseError, db.isTransient {
            health.withLock { h in
                if h.fault == nil { h.since = Date() }
                h.fault = db.description
            }
        }
    }

    /// Writes queued or being committed. A caller that sees none besides its own finished one
    /// knows no more of this service's writes (and so events) are on their way right now.
    let inFlight = Atomic<Int>(0)

    @discardableResult
    override func enqueue(_ job: any AnyJob) -> Bool {
        inFlight.add(1, ordering: .relaxed)
        guard super.enqueue(job) else {
            inFlight.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Out of flight first, then answered: a caller resumed by `finish` sees only the others.
    private func finish(_ jobs: [any AnyJob], overriding error: (any Error)?) {
        inFlight.subtract(jobs.count, ordering: .relaxed)
        for job in jobs { job.finish(overriding: error) }
    }

    /// Counts a commit's outcome with the connection's exchanges so far, before anyone waiting
    /// on it is answered (a caller that reads the stats then sees its own write in them).
    private func updateStats(_ change: (inout CommitStats) -> Void) {
        let exchanges = connection.exchanges
        stats.withLock {
            $0.exchanges = exchanges
            change(&$0)
        }
    }

    /// Durable commits answered by a `LogSyncer` once synced, while this thread commits on.
    let pipelinesSyncs: Bool

    init(connection: any SQLConnection, name: String, maxBatch: Int, commitDelay: CommitDelay, pipelinesSyncs: Bool,
         logger: Logger) throws {
        self.maxBatch = maxBatch
        self.commitDelay = commitDelay
        self.pipelinesSyncs = pipelinesSyncs
        self.logger = logger
        super.init(connection: connection, name: name)
    }

    /// The syncer's half of durable commits: answered once the log is synced. A failed sync
    /// fails every write it covered: their changes are committed but may not be on disk, so
    /// nobody is told they are (a retry finds them, as after any ambiguous failure).
    private func synced(_ batches: [[any AnyJob]], _ error: (any Error)?) {
        record(error)
        stats.withLock {
            if error == nil { $0.logSyncs += 1 } else { $0.failedCommits += batches.count }
        }
        if let error {
            logger.error("write-ahead log sync failed", ["db.error": "\(error)", "db.batches": String(batches.count)])
        }
        for jobs in batches { finish(jobs, overriding: error) }
    }

    override func loop() {
        let begin = connection.engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        var recentBatch = 0.0
        let syncer = connection.logSync.flatMap { sync in
            pipelinesSyncs ? LogSyncer(name: "db.sync", sync: sync, finish: { [self] in synced($0, $1) }) : nil
        }
        // The last batches are synced and answered before the connection closes.
        defer { syncer?.stop() }
        while var jobs = queue.take(max: maxBatch) {
            if commitDelay.shouldWait(queued: jobs.count, recentBatch: recentBatch, maxBatch: maxBatch) {
                usleep(UInt32(commitDelay.microseconds))
                jobs += queue.takeNow(max: maxBatch - jobs.count)
            }
            recentBatch = CommitDelay.average(recentBatch, after: jobs.count)
            let started = DispatchTime.now().uptimeNanoseconds
            let shared = SharedCommit()
            do {
                try self.begin(begin)
                if jobs.count == 1 {
                    // A lone write needs no savepoint: its failure rolls back the whole transaction.
                    do {
                        try jobs[0].run(Transaction(connection, shared: shared))
                        try connection.settle()
                    } catch {
                        try? connection.executeScript("ROLLBACK")
                        record(error)
                        updateStats { _ in }
                        finish(jobs, overriding: nil)
                        continue
                    }
                } else {
                    for job in jobs {
                        // Deferred: on PostgreSQL the savepoint and the previous job's release
                        // travel with this job's first statement (one round trip, not three).
                        try connection.executeDeferred("SAVEPOINT hotline_write")
                        shared.beginWrite()
                        do {
                            try job.run(Transaction(connection, shared: shared))
                            try connection.settle()
                            try connection.executeDeferred("RELEASE SAVEPOINT hotline_write")
                        } catch let error as DatabaseError where error.isTransient {
                            // The storage failed, not this job: the whole batch fails and is retried by its callers.
                            throw error
                        } catch {
                            try connection.executeScript("ROLLBACK TO SAVEPOINT hotline_write")
                            try connection.executeScript("RELEASE SAVEPOINT hotline_write")
                            shared.rollBackWrite()
                        }
                    }
                }
                try shared.finish(connection)
                let durable = jobs.contains { $0.needsDurability }
                // A durable commit goes to the syncer when there is one, synced in COMMIT otherwise.
                let syncLater = durable ? syncer : nil
                try connection.commit(durable: durable && syncLater == nil)
                if syncLater == nil { record(nil) }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                updateStats {
                    $0.commits += 1
                    if !durable { $0.unsyncedCommits += 1 }
                    $0.writes += jobs.count
                    $0.commitSecondsTotal += seconds
                }
                // A commit nobody needs on disk is answered now: it publishes nothing, and the
                // log's order makes it durable only after the earlier ones anyway.
                if let syncLater { syncLater.submit(jobs) } else { finish(jobs, overriding: nil) }
            } catch {
                try? connection.executeScript("ROLLBACK")
                record(error)
                updateStats { $0.failedCommits += 1 }
                logger.error("commit failed", ["db.error": "\(error)", "db.batch": String(jobs.count)])
                finish(jobs, overriding: error)
            }
        }
    }
}
