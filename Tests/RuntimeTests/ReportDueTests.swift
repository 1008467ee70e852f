import Foundation
import HotlineCore
import HotlineStorage
import HotlineStreams
@testable import KPIService
import Testing
import TestSupport

/// kpi asks at every clock move whether each of the three months before awaits its scheduled
/// report: by the first assignment of the month on its index, never by counting the month.
@Suite struct ReportDueTests {
    @Test(arguments: TestEngine.available)
    func aMonthAwaitsItsReportWhenItHadWorkAndNoneIsPublished(engine: TestEngine) async throws {
        try await withTestDatabase(engine, schema: "kpi", migrations: StreamTables.migrations + KPIService().migrations) { db in
            let zone = TimeZone(identifier: "Asia/Shanghai")!
            let october = try #require(ReportPublication.month("2026-10", zone: zone))
            let september = try #require(ReportPublication.month("2026-09", zone: zone))
            try await db.write { tx in
                for day in 1...28 {
                    try tx.execute("INSERT INTO k_assignments (id, ticket, dispatched_at) VALUES (?, ?, ?)",
                                   [.text("A-\(day)"), .text("T-\(day)"), .text(String(format: "2026-10-%02dT02:00:00.000Z", day))])
                }
                // Just outside September (Shanghai time): 2026-09-30T16:00Z is October the 1st there.
                try tx.execute("INSERT INTO k_assignments (id, ticket, dispatched_at) VALUES ('A-0', 'T-0', '2026-09-30T16:00:00.000Z')", [])
            }
            #expect(try await db.read { tx in try ReportPublication.awaitsScheduledReport(tx, label: "2026-10", period: october) })
            #expect(try await db.read { tx in try ReportPublication.awaitsScheduledReport(tx, label: "2026-09", period: september) } == false)
            let plan = try await db.read { tx in
                try queryPlan(tx, engine, ReportPublication.monthHadWorkSQL,
                              [.text(Timestamp.format(october.from)), .text(Timestamp.format(october.to))])
            }
            #expect(plan.contains("k_assignments_dispatched"), "\(plan)")
            try await db.write { tx in
                try tx.execute(
                    """
                    INSERT INTO k_reports (period, version, scope, published_at, trigger_kind, sha256, body, history)
                    VALUES ('2026-10', 1, 'county', '2026-11-03T16:00:00.000Z', 'scheduled', 'x', '{}', '[]')
                    """, [])
            }
            #expect(try await db.read { tx in try ReportPublication.awaitsScheduledReport(tx, label: "2026-10", period: october) } == false)
        }
    }
}
