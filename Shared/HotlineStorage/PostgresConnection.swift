internal import CLibPQ
import FoundationEssentials
import Glibc
import HotlineCore

/// libpq's functions, loaded on first use (`Shared/CLibPQ/shim.h`), or why they could not be.
private let libpq: Result<hotline_libpq, DatabaseError> = {
    // The table is filled by the loader; it lives as long as the process.
    let table = UnsafeMutablePointer<hotline_libpq>.allocate(capacity: 1)
    if let failure = hotline_libpq_load(table) {
        return .failure(DatabaseError(code: .connection, engineMessage: "cannot load libpq (install libpq5): " + String(cString: failure)))
    }
    return .success(table.pointee)
}()

/// A C string libpq returned, or "" for none.
private func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }

/// A libpq connection working inside one schema, with a prepared-statement cache.
final class PostgresConnection: SQLConnection {
    let engine = DatabaseEngine.postgres
    private let pq: hotline_libpq
    private var handle: OpaquePointer?
    private var prepared: [String: String] = [:]
    /// Commands sent ahead of the next statement, in one pipeline with it.
    private var deferred: [Deferred] = []

    private enum Deferred {
        case command(String)
        case prepared(name: String, parameters: [String?])
    }
    private let conninfo: String
    private let schema: String
    private let noticeContext: Unmanaged<NoticeForwarder>

    /// Whether this session holds the service's instance lock (taken again on every reconnect).
    private let exclusive: Bool

    init(conninfo: String, schema: String, logger: Logger, exclusive: Bool = false) throws(DatabaseError) {
        pq = try libpq.get()
        self.conninfo = conninfo
        self.schema = schema
        self.exclusive = exclusive
        noticeContext = Unmanaged.passRetained(NoticeForwarder(logger: logger))
        try connect()
    }

    deinit {
        close()
        noticeContext.release()
    }

    func close() {
        pq.PQfinish(handle)
        handle = nil
        prepared.removeAll()
        deferred.removeAll()
    }

    /// The server refused a write as read-only (25006). A session keeps the read-only default
    /// it started with (`default_transaction_read_only`, set while the database was switched to
    /// read-only) even once the database is writable again, so such a session is replaced
    /// before its next use; on a standby the new one is refused too, and the caller waits on.
    private var refusedAsReadOnly = false

    private(set) var exchanges = StatementExchanges()

    var isHealthy: Bool { handle != nil && !refusedAsReadOnly && pq.PQstatus(handle) == CONNECTION_OK }

    func reconnect() throws(DatabaseError) {
        pq.PQfinish(handle)
        handle = nil
        prepared.removeAll()
        deferred.removeAll()
        try connect()
    }

    private func connect() throws(DatabaseError) {
        let conn = pq.PQconnectdb(Self.naming(conninfo, schema: schema))
        guard let conn, pq.PQstatus(conn) == CONNECTION_OK else {
            let message = conn.map { text(pq.PQerrorMessage($0)) } ?? "out of memory"
            pq.PQfinish(conn)
            throw DatabaseError(code: .connection, engineMessage: message)
        }
        handle = conn
        _ = pq.PQsetNoticeProcessor(conn, { context, message in
            guard let context, let message else { return }
            let forwarder = Unmanaged<NoticeForwarder>.fromOpaque(context).takeUnretainedValue()
            forwarder.logger.notice(
                "postgres notice",
                ["db.message": String(cString: message).trimmingWhitespaceAndNewlines()])
        }, noticeContext.toOpaque())
        // Usable only once it works inside the schema: a session left without its search_path
        // would run every statement against the wrong tables.
        let quoted = "\"" + schema.replacing("\"", with: "\"\"") + "\""
        do throws(DatabaseError) {
            do {
                try executeScript("CREATE SCHEMA IF NOT EXISTS \(quoted)")
            } catch let e where e.sqlState == "42501" || e.sqlState == "25006" {
                // A role without CREATE on the database, or a read-only server: the schema
                // must exist already (init SQL, an earlier start).
            }
            try executeScript("SET search_path TO \(quoted)")
            if exclusive {
                // One instance per service per database: a session advisory lock, released
                // by the server when this session ends (the process died or was cut off).
                let held = try query("SELECT pg_try_advisory_lock(hashtext('hotline'), hashtext(?)) AS held", [.text(schema)])
                guard held.first?.bool("held") == true else {
                    throw DatabaseError(code: .busy, engineMessage: "another instance of \(schema) holds its lock on this database")
                }
            }
        } catch {
            pq.PQfinish(conn)
            handle = nil
            throw error
        }
        refusedAsReadOnly = false  // the schema refused above on a read-only server is expected
    }

    func query(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> [Row] {
        let result = try run(sql, parameters)
        defer { pq.PQclear(result) }
        let rowCount = Int(pq.PQntuples(result))
        let columnCount = Int(pq.PQnfields(result))
        if columnCount == 0 { return [] }
        var names: [String] = []
        var types: [UInt32] = []
        for c in 0..<Int32(columnCount) {
            names.append(text(pq.PQfname(result, c)))
            types.append(pq.PQftype(result, c))
        }
        var rows: [Row] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<Int32(rowCount) {
            var values: [SQLValue] = []
            values.reserveCapacity(columnCount)
            for c in 0..<Int32(columnCount) {
                if pq.PQgetisnull(result, r, c) == 1 {
                    values.append(.null)
                    continue
                }
                let length = Int(pq.PQgetlength(result, r, c))
                let raw = pq.PQgetvalue(result, r, c)!
                let text = raw.withMemoryRebound(to: UInt8.self, capacity: length) {
                    String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                }
                switch types[Int(c)] {
                case 20, 21, 23: values.append(Int64(text).map(SQLValue.integer) ?? .text(text))
                case 700, 701, 1700: values.append(Double(text).map(SQLValue.real) ?? .text(text))
                case 16: values.append(.integer(text == "t" ? 1 : 0))
                case 17: values.append(.blob(Self.decodeBytea(text)))
                default: values.append(.text(text))
                }
            }
            rows.append(Row(columns: names, values: values))
        }
        return rows
    }

    func execute(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> Int {
        let result = try run(sql, parameters)
        defer { pq.PQclear(result) }
        return Int(text(pq.PQcmdTuples(result))) ?? 0
    }

    func executeScript(_ sql: String) throws(DatabaseError) {
        // A whole rollback makes deferred savepoints moot, and must never be skipped because
        // one of them failed in a pipeline before it.
        if sql == "ROLLBACK" { deferred.removeAll() }
        exchanges.statements += 1
        if !deferred.isEmpty {
            // One parameterless command joins the pipeline; a script goes after it alone.
            if !sql.contains(";") {
                pq.PQclear(try pipeline(then: { [pq] handle in pq.PQsendQueryParams(handle, sql, 0, nil, nil, nil, nil, 0) }))
                return
            }
            try flushDeferred()
        }
        exchanges.roundTrips += 1
        let result = pq.PQexec(handle, sql)
        defer { pq.PQclear(result) }
        try check(result)
    }

    func executeDeferred(_ sql: String) throws(DatabaseError) {
        exchanges.statements += 1
        deferred.append(.command(sql))
    }

    func commit(durable: Bool) throws(DatabaseError) {
        // The server's own switch for this transaction alone; a later synchronous commit
        // flushes the log up to itself, this one included. Travels with COMMIT.
        if !durable { try executeDeferred("SET LOCAL synchronous_commit TO off") }
        try executeScript("COMMIT")
    }

    /// The server syncs its log itself before a durable COMMIT returns.
    var logSync: (@Sendable () throws(DatabaseError) -> Void)? { nil }

    func executeDeferred(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) {
        exchanges.statements += 1
        deferred.append(.prepared(name: try preparedName(sql), parameters: Self.texts(parameters)))
    }

    func settle() throws(DatabaseError) {
        if deferred.contains(where: { if case .prepared = $0 { return true } else { return false } }) { try flushDeferred() }
    }

    /// Sends what is deferred now, on its own.
    private func flushDeferred() throws(DatabaseError) {
        _ = try pipeline(then: nil)
    }

    private func sendDeferred(_ item: Deferred) -> Int32 {
        switch item {
        case .command(let sql): return pq.PQsendQueryParams(handle, sql, 0, nil, nil, nil, nil, 0)
        case .prepared(let name, let parameters):
            return Self.withCStrings(parameters) { pointers in
                pq.PQsendQueryPrepared(handle, name, Int32(pointers.count), pointers, nil, nil, 0)
            }
        }
    }

    /// Sends the deferred commands and then one statement (queued by `send`, if any) in
    /// pipeline mode, with one sync: a single round trip. Every result is read up to the sync,
    /// so the connection is clean whatever failed; the first failure is thrown.
    /// - Returns: the statement's result (the caller clears it); nil without a statement.
    private func pipeline(then send: ((OpaquePointer?) -> Int32)?) throws(DatabaseError) -> OpaquePointer? {
        let commands = deferred
        deferred.removeAll()
        exchanges.roundTrips += 1
        guard pq.PQenterPipelineMode(handle) == 1 else {
            throw DatabaseError(code: .connection, engineMessage: "cannot enter pipeline mode: " + text(pq.PQerrorMessage(handle)))
        }
        var queued = 0
        for command in commands where sendDeferred(command) == 1 { queued += 1 }
        let allQueued = queued == commands.count && (send.map { $0(handle) == 1 } ?? true)
        if allQueued && send != nil { queued += 1 }
        _ = pq.PQpipelineSync(handle)
        var failure: DatabaseError?
        var statementResult: OpaquePointer?
        for index in 0..<queued {
            guard let result = pq.PQgetResult(handle) else { break }
            if pq.PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                pq.PQclear(result)
            } else if index == commands.count {
                do { try check(result) } catch { failure = failure ?? error }
                statementResult = result
            } else {
                do { try check(result) } catch { failure = failure ?? error }
                pq.PQclear(result)
            }
            // Each query's results end with a null.
            while let extra = pq.PQgetResult(handle) { pq.PQclear(extra) }
        }
        // Up to and including the sync point.
        while let result = pq.PQgetResult(handle) {
            let status = pq.PQresultStatus(result)
            pq.PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        _ = pq.PQexitPipelineMode(handle)
        if !allQueued && failure == nil {
            failure = DatabaseError(code: .connection, engineMessage: "pipeline not sent: " + text(pq.PQerrorMessage(handle)))
        }
        if let failure {
            if let statementResult { pq.PQclear(statementResult) }
            throw failure
        }
        if send != nil && statementResult == nil {
            throw DatabaseError(code: .connection, engineMessage: "no result (connection lost)")
        }
        return statementResult
    }

    /// The name of the statement prepared for `sql` (prepared now if this connection has not yet).
    private func preparedName(_ sql: String) throws(DatabaseError) -> String {
        if let cached = prepared[sql] { return cached }
        let name = "s\(prepared.count + 1)"
        exchanges.roundTrips += 1
        let result = pq.PQprepare(handle, name, Self.numberPlaceholders(sql), 0, nil)
        defer { pq.PQclear(result) }
        try check(result)
        prepared[sql] = name
        return name
    }

    private static func texts(_ parameters: [SQLValue]) -> [String?] {
        var texts: [String?] = []
        texts.reserveCapacity(parameters.count)
        for p in parameters {
            switch p {
            case .null: texts.append(nil)
            case .integer(let v): texts.append(String(v))
            case .real(let v): texts.append(String(v))
            case .text(let s): texts.append(s)
            case .blob(let b): texts.append("\\x" + Hex.encode(b))
            }
        }
        return texts
    }

    /// Prepares (once per connection) and executes a statement with text parameters.
    private func run(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> OpaquePointer {
        let name = try preparedName(sql)
        let texts = Self.texts(parameters)
        exchanges.statements += 1
        if !deferred.isEmpty {
            // A statement was sent, so a result came back (or `pipeline` threw).
            return try pipeline { [pq] handle in
                Self.withCStrings(texts) { pointers in pq.PQsendQueryPrepared(handle, name, Int32(pointers.count), pointers, nil, nil, 0) }
            }!
        }
        exchanges.roundTrips += 1
        let result = Self.withCStrings(texts) { pointers in
            pq.PQexecPrepared(handle, name, Int32(pointers.count), pointers, nil, nil, 0)
        }
        guard let result else { throw DatabaseError(code: .connection, engineMessage: "no result (connection lost)") }
        do { try check(result) } catch {
            pq.PQclear(result)
            throw error
        }
        return result
    }

    private func check(_ result: OpaquePointer?) throws(DatabaseError) {
        let status = pq.PQresultStatus(result)
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY { return }
        let state = pq.PQresultErrorField(result, hotline_pg_diag_sqlstate()).map { String(cString: $0) }
        var message = pq.PQresultErrorField(result, hotline_pg_diag_message_primary()).map { String(cString: $0) }
        if message == nil { message = text(pq.PQerrorMessage(handle)) }
        if state == "25006" { refusedAsReadOnly = true }
        throw DatabaseError.postgres(state, message: message ?? "unknown error")
    }

    /// The conninfo with a fallback application name, `hotline-<schema>`, so that the server's
    /// views (`pg_stat_activity`, its log) say which service a session is; an
    /// `application_name` the operator gave wins.
    static func naming(_ conninfo: String, schema: String) -> String {
        let name = "hotline-" + schema
        if conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://") {
            let encoded = PercentEncoding.encode(name)
            return conninfo + (conninfo.contains("?") ? "&" : "?") + "fallback_application_name=" + encoded
        }
        let quoted = name.replacing("\\", with: "\\\\").replacing("'", with: "\\'")
        return conninfo + " fallback_application_name='" + quoted + "'"
    }

    /// Rewrites `?` placeholders as `$1, $2, …`, leaving quoted text and comments alone.
    static func numberPlaceholders(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        var quote: Character?
        var inComment = false
        var previous: Character = " "
        for ch in sql {
            if inComment {
                out.append(ch)
                if ch == "\n" { inComment = false }
            } else if let q = quote {
                out.append(ch)
                if ch == q { quote = nil }
            } else if ch == "'" || ch == "\"" {
                quote = ch
                out.append(ch)
            } else if ch == "-" && previous == "-" {
                inComment = true
                out.append(ch)
            } else if ch == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(ch)
            }
            previous = ch
        }
        return out
    }

    private static func decodeBytea(_ text: String) -> [UInt8] {
        guard text.hasPrefix("\\x") else { return Array(text.utf8) }
        var out: [UInt8] = []
        var high: UInt8?
        for c in text.utf8.dropFirst(2) {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 97...102: v = c - 87
            case 65...70: v = c - 55
            default: continue
            }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return out
    }

    private static func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let storage: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } }
        defer { for p in storage { free(p) } }
        return body(storage.map { $0.map { UnsafePointer($0) } })
    }
}

/// Carries the logger into libpq's C notice callback.
final class NoticeForwarder: Sendable {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }
}
