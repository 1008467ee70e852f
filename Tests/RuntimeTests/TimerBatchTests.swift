import Foundation
import HotlineCore
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import HotlineStreams
@testable import SupervisionService
import Testing
import TestSupport

/// Supervision fires what fell due in batches (one transaction each): however the timers fall
/// into batches, they fire in the same order — by time, a reminder before a miss at the same
/// instant — and each once.
@Suite struct TimerBatchTests {
    @Test(arguments: TestEngine.available)
    func smallBatchesFireWhatOneBatchFiresInTheSameOrder(engine: TestEngine) async throws {
        let county = try CountyConfig.load(directory: SampleCounty.directory)
        let calendar = try WorkingCalendar(county.calendar)
        let start = Timestamp.parse("2026-11-02T00:00:00.000Z")!
        func fired(limit: Int) async throws -> [String] {
            var order: [String] = []
            // The context's settings name a URL of their own: on SQLite a directory to remove.
            let contextURL = try engine.makeURL()
            defer { if case .sqlite(let directory, _) = contextURL { try? FileManager.default.removeItem(atPath: directory) } }
            try await withTestDatabase(engine, schema: "supervision", migrations: StreamTables.migrations + SupervisionService().migrations) { db in
                let context = ServiceContext.offline(service: "supervision", database: db, url: contextURL, clock: ManualClock(start: start),
                                                     county: county, calendar: calendar, zone: TimeZone(identifier: "Asia/Shanghai")!,
                                                     logger: quietLogger())
                try await db.write { tx in
                    for i in 0..<30 {
                        // Due times repeat (every third shares the one before it); reminders come
                        // an hour or two before, some at the very instant another deadline is due.
                        let due = start.addingTimeInterval(Double(3600 * (4 + i - i % 3)))
                        try tx.execute("INSERT INTO deadlines (assignment, which, ticket, unit, policy, due_at) VALUES (?, 'response', ?, 'civil', 'p', ?)",
                                       [.text("A-\(i)"), .text("T-\(i)"), .text(Timestamp.format(due))])
                        for (kind, before) in [("early", 7200.0), ("late", 3600.0)] where i % 2 == 0 || kind == "late" {
                            try tx.execute("INSERT INTO reminders (assignment, which, kind, remind_at) VALUES (?, 'response', ?, ?)",
                                           [.text("A-\(i)"), .text(kind), .text(Timestamp.format(due.addingTimeInterval(-before)))])
                        }
                    }
                }
                let until = start.addingTimeInterval(40 * 3600)
                while true {
                    let (_, more) = try await context.transact { tx, emit in try DeadlineStore.fireDue(until: until, limit: limit, tx: tx, emit: emit, context: context) }
                    if !more { break }
                }
                order = try await db.read { tx in
                    try tx.query("SELECT type, data FROM events ORDER BY seq").map { row in
                        let data = try JSONValueParser.parse(Array((row.string("data") ?? "").utf8))
                        let deadline = data["deadline"] ?? data
                        return [row.string("type") ?? "", deadline["assignment"]?.stringValue ?? "", data["kind"]?.stringValue ?? "",
                                data["remind_at"]?.stringValue ?? deadline["due"]?.stringValue ?? ""].joined(separator: " ")
                    }
                }
            }
            return order
        }
        let whole = try await fired(limit: 1000)
        #expect(whole.count == 30 + 15 + 30, "every miss and reminder once: \(whole.count)")
        let times = whole.map { String($0.split(separator: " ").last!) }
        #expect(times == times.sorted(), "in time order")
        for limit in [1, 4, 7] { #expect(try await fired(limit: limit) == whole, "batches of \(limit)") }
    }
}
