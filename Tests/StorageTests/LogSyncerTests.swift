import Dispatch
import Foundation
@testable import HotlineStorage
import TestSupport
import Synchronization
import Testing

/// Commits made durable off the writer's thread: nothing is answered before a sync that began
/// after its commit, one sync answers every batch handed over before it began, and stopping
/// answers what is left.
@Suite struct LogSyncerTests {
    @Test func batchesAreAnsweredOnlyAfterASyncThatBeganAfterThem() throws {
        let gate = Gate()
        let log = Log()
        let syncer = LogSyncer(name: "test.sync", sync: {
            log.add("sync begins")
            gate.wait()
            log.add("sync ends")
        }, finish: { batches, error in
            log.add("answered " + batches.map { $0.map { ($0 as! Probe).name }.joined(separator: "+") }.joined(separator: ", ")
                    + (error == nil ? "" : " with error"))
        })
        syncer.submit([Probe("a")])
        #expect(log.waitFor { $0.contains("sync begins") })
        // Committed while the first sync runs: they wait for the next one, which covers both.
        syncer.submit([Probe("b"), Probe("c")])
        syncer.submit([Probe("d")])
        #expect(!log.entries.contains { $0.hasPrefix("answered") })
        gate.open()
        syncer.stop()
        #expect(log.entries == ["sync begins", "sync ends", "answered a", "sync begins", "sync ends", "answered b+c, d"])
    }

    @Test func aFailedSyncFailsEveryBatchItCovered() throws {
        struct Broken: Error {}
        let log = Log()
        let syncer = LogSyncer(name: "test.sync", sync: { throw Broken() }, finish: { batches, error in
            log.add("\(batches.count) \(error is Broken ? "failed" : "answered")")
        })
        syncer.submit([Probe("a")])
        syncer.stop()
        #expect(log.entries == ["1 failed"])
    }

    /// Through the database: concurrent writes on SQLite at FULL are answered only once
    /// synced (every one of them is there after reopening), with fewer syncs than commits
    /// when commits come faster than the disk syncs.
    @Test func aDatabaseSyncsCommitsOffTheWriterAndAnswersEveryWrite() async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = DatabaseURL.sqlite(directory: dir.path, synchronousFull: true)
        let db = try Database(url: url, schema: "piped", logger: quietLogger(), maxBatch: 4)
        try await Migrator.migrate(db, [Migration(1, "items", "CREATE TABLE items (n INTEGER PRIMARY KEY)")], logger: quietLogger())
        let before = db.commitStats
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<400 {
                group.addTask {
                    _ = try await db.write { tx in try tx.execute("INSERT INTO items (n) VALUES (?)", [.int(n)]) }
                }
            }
            try await group.waitForAll()
        }
        let stats = db.commitStats
        #expect(stats.writes - before.writes == 400)
        #expect(stats.logSyncs - before.logSyncs >= 1)
        #expect(stats.logSyncs - before.logSyncs <= stats.commits - before.commits)
        #expect(!db.hasWritesInFlight)
        db.close()
        let reopened = try Database(url: url, schema: "piped", logger: quietLogger())
        defer { reopened.close() }
        #expect(try await reopened.read { tx in try tx.scalarInt("SELECT count(*) FROM items") } == 400)
    }

    /// Without pipelining (a benchmark's baseline) every durable commit syncs in itself.
    @Test func withoutPipeliningNoSyncHappensOffTheWriter() async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try Database(url: .sqlite(directory: dir.path, synchronousFull: true), schema: "inline", logger: quietLogger(),
                              pipelinesSyncs: false)
        defer { db.close() }
        try await db.write { tx in try tx.executeScript("CREATE TABLE items (n INTEGER PRIMARY KEY)") }
        try await db.write { tx in try tx.execute("INSERT INTO items (n) VALUES (1)", []) }
        #expect(db.commitStats.logSyncs == 0)
    }
}

private final class Probe: AnyJob, @unchecked Sendable {
    let name: String
    init(_ name: String) { self.name = name }
    func run(_ tx: Transaction) throws {}
    var needsDurability: Bool { true }
    func finish(overriding error: (any Error)?) {}
}

/// Syncs held until the test opens it; it stays open.
private final class Gate: Sendable {
    private let isOpen = Atomic<Bool>(false)
    private let semaphore = DispatchSemaphore(value: 0)
    func wait() {
        guard !isOpen.load(ordering: .acquiring) else { return }
        semaphore.wait()
    }
    func open() {
        isOpen.store(true, ordering: .releasing)
        semaphore.signal()
    }
}

private final class Log: Sendable {
    private let state = Mutex<[String]>([])
    func add(_ entry: String) { state.withLock { $0.append(entry) } }
    var entries: [String] { state.withLock { $0 } }

    /// Waits up to 5 s for `condition` to hold of the entries.
    func waitFor(_ condition: ([String]) -> Bool) -> Bool {
        for _ in 0..<500 {
            if condition(entries) { return true }
            usleep(10_000)
        }
        return false
    }
}
