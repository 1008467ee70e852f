/// What the writes grouped into one commit share: values one write leaves for the next (a
/// stream's head, read once per commit instead of once per write) and statements run once,
/// just before the commit (the head written back once).
///
/// Lives on the writer thread for one commit. A write whose savepoint is rolled back takes
/// back what it left here; if a statement run before the commit fails, the whole commit fails
/// and every write in it is told so, as when the commit itself fails. (A write therefore never
/// rolls back part of itself: what it left here would outlive what it undid.)
public final class SharedCommit: @unchecked Sendable {
    // @unchecked: created, used and dropped by the writer thread within one commit.
    private var values: [String: Any] = [:]
    private var finishers: [String: @Sendable (Transaction, SharedCommit) throws -> Void] = [:]
    private var beforeWrite: (values: [String: Any], finishers: [String: @Sendable (Transaction, SharedCommit) throws -> Void])?

    init() {}

    /// The value a write of this commit left under `key`.
    public func value<T>(_ key: String, as type: T.Type = T.self) -> T? { values[key] as? T }

    public func set(_ key: String, _ value: Any) { values[key] = value }

    /// Runs `finish` once before the commit (one per key: a later registration replaces it).
    public func beforeCommit(_ key: String, _ finish: @escaping @Sendable (Transaction, SharedCommit) throws -> Void) {
        finishers[key] = finish
    }

    /// A write is about to run in its own savepoint.
    func beginWrite() { beforeWrite = (values, finishers) }

    /// That write was rolled back to its savepoint: what it left here goes too.
    func rollBackWrite() {
        if let saved = beforeWrite { (values, finishers) = saved }
    }

    /// Runs the registered statements, in key order (the same order in every commit).
    func finish(_ connection: any SQLConnection) throws {
        for key in finishers.keys.sorted() { try finishers[key]!(Transaction(connection), self) }
        finishers.removeAll()
    }
}
