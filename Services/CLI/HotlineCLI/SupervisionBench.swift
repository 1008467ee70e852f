import Foundation
import HotlineCore
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import HotlineStreams
import SupervisionService

/// `hotline bench supervision` (issue 8, item 9): loads open deadlines with their reminders,
/// jumps the manual clock 30 days, and times supervision's own timer path firing every
/// reminder and miss; then checks the announcements came out in due order.
enum SupervisionBench {
    static func run(deadlines n: Int, database: String?, config: String) async throws {
        let county = try CountyConfig.load(directory: config)
        let calendar = try WorkingCalendar(county.calendar)
        let dir = try ScratchSpace.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let url = try DatabaseURL.parse(database ?? "sqlite:" + dir + "/data")
        let logger = Logger(service: "bench", level: .error)
        let db = try Database(url: url, schema: "supervision", logger: logger, maxBatch: 512, commitDelay: 300)
        defer { db.close() }
        let logic = SupervisionService()
        _ = try await Migrator.migrate(db, StreamTables.migrations + logic.migrations, logger: logger)

        // Response deadlines (two hours: reminded an hour before and at 75%) due across 30 days.
        let start = Date(timeIntervalSince1970: 1_795_392_000)  // 2026-11-23T00:00:00Z
        let span = 30.0 * 86_400
        let loadStarted = Date()
        for first in stride(from: 0, to: n, by: 5_000) {
            let last = min(first + 5_000, n)
            _ = try await db.write { tx in
                for i in first..<last {
                    let due = start.addingTimeInterval(span * Double(i) / Double(n) + 7_200)
                    let opened = due.addingTimeInterval(-7_200)
                    let assignment = String(format: "A-BENCH-%08d", i)
                    try tx.execute(
                        "INSERT INTO deadlines (assignment, which, ticket, unit, policy, due_at, rule, start_at) VALUES (?, 'response', ?, 'xicheng', 'ordinary', ?, 'hours(2)', ?)",
                        [.text(assignment), .text(String(format: "TBENCH-%08d", i)), .text(Timestamp.format(due)), .text(Timestamp.format(opened))])
                    for r in DeadlineClock.reminders(start: opened, due: due) {
                        try tx.execute("INSERT INTO reminders (assignment, which, kind, remind_at) VALUES (?, 'response', ?, ?)",
                                       [.text(assignment), .text(r.kind.rawValue), .text(Timestamp.format(r.at))])
                    }
                }
            }
        }
        let loaded = Date().timeIntervalSince(loadStarted)
        let clock = ManualClock(start: start)
        let context = ServiceContext.offline(service: "supervision", database: db, url: url, clock: clock, county: county, calendar: calendar,
                                             zone: county.timeZone, logger: logger)
        _ = clock.advance(to: start.addingTimeInterval(span + 86_400))
        let fireStarted = Date()
        try await logic.tick(context)
        let fired = Date().timeIntervalSince(fireStarted)
        let (count, ordered, first) = try await inOrder(db)
        print(String(format: "supervision timers [%@]: %d open deadlines (%d reminders) loaded in %.1f s; a 31-day clock jump fired %d "
                         + "announcements in %.1f s: %.0f events/s (target 20,000/s: %.2f×); in due order: %@",
                     url.engine.rawValue, n, 2 * n, loaded, count, fired, Double(count) / fired, Double(count) / fired / 20_000,
                     ordered ? "yes" : "NO (first out of order at seq \(first ?? 0))"))
        if case .postgres = url {
            let admin = try Database(url: url, schema: "public", logger: logger, readers: 1)
            _ = try await admin.write { tx in try tx.executeScript("DROP SCHEMA IF EXISTS supervision CASCADE") }
            admin.close()
        }
    }

    /// Reads the announcements back in stream order. - Returns: how many, whether their times
    /// (a reminder's time, a miss's due) never go backwards, and the first seq that does.
    private static func inOrder(_ db: Database) async throws -> (Int, Bool, Int64?) {
        let store = EventStore(stream: "supervision")
        var after: Int64 = 0
        var count = 0
        var previous = ""
        while true {
            let from = after
            let page = try await db.read { tx in try store.fetch(tx, after: from, limit: 20_000) }
            guard let last = page.last else { return (count, true, nil) }
            for e in page {
                let data = try e.parsedData()
                let time = (e.type == EventType.deadlineReminded ? data["remind_at"] : data["due"])?.stringValue ?? ""
                if time < previous { return (count, false, e.seq) }
                previous = time
                count += 1
            }
            after = last.seq
        }
    }
}
