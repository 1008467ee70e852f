internal import CSQLite
import FoundationEssentials
import Glibc
import HotlineCore
import Synchronization

/// A SQLite connection in WAL mode with a prepared-statement cache.
final class SQLiteConnection: SQLConnection {
    let engine = DatabaseEngine.sqlite
    private var handle: OpaquePointer?
    private var statements: [String: Prepared] = [:]

    /// A compiled statement with its column names (read once, not per query).
    private struct Prepared {
        let statement: OpaquePointer
        let columns: [String]
    }
    private let path: String
    /// Whether durable commits sync the write-ahead log themselves (see `commit(durable:)`).
    private let syncsDurableCommits: Bool

    /// Opens (creating if needed) the database file at `path`.
    /// - Parameters:
    ///   - synchronousFull: every durable commit reaches the disk before it returns (what
    ///     `synchronous=FULL` gives) or only at checkpoints (`NORMAL`). SQLite itself runs at
    ///     NORMAL either way — it cannot change the level inside a transaction, and whether a
    ///     commit must be durable is known only at its end — and `commit(durable:)` syncs the
    ///     log as FULL would.
    ///   - cacheMiB: the page cache's bound (allocated as used).
    init(path: String, synchronousFull: Bool, cacheMiB: Int = 16, logger: Logger) throws(DatabaseError) {
        SQLiteErrorLog.install(logger)
        self.path = path
        syncsDurableCommits = synchronousFull
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(db)
            throw DatabaseError.sqlite(rc, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 10_000)
        // The page cache's size is the caller's (see `Database`: large ones cost every commit).
        try executeScript(
            """
            PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;
            PRAGMA cache_size=-\(cacheMiB * 1024); PRAGMA temp_store=MEMORY;
            """)
    }

    deinit { close() }

    func close() {
        for (_, prepared) in statements { sqlite3_finalize(prepared.statement) }
        statements.removeAll()
        sqlite3_close_v2(handle)
        handle = nil
    }

    var isHealthy: Bool { handle != nil }

    /// The database's page size in bytes (the size of every frame in the write-ahead log).
    private(set) lazy var pageSize: Int = (try? query("PRAGMA page_size", []).first?.int("page_size")).flatMap { $0.map(Int.init) } ?? 4096

    /// A RESTART checkpoint: everything copied into the database file and, once the readers
    /// of the log are done, the next commit starts the log over. Commits wait meanwhile, so
    /// the wait is bounded by `waitMilliseconds`.
    /// - Returns: whether it completed (false: a reader or the writer held on longer).
    func restartCheckpoint(waitMilliseconds: Int32) throws(DatabaseError) -> Bool {
        sqlite3_busy_timeout(handle, waitMilliseconds)
        defer { sqlite3_busy_timeout(handle, 10_000) }
        return try query("PRAGMA wal_checkpoint(RESTART)", []).first?.int("busy") == 0
    }

    /// COMMIT, then for a durable one the write-ahead log synced as `synchronous=FULL` does at
    /// every commit. At NORMAL SQLite still syncs the log's header when it starts over and the
    /// log before each checkpoint, so a commit left unsynced becomes durable with the next
    /// synced one (the log is written in order) or the next checkpoint.
    func commit(durable: Bool) throws(DatabaseError) {
        try executeScript("COMMIT")
        if durable, let logSync { try logSync() }
    }

    /// Syncs the write-ahead log as `synchronous=FULL` would at a commit; nil when durable
    /// commits are not synced (`synchronousFull` false).
    var logSync: (@Sendable () throws(DatabaseError) -> Void)? {
        guard syncsDurableCommits else { return nil }
        let log = path + "-wal"
        return { () throws(DatabaseError) in try Self.syncLog(log) }
    }

    /// A descriptor of our own: SQLite's is private, and fdatasync flushes the file's dirty
    /// pages whichever descriptor asks. Opened each time, so a log file replaced meanwhile
    /// (every connection closed) is never missed.
    private static func syncLog(_ log: String) throws(DatabaseError) {
        let fd = Glibc.open(log, O_RDWR | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return }  // no log: the commit went straight into the database file
            throw DatabaseError(code: .io, engineMessage: "cannot open the write-ahead log to sync it: \(String(cString: strerror(errno)))")
        }
        defer { Glibc.close(fd) }
        guard fdatasync(fd) == 0 else {
            throw DatabaseError(code: .io, engineMessage: "write-ahead log sync failed: \(String(cString: strerror(errno)))")
        }
    }

    func reconnect() throws(DatabaseError) {}

    private(set) var exchanges = StatementExchanges()

    func query(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> [Row] {
        var rows: [Row] = []
        try step(sql, parameters) { rows.append($0) }
        return rows
    }

    func forEachRow(_ sql: String, _ parameters: [SQLValue], _ body: (Row) throws -> Void) throws {
        var failure: (any Error)?
        try step(sql, parameters) { row in
            guard failure == nil else { return }
            do { try body(row) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Runs the statement and hands each row to `body` as it is read.
    private func step(_ sql: String, _ parameters: [SQLValue], _ body: (Row) -> Void) throws(DatabaseError) {
        exchanges.statements += 1
        let prepared = try prepare(sql)
        let statement = prepared.statement
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try bind(parameters, to: statement)
        let names = prepared.columns
        let columnCount = names.count
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(rc) }
            var values: [SQLValue] = []
            values.reserveCapacity(columnCount)
            for i in 0..<Int32(columnCount) {
                switch sqlite3_column_type(statement, i) {
                case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(statement, i)))
                case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(statement, i)))
                case SQLITE_TEXT:
                    let count = Int(sqlite3_column_bytes(statement, i))
                    let text = sqlite3_column_text(statement, i)!
                    values.append(.text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)))
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(statement, i))
                    if count == 0 {
                        values.append(.blob([]))
                    } else {
                        let raw = sqlite3_column_blob(statement, i)!.assumingMemoryBound(to: UInt8.self)
                        values.append(.blob(Array(UnsafeBufferPointer(start: raw, count: count))))
                    }
                default: values.append(.null)
                }
            }
            body(Row(columns: names, values: values))
        }
    }

    func execute(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> Int {
        _ = try query(sql, parameters)
        return Int(sqlite3_changes(handle))
    }

    func executeScript(_ sql: String) throws(DatabaseError) {
        if Self.transactionControl.contains(sql) {
            // Run on every write: compiled once instead of parsed each time.
            _ = try query(sql, [])
            return
        }
        exchanges.statements += 1
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "error"
            sqlite3_free(message)
            throw DatabaseError.sqlite(rc, message: text)
        }
    }

    /// The transaction-control statements the database workers issue on every write.
    private static let transactionControl: Set<String> = [
        "BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK", "SAVEPOINT hotline_write", "RELEASE SAVEPOINT hotline_write",
        "ROLLBACK TO SAVEPOINT hotline_write",
    ]

    private func prepare(_ sql: String) throws(DatabaseError) -> Prepared {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc) }
        if statements.count > 256 {
            for (_, old) in statements { sqlite3_finalize(old.statement) }
            statements.removeAll()
        }
        let count = Int(sqlite3_column_count(statement))
        let prepared = Prepared(statement: statement,
                                columns: (0..<count).map { String(cString: sqlite3_column_name(statement, Int32($0))) })
        statements[sql] = prepared
        return prepared
    }

    private func bind(_ parameters: [SQLValue], to statement: OpaquePointer) throws(DatabaseError) {
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == parameters.count else {
            throw DatabaseError(
                code: .misuse, engineMessage: "statement takes \(expected) parameters, \(parameters.count) given")
        }
        for (offset, value) in parameters.enumerated() {
            let i = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(statement, i)
            case .integer(let v): rc = sqlite3_bind_int64(statement, i, v)
            case .real(let v): rc = sqlite3_bind_double(statement, i, v)
            case .text(let s): rc = sqlite3_bind_text(statement, i, s, -1, hotline_sqlite_transient())
            case .blob(let b):
                rc = b.withUnsafeBytes { raw in
                    sqlite3_bind_blob(statement, i, raw.baseAddress, Int32(raw.count), hotline_sqlite_transient())
                }
            }
            guard rc == SQLITE_OK else { throw error(rc) }
        }
    }

    private func error(_ rc: Int32) -> DatabaseError {
        DatabaseError.sqlite(sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// Routes SQLite's process-wide error log to the logger instead of stderr.
enum SQLiteErrorLog {
    private final class Box: Sendable {
        let logger = Mutex<Logger?>(nil)
    }
    private static let box = Box()
    /// Configured once, before the first connection opens (SQLite takes configuration only
    /// before it initialises): the error log, and no memory statistics.
    private static let installed: Bool = {
        _ = hotline_sqlite_config_no_memstatus()
        let context = Unmanaged.passUnretained(box).toOpaque()
        return hotline_sqlite_config_log({ context, code, message in
            guard let context else { return }
            let box = Unmanaged<Box>.fromOpaque(context).takeUnretainedValue()
            let text = message.map { String(cString: $0) } ?? ""
            // SQLITE_SCHEMA (17) and the WAL recovery notice (283) are SQLite handling itself.
            let level: Logger.Level = (code & 0xff) == 17 || code == 283 ? .debug : .warning
            box.logger.withLock { $0 }?.log(level, "sqlite log", ["db.code": String(code), "db.message": text])
        }, context) == SQLITE_OK
    }()

    static func install(_ logger: Logger) {
        box.logger.withLock { if $0 == nil { $0 = logger } }
        _ = installed
    }
}
