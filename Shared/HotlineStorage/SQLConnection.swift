/// Which engine a connection speaks to; the only place services may branch on it is in
/// migrations, and even there rarely.
public enum DatabaseEngine: String, Sendable {
    case sqlite
    case postgres
}

extension SQLConnection {
    public func executeDeferred(_ sql: String) throws(DatabaseError) { try executeScript(sql) }
    public func executeDeferred(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) { try execute(sql, parameters) }
    public func settle() throws(DatabaseError) {}
    public func forEachRow(_ sql: String, _ parameters: [SQLValue], _ body: (Row) throws -> Void) throws {
        for row in try query(sql, parameters) { try body(row) }
    }
}

/// One open connection. Not thread-safe: each lives on its own worker thread, and callers
/// reach it only through `Database`, which hands it to closures on that thread.
public protocol SQLConnection: AnyObject {
    var engine: DatabaseEngine { get }

    /// Runs one statement with `?` placeholders and returns its rows.
    func query(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> [Row]

    /// Runs one statement and hands each row to `body` as it is read. SQLite keeps none of
    /// them: a read of a month's facts holds one row at a time instead of a few hundred
    /// thousand. PostgreSQL's client library has the whole result in memory either way.
    func forEachRow(_ sql: String, _ parameters: [SQLValue], _ body: (Row) throws -> Void) throws

    /// Runs one statement with `?` placeholders and returns the number of rows changed.
    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> Int

    /// Runs several statements without parameters (migrations, transaction control).
    func executeScript(_ sql: String) throws(DatabaseError)

    /// Runs one parameterless command whose outcome nobody waits for (a savepoint, its
    /// release): PostgreSQL sends it in one pipeline with the next statement, saving a round
    /// trip; if it fails, that next statement reports it. SQLite runs it at once.
    func executeDeferred(_ sql: String) throws(DatabaseError)

    /// Runs one statement whose row count nobody reads, likewise deferred on PostgreSQL.
    func executeDeferred(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError)

    /// Runs deferred statements now if any are waiting, so their failure belongs to the
    /// write that made them (the group-commit writer settles after each write).
    func settle() throws(DatabaseError)

    /// Ends the open transaction. `durable`: on stable storage before this returns (what
    /// every acknowledged write needs); otherwise it may be lost in a power cut (never in a
    /// crash of the process), and the next durable commit makes it durable with itself.
    func commit(durable: Bool) throws(DatabaseError)

    /// How to make what was committed without a sync durable later, from another thread
    /// (`LogSyncer`); nil when durable commits sync in the server (PostgreSQL) or not at all.
    var logSync: (@Sendable () throws(DatabaseError) -> Void)? { get }

    /// Whether the connection is still usable (PostgreSQL connections can break).
    var isHealthy: Bool { get }

    /// Tries to re-establish a broken connection.
    func reconnect() throws(DatabaseError)

    /// Closes the connection now (the server-side session ends), not at deallocation.
    func close()

    /// Statements run and waits for the server so far (kept across reconnects).
    var exchanges: StatementExchanges { get }
}

/// What a connection asked of its engine: how many statements, and how many times it waited
/// for a server's answer (a round trip over the socket: PostgreSQL; SQLite runs in the
/// process and never waits so). A group commit's cost on PostgreSQL is mostly its round trips.
public struct StatementExchanges: Sendable, Equatable {
    public var statements = 0
    public var roundTrips = 0
    public init(statements: Int = 0, roundTrips: Int = 0) {
        self.statements = statements
        self.roundTrips = roundTrips
    }
}

/// What a transaction's closure works with. Statements use `?` placeholders on both engines.
public struct Transaction {
    let connection: any SQLConnection
    /// What the writes of this commit share (nil in read transactions).
    public let shared: SharedCommit?

    init(_ connection: any SQLConnection, shared: SharedCommit? = nil) {
        self.connection = connection
        self.shared = shared
    }

    public var engine: DatabaseEngine { connection.engine }

    public func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [Row] {
        try connection.query(sql, parameters)
    }

    /// Hands each row to `body` as it is read (see `SQLConnection.forEachRow`): for reads of
    /// many rows that are turned into something else at once.
    public func forEachRow(_ sql: String, _ parameters: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        try connection.forEachRow(sql, parameters, body)
    }

    public func queryOne(_ sql: String, _ parameters: [SQLValue] = []) throws -> Row? {
        try connection.query(sql, parameters).first
    }

    /// Runs a statement whose row count is not needed. On PostgreSQL it is sent with the
    /// next statement of the transaction (one round trip for both), which reports its failure;
    /// a transaction must therefore end with a statement that is not deferred.
    public func executeDeferred(_ sql: String, _ parameters: [SQLValue] = []) throws {
        try connection.executeDeferred(sql, parameters)
    }

    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLValue] = []) throws -> Int {
        try connection.execute(sql, parameters)
    }

    public func executeScript(_ sql: String) throws { try connection.executeScript(sql) }

    /// Runs `write` — an INSERT of one row, or an UPDATE of the one row `readBack` selects by
    /// its key (`key`) — and returns that row as the write left it, nil when there is none.
    /// PostgreSQL: `write RETURNING *`, one statement and round trip. SQLite: `write`, then
    /// `readBack`: SQLite gathers RETURNING's rows in a temporary B-tree it opens and closes in
    /// every statement, which cost more than reading the row back by its key (an assignment's
    /// UPDATE by key 13 µs, with RETURNING 32 µs, followed by the SELECT 22 µs).
    public func write(_ write: String, _ parameters: [SQLValue], readingBack readBack: String, _ key: [SQLValue]) throws -> Row? {
        switch engine {
        case .postgres: return try queryOne(write + " RETURNING *", parameters)
        case .sqlite:
            try executeDeferred(write, parameters)
            return try queryOne(readBack, key)
        }
    }

    /// The first column of the first row as an integer.
    public func scalarInt(_ sql: String, _ parameters: [SQLValue] = []) throws -> Int64? {
        try connection.query(sql, parameters).first?.values.first?.int
    }
}
