import Foundation
import HotlineCore
import HotlineStorage

/// The storage engines a test runs on: SQLite always, PostgreSQL when
/// `HOTLINE_TEST_POSTGRES_URL` is set (`.ci/run` always sets it).
public enum TestEngine: String, Sendable, CustomStringConvertible, CaseIterable {
    case sqlite
    case postgres

    public var description: String { rawValue }

    /// The engines available in this environment.
    public static var available: [TestEngine] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["HOTLINE_TEST_POSTGRES_URL"], !url.isEmpty else {
            return nil
        }
        return url
    }

    /// A fresh, private database URL for one test: a new temp directory, or for PostgreSQL a
    /// base URL whose schemas get a unique prefix (see `uniqueSchema`).
    public func makeURL() throws -> DatabaseURL {
        switch self {
        case .sqlite: return .sqlite(directory: try TemporaryDirectory.make().path, synchronousFull: true)
        case .postgres: return .postgres(conninfo: TestEngine.postgresURL!)
        }
    }
}

/// A unique schema name, so PostgreSQL tests never see each other's tables.
public func uniqueSchema(_ base: String) -> String {
    base + "_t" + String(UUID().uuidString.prefix(8)).lowercased()
}

/// Drops a test's schema: on PostgreSQL the schema, on SQLite the directory `makeURL` made for
/// the test (a CI run would otherwise leave a thousand of them in /tmp).
public func dropTestSchema(_ url: DatabaseURL, _ schema: String) async {
    if case .sqlite(let directory, _) = url, directory.hasPrefix(TemporaryDirectory.prefix) {
        try? FileManager.default.removeItem(atPath: directory)
        return
    }
    guard case .postgres = url, let db = try? Database(url: url, schema: "public", logger: quietLogger(), readers: 1)
    else { return }
    _ = try? await db.write { tx in try tx.executeScript("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE") }
    db.close()
}

/// How the engine would run `sql`, as text to look for an index's name in. PostgreSQL is told to
/// avoid sequential scans: on a test's small tables it would otherwise prefer one, and the
/// plan would not show which index it can use. Call it inside a read: the setting is local.
public func queryPlan(_ tx: Transaction, _ engine: TestEngine, _ sql: String, _ parameters: [SQLValue] = []) throws -> String {
    if engine == .sqlite {
        return try tx.query("EXPLAIN QUERY PLAN " + sql, parameters).compactMap { $0.string("detail") }.joined(separator: "\n")
    }
    try tx.executeScript("SET LOCAL enable_seqscan = off")
    return try tx.query("EXPLAIN " + sql, parameters).compactMap { $0.values.first?.string }.joined(separator: "\n")
}

/// A logger that keeps records in memory instead of writing to stderr.
public func quietLogger(_ service: String = "test", sink: MemoryLogSink = MemoryLogSink()) -> Logger {
    Logger(service: service, level: .debug, sink: sink)
}

/// Short temporary directories (Unix socket paths are limited to 108 bytes).
public enum TemporaryDirectory {
    public static let prefix = "/tmp/hl-"

    public static func make() throws -> URL {
        let url = URL(fileURLWithPath: prefix + String(UUID().uuidString.prefix(8)).lowercased())
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Runs `body` with a fresh database in a private schema, migrated with `migrations`; drops
/// the schema afterwards (PostgreSQL) whether or not `body` throws.
public func withTestDatabase(_ engine: TestEngine, schema base: String, migrations: [Migration], commitDelay: Int = 0,
                             _ body: (Database) async throws -> Void) async throws {
    let url = try engine.makeURL()
    let schema = uniqueSchema(base)
    let db = try Database(url: url, schema: schema, logger: quietLogger(), commitDelay: commitDelay)
    do {
        try await Migrator.migrate(db, migrations, logger: quietLogger())
        try await body(db)
    } catch {
        db.close()
        await dropTestSchema(url, schema)
        throw error
    }
    db.close()
    await dropTestSchema(url, schema)
}

/// A database of its own on the test PostgreSQL server, for code whose schema names are fixed
/// (services). - Returns: its URL and name (for `dropPostgresDatabase`).
public func makePostgresDatabase(prefix: String, server: String? = nil) throws -> (url: String, name: String) {
    guard let base = server ?? TestEngine.postgresURL else { throw TestSetupError(message: "HOTLINE_TEST_POSTGRES_URL is not set") }
    let name = prefix + String(UUID().uuidString.prefix(8)).lowercased()
    try runPSQL(base, "CREATE DATABASE \(name)")
    return (base + (base.contains("?") ? "&" : "?") + "dbname=\(name)", name)
}

public func dropPostgresDatabase(_ name: String) {
    guard let base = TestEngine.postgresURL else { return }
    try? runPSQL(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

func runPSQL(_ url: String, _ sql: String) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["psql", url, "-qAtc", sql]
    p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw TestSetupError(message: "psql failed: \(sql)") }
}

/// Runs a SQL file with psql, stopping at the first error.
public func runPSQLFile(_ url: String, _ path: String) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["psql", url, "-qAt", "-v", "ON_ERROR_STOP=1", "-f", path]
    p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw TestSetupError(message: "psql failed on \(path)") }
}
