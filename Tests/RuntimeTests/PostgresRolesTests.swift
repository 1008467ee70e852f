import DispatchService
import Foundation
import HotlineCore
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import HotlineStreams
import IntakeService
import KPIService
import SupervisionService
import SurveyService
import TestSupport
import Testing

/// `deploy/postgres/init.sql` on a real server (issue 11, item 4): each service's role
/// migrates its own schema and reads no other; the auditor reads the KPI views and nothing
/// else, and writes nothing; the ops role reads everything and writes nothing.
@Suite(.serialized, .enabled(if: TestEngine.postgresURL != nil, "needs HOTLINE_TEST_POSTGRES_URL"))
struct PostgresRolesTests {
    static let services: [(String, any ServiceLogic)] = [
        ("intake", IntakeService(phoneKey: "roles-test-key")), ("dispatch", DispatchService()), ("supervision", SupervisionService()), ("survey", SurveyService()),
        ("kpi", KPIService()),
    ]

    /// `url` connecting as `role` (a later `user=` overrides the earlier one).
    static func url(_ url: String, as role: String) throws -> DatabaseURL {
        try DatabaseURL.parse(url + (url.contains("?") ? "&" : "?") + "user=\(role)")
    }

    /// Runs `sql` as `role` in `schema`; nil when it worked, else the SQLSTATE it failed with.
    static func attempt(_ base: String, role: String, schema: String, _ sql: String) async throws -> String? {
        let db = try Database(url: try url(base, as: role), schema: schema, logger: quietLogger(), readers: 1)
        defer { db.close() }
        do {
            try await db.write { tx in try tx.executeScript(sql) }
            return nil
        } catch let e as DatabaseError {
            return e.sqlState ?? "\(e)"
        }
    }

    @Test func everyRoleStaysInItsSchema() async throws {
        let (base, name) = try makePostgresDatabase(prefix: "hl_roles_")
        defer { dropPostgresDatabase(name) }
        let script = SampleCounty.repositoryRoot + "/deploy/postgres/init.sql"
        for _ in 0..<2 { try runPSQLFile(base, script) }  // twice: it must be idempotent

        // Each service migrates its own schema under its own role (no superuser).
        let county = try CountyConfig.load(directory: SampleCounty.directory)
        for (service, logic) in Self.services {
            let dbURL = try Self.url(base, as: "hotline_\(service)")
            let db = try Database(url: dbURL, schema: service, logger: quietLogger(), readers: 1)
            try await Migrator.migrate(db, StreamTables.migrations + logic.migrations, logger: quietLogger())
            let context = ServiceContext.offline(service: service, database: db, url: dbURL, clock: ManualClock(start: Date()), county: county,
                                                 calendar: try WorkingCalendar(county.calendar), zone: county.timeZone, logger: quietLogger())
            try await logic.prepare(context)
            db.close()
        }
        // No service reads or writes another's schema.
        for (reader, _) in Self.services {
            for (owner, _) in Self.services where owner != reader {
                let denied = try await Self.attempt(base, role: "hotline_\(reader)", schema: reader, "SELECT COUNT(*) FROM \(owner).events")
                #expect(denied == "42501", "\(reader) read \(owner).events: \(denied ?? "allowed")")
            }
            #expect(try await Self.attempt(base, role: "hotline_\(reader)", schema: reader, "SELECT COUNT(*) FROM events") == nil)
            #expect(try await Self.attempt(base, role: "hotline_\(reader)", schema: reader, "CREATE SCHEMA elsewhere") == "42501")
        }
        // The auditor reads the KPI views, and no table: not kpi's, not intake's; it writes nothing.
        for view in ["kpi_ticket_facts", "kpi_assignment_facts", "kpi_unit_month_figures"] {
            #expect(try await Self.attempt(base, role: "hotline_auditor", schema: "kpi", "SELECT COUNT(*) FROM kpi.\(view)") == nil, "\(view)")
            // Refused: for want of the privilege, or (a view that cannot be written) before it is asked.
            let write = try await Self.attempt(base, role: "hotline_auditor", schema: "kpi", "DELETE FROM kpi.\(view)")
            #expect(write == "42501" || write == "55000", "auditor deleted from \(view): \(write ?? "allowed")")
        }
        for sql in ["SELECT COUNT(*) FROM kpi.k_tickets", "SELECT COUNT(*) FROM kpi.k_reports", "SELECT COUNT(*) FROM intake.tickets",
                    "SELECT COUNT(*) FROM intake.events", "INSERT INTO kpi.k_meta (key, value) VALUES ('x', 'y')",
                    "UPDATE kpi.k_rollup SET assigned = 0", "CREATE TABLE kpi.mine (x int)", "CREATE TABLE public.mine (x int)"] {
            #expect(try await Self.attempt(base, role: "hotline_auditor", schema: "kpi", sql) == "42501", "auditor: \(sql)")
        }
        // Backups: ops reads every schema, writes none.
        for (service, _) in Self.services {
            #expect(try await Self.attempt(base, role: "hotline_ops", schema: service, "SELECT COUNT(*) FROM \(service).events") == nil)
            #expect(try await Self.attempt(base, role: "hotline_ops", schema: service, "DELETE FROM \(service).events") == "42501")
        }
    }
}
