import Foundation
@testable import HotlineStorage
import TestSupport
import Testing

/// Deferred commands ride in one pipeline with the next statement: results come back in
/// order, a deferred command's failure is reported by that statement, and the connection
/// stays usable after it.
@Suite struct PostgresPipelineTests {
    @Test func deferredCommandsTravelWithTheNextStatement() throws {
        guard let url = TestEngine.postgresURL else { return }
        let connection = try PostgresConnection(conninfo: url, schema: "hl_pipeline_test", logger: quietLogger())
        defer { connection.close() }
        try connection.executeScript("DROP TABLE IF EXISTS piped; CREATE TABLE piped (n BIGINT PRIMARY KEY)")

        try connection.executeScript("BEGIN")
        try connection.executeDeferred("SAVEPOINT one")
        _ = try connection.execute("INSERT INTO piped (n) VALUES (?)", [.integer(1)])
        try connection.executeDeferred("RELEASE SAVEPOINT one")
        try connection.executeDeferred("SAVEPOINT two")
        #expect(try connection.query("SELECT count(*) AS c FROM piped", []).first?.int("c") == 1)
        try connection.executeDeferred("RELEASE SAVEPOINT two")
        try connection.executeScript("COMMIT")
        #expect(try connection.query("SELECT n FROM piped", []).map { $0.int("n") } == [1])

        // A deferred command that fails: the next statement reports it and is not run.
        try connection.executeScript("BEGIN")
        try connection.executeDeferred("RELEASE SAVEPOINT never_made")
        #expect(throws: DatabaseError.self) { try connection.execute("INSERT INTO piped (n) VALUES (?)", [.integer(2)]) }
        try connection.executeScript("ROLLBACK")
        #expect(try connection.query("SELECT count(*) AS c FROM piped", []).first?.int("c") == 1)

        // A deferred statement that fails (a duplicate key): settling reports it.
        try connection.executeScript("BEGIN")
        try connection.executeDeferred("INSERT INTO piped (n) VALUES (?)", [.integer(1)])
        #expect(throws: DatabaseError.self) { try connection.settle() }
        try connection.executeScript("ROLLBACK")
        try connection.executeDeferred("INSERT INTO piped (n) VALUES (?)", [.integer(5)])
        try connection.executeDeferred("INSERT INTO piped (n) VALUES (?)", [.integer(6)])
        #expect(try connection.query("SELECT count(*) AS c FROM piped", []).first?.int("c") == 3)
        try connection.executeScript("DELETE FROM piped WHERE n > 4")

        // Deferred, then a rollback: nothing is left behind and the session works on.
        try connection.executeScript("BEGIN")
        try connection.executeDeferred("SAVEPOINT three")
        try connection.executeScript("ROLLBACK")
        _ = try connection.execute("INSERT INTO piped (n) VALUES (?)", [.integer(3)])
        #expect(try connection.query("SELECT n FROM piped ORDER BY n", []).map { $0.int("n") } == [1, 3])
        try connection.executeScript("DROP TABLE piped; DROP SCHEMA hl_pipeline_test")
    }
}
