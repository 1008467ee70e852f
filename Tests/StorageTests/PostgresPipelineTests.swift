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

    /// A round trip is a wait for the server: deferred statements add none, the statement
    /// they travel with one, each transaction-control command one.
    @Test func roundTripsAreCountedOncePerWaitForTheServer() throws {
        guard let url = TestEngine.postgresURL else { return }
        let connection = try PostgresConnection(conninfo: url, schema: "hl_exchanges_test", logger: quietLogger())
        defer { connection.close() }
        try connection.executeScript("DROP TABLE IF EXISTS counted; CREATE TABLE counted (n BIGINT PRIMARY KEY)")
        func transaction(_ base: Int64) throws {
            try connection.executeScript("BEGIN")
            for n in base..<base + 3 { try connection.executeDeferred("INSERT INTO counted (n) VALUES (?)", [.integer(n)]) }
            #expect(try connection.query("SELECT count(*) AS c FROM counted", []).first?.int("c") == base + 3)
            try connection.executeScript("COMMIT")
        }
        // The first use of a statement also waits for its preparation.
        let fresh = connection.exchanges
        try transaction(0)
        #expect(connection.exchanges.roundTrips - fresh.roundTrips == 5)
        let before = connection.exchanges
        try transaction(3)
        #expect(connection.exchanges.statements - before.statements == 6)
        #expect(connection.exchanges.roundTrips - before.roundTrips == 3)
        try connection.executeScript("DROP TABLE counted; DROP SCHEMA hl_exchanges_test")
    }

    /// Sessions say which service they are in the server's views; an operator's own
    /// application_name wins over the fallback.
    @Test func sessionsAreNamedAfterTheirService() throws {
        #expect(PostgresConnection.naming("postgresql:///hotline?host=/run/pg", schema: "intake")
                == "postgresql:///hotline?host=/run/pg&fallback_application_name=hotline%2Dintake")
        #expect(PostgresConnection.naming("postgres://u@db/hotline", schema: "kpi") == "postgres://u@db/hotline?fallback_application_name=hotline%2Dkpi")
        #expect(PostgresConnection.naming("host=/run/pg dbname=hotline", schema: "it's")
                == "host=/run/pg dbname=hotline fallback_application_name='hotline-it\\'s'")
        guard let url = TestEngine.postgresURL else { return }
        let connection = try PostgresConnection(conninfo: url, schema: "hl_named_test", logger: quietLogger())
        defer { connection.close() }
        #expect(try connection.query("SELECT current_setting('application_name') AS name", []).first?.string("name") == "hotline-hl_named_test")
        let given = try PostgresConnection(conninfo: url + (url.contains("?") ? "&" : "?") + "application_name=ops", schema: "hl_named_test",
                                           logger: quietLogger())
        defer { given.close() }
        #expect(try given.query("SELECT current_setting('application_name') AS name", []).first?.string("name") == "ops")
        try connection.executeScript("DROP SCHEMA hl_named_test")
    }
}
