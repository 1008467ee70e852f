/// Which engine a connection speaks to; the only place services may branch on it is in
/// migrations, and even there rarely.
public enum DatabaseEngine: String, Sendable {
    case sqlite
    case postgres
}

/// One open connection. Not thread-safe: each lives on its own worker thread, and callers
/// reach it only through `Database`, which hands it to closures on that thread.
public protocol SQLConnection: AnyObject {
    var engine: DatabaseEngine { get }

    /// Runs one statement with `?` placeholders and returns its rows.
    func query(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> [Row]

    /// Runs one statement with `?` placeholders and returns the number of rows changed.
    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> Int

    /// Runs several statements without parameters (migrations, transaction control).
    func executeScript(_ sql: String) throws(DatabaseError)

    /// Whether the connection is still usable (PostgreSQL connections can break).
    var isHealthy: Bool { get }

    /// Tries to re-establish a broken connection.
    func reconnect() throws(DatabaseError)

    /// Closes the connection now (the server-side session ends), not at deallocation.
    func close()
}

/// What a transaction's closure works with. Statements use `?` placeholders on both engines.
public struct Transaction {
    let connection: any SQLConnection

    init(_ connection: any SQLConnection) { self.connection = connection }

    public var engine: DatabaseEngine { connection.engine }

    public func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [Row] {
        try connection.query(sql, parameters)
    }

    public func queryOne(_ sql: String, _ parameters: [SQLValue] = []) throws -> Row? {
        try connection.query(sql, parameters).first
    }

    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLValue] = []) throws -> Int {
        try connection.execute(sql, parameters)
    }

    public func executeScript(_ sql: String) throws { try connection.executeScript(sql) }

    /// The first column of the first row as an integer.
    public func scalarInt(_ sql: String, _ parameters: [SQLValue] = []) throws -> Int64? {
        try connection.query(sql, parameters).first?.values.first?.int
    }
}
