import Foundation
import HotlineCore
import HotlineStorage
import TestSupport
import Synchronization
import Testing

/// SQLite's write-ahead log under steady load, and commits that may skip the sync to disk.
@Suite struct WriteAheadLogTests {
    /// Readers always inside a transaction: the moment when the log could start over by
    /// itself never comes while writes go on (a soak grew logs to 20 GB). The checkpointer
    /// makes it start over once it passes its bound, so the file stops growing.
    @Test func theLogStartsOverWhileReadersNeverStop() async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bound = 1 << 20
        let db = try Database(url: .sqlite(directory: dir.path, synchronousFull: false), schema: "wal", logger: quietLogger(),
                              readers: 2, walRestartBytes: bound)
        defer { db.close() }
        try await Migrator.migrate(db, [Migration(1, "blobs", "CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")],
                                   logger: quietLogger())
        let log = dir.path + "/wal.sqlite3-wal"
        let body = String(repeating: "x", count: 2_000)
        let writing = Flag()
        func write(_ id: Int64) async throws {
            try await db.write { tx in try tx.execute("INSERT INTO blobs (id, body) VALUES (?, ?)", [.integer(id), .text(body)]) }
            try await db.write { tx in try tx.execute("DELETE FROM blobs WHERE id = ?", [.integer(id - 1)]) }
        }
        var sizes: [Int] = []
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    while writing.isSet {
                        _ = try await db.read { tx in
                            let n = try tx.scalarInt("SELECT COUNT(*) FROM blobs") ?? 0
                            usleep(2_000)  // a read that takes a moment, as a listing does
                            return n
                        }
                    }
                }
            }
            // Steady writes, the log's size noted as they go, until it has started over twice
            // (or 40 s: slow under a loaded machine, never without the checkpointer's restart).
            let deadline = Date().addingTimeInterval(40)
            var i: Int64 = 0
            while Date() < deadline && db.logRestarts.done < 2 {
                i += 1
                try await write(i)
                if i % 20 == 0 { sizes.append(((try? FileManager.default.attributesOfItem(atPath: log))?[.size] as? Int) ?? 0) }
                try await Task.sleep(nanoseconds: 500_000)
            }
            writing.clear()
            try await group.waitForAll()
        }
        let restarts = db.logRestarts
        #expect(restarts.done >= 2, "the checkpointer made it start over (\(restarts))")
        // Started over, the log is written from its beginning again. The file holds the bound
        // and what was written before the checkpointer's next look (a second: 7–14 MiB here);
        // without the restarts these writes grow it by hundreds of MiB.
        #expect((sizes.max() ?? 0) < 48 * bound, "largest \(sizes.max() ?? 0) bytes")
    }

    /// A rederivable write that its body says needs nothing more commits unsynced; one
    /// sharing a commit with an ordinary write, or saying otherwise, is synced. Either way the
    /// data is there for the next reader and after reopening.
    @Test(arguments: TestEngine.available)
    func rederivableWritesSkipTheSyncOnlyWhenEveryWriteInTheCommitAllows(engine: TestEngine) async throws {
        try await withTestDatabase(engine, schema: "rederive", migrations: [
            Migration(1, "items", "CREATE TABLE items (id TEXT PRIMARY KEY)")
        ]) { db in
            let before = db.commitStats
            try await db.write(rederivable: { $0 }) { tx in
                try tx.execute("INSERT INTO items (id) VALUES ('a')", [])
                return true
            }
            #expect(db.commitStats.unsyncedCommits == before.unsyncedCommits + 1)
            try await db.write(rederivable: { $0 }) { tx in
                try tx.execute("INSERT INTO items (id) VALUES ('b')", [])
                return false  // emitted an event, say: must be durable
            }
            try await db.write { tx in try tx.execute("INSERT INTO items (id) VALUES ('c')", []) }
            #expect(db.commitStats.unsyncedCommits == before.unsyncedCommits + 1)
            #expect(db.commitStats.commits == before.commits + 3)
            let ids = try await db.read { tx in try tx.query("SELECT id FROM items ORDER BY id").compactMap { $0.string("id") } }
            #expect(ids == ["a", "b", "c"])
        }
    }
}


private final class Flag: Sendable {
    private let value = Atomic<Bool>(true)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func clear() { value.store(false, ordering: .relaxed) }
}
