import Foundation
import HotlineCore
import HotlineStorage
import HotlineStreams
import TestSupport
import Testing

@Suite struct EventStoreTests {
    private func withStreamDatabase(_ engine: TestEngine, _ body: (Database) async throws -> Void) async throws {
        try await withTestDatabase(engine, schema: "stream", migrations: StreamTables.migrations, body)
    }

    /// Events cross the bus as hand-written canonical JSON; it must say what Foundation's
    /// encoder says and decode back to the same event.
    @Test(arguments: [nil, "T20261122-0123456789ab"])
    func eventsCanonicalJSONMatchesFoundation(ticket: String?) throws {
        let event = Event(stream: "intake", seq: 42, id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", type: "ticket.received", ticket: ticket,
                          at: "2026-11-22T08:00:00.000Z",
                          data: .object(["content": .string("路灯 \"不亮\"\n"), "tags": .array([.string("a/b")]), "n": .number(2.5)]),
                          prev: Event.genesisHash, hash: String(repeating: "ab", count: 32))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(try event.canonicalJSON() == Array(encoder.encode(event)))
        #expect(try JSONDecoder().decode(Event.self, from: Data(event.canonicalJSON())) == event)
    }

    @Test(arguments: TestEngine.available)
    func concurrentAppendsAreGaplessAndChained(engine: TestEngine) async throws {
        let store = EventStore(stream: "intake")
        try await withStreamDatabase(engine) { db in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<200 {
                    group.addTask {
                        try await db.write { tx in
                            _ = try store.append(tx, [NewEvent(type: "ticket.received", ticket: "t\(i)", data: .object(["i": .number(Double(i))]))],
                                                 at: Date(timeIntervalSince1970: 1_800_000_000))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let events = try await db.read { tx in try store.fetch(tx, after: 0, limit: 1000) }
            #expect(events.map(\.seq) == Array(1...200))
            for (a, b) in zip(events, events.dropFirst()) { #expect(b.prev == a.hash) }
            #expect(events.first?.prev == Event.genesisHash)
            #expect(try await db.read { tx in try store.verify(tx) } == nil)
            #expect(try await db.read { tx in try store.head(tx) } == 200)
            let page = try await db.read { tx in try store.fetch(tx, after: 150, limit: 10) }
            #expect(page.map(\.seq) == Array(151...160))
            // A catch-up fetch answers no further than what is acknowledged (durable).
            let bounded = try await db.read { tx in try store.fetch(tx, after: 150, through: 155, limit: 10) }
            #expect(bounded.map(\.seq) == Array(151...155))
        }
    }

    /// A stream written before migration 4 keeps every event and its chain; on SQLite its seq
    /// becomes the rowid (no separate index), so a fetch by seq reads the table itself.
    @Test(arguments: TestEngine.available)
    func eventsKeyedBySeqKeepAnEarlierHistory(engine: TestEngine) async throws {
        let store = EventStore(stream: "intake")
        let before = StreamTables.migrations.filter { $0.version < 4 }
        try await withTestDatabase(engine, schema: "stream", migrations: before) { db in
            for i in 0..<30 {
                try await db.write { tx in
                    _ = try store.append(tx, [NewEvent(type: "ticket.received", ticket: "t\(i % 7)", data: .object(["i": .number(Double(i))]))],
                                         at: Date(timeIntervalSince1970: 1_800_000_000 + Double(i)))
                }
            }
            let old = try await db.read { tx in try store.fetch(tx, after: 0, limit: 100) }
            try await Migrator.migrate(db, StreamTables.migrations, logger: quietLogger())
            #expect(try await db.read { tx in try store.fetch(tx, after: 0, limit: 100) } == old)
            #expect(try await db.read { tx in try store.verify(tx) } == nil)
            try await db.write { tx in
                _ = try store.append(tx, [NewEvent(type: "ticket.received", ticket: "t0", data: .object([:]))],
                                     at: Date(timeIntervalSince1970: 1_800_000_100))
            }
            #expect(try await db.read { tx in try store.head(tx) } == 31)
            #expect(try await db.read { tx in try store.verify(tx) } == nil)
            if engine == .sqlite {
                let plan = try await db.read { tx in
                    try tx.query("EXPLAIN QUERY PLAN SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT 5", [.int(3)])
                        .compactMap { $0.string("detail") }.joined(separator: "; ")
                }
                #expect(plan.contains("INTEGER PRIMARY KEY"), "\(plan)")
                let indexes = try await db.read { tx in
                    try tx.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name")
                        .compactMap { $0.string("name") }
                }
                #expect(indexes == ["events_ticket", "sqlite_autoindex_events_1"], "only the ticket and id indexes")
            }
        }
    }

    /// Writes grouped into one commit share the head (read once, written back once before the
    /// commit): a write rolled back to its savepoint must take its events' seqs back with it,
    /// and one appending twice must chain onto itself.
    @Test(arguments: TestEngine.available)
    func writesRolledBackInAGroupedCommitLeaveNoGapInTheChain(engine: TestEngine) async throws {
        struct Refused: Error {}
        struct HeadMismatch: Error {}
        let store = EventStore(stream: "dispatch")
        try await withStreamDatabase(engine) { db in
            let kept = try await withThrowingTaskGroup(of: [String].self) { group in
                for i in 0..<300 {
                    group.addTask {
                        do {
                            return try await db.write { tx -> [String] in
                                let first = try store.append(tx, [NewEvent(type: "a", ticket: "t\(i)", data: .number(Double(i)))], at: Date())
                                var more: [Event] = []
                                if i % 4 == 0 {
                                    more = try store.append(tx, [NewEvent(type: "b", ticket: "t\(i)", data: .null), NewEvent(type: "c", ticket: nil, data: .null)],
                                                            at: Date())
                                }
                                // The head a write reads is what it (and its commit) appended so far.
                                guard try store.head(tx) == (more.last ?? first.last!).seq else { throw HeadMismatch() }
                                if i % 3 == 0 { throw Refused() }
                                return (first + more).map(\.id)
                            }
                        } catch is Refused {
                            return []
                        }
                    }
                }
                var ids: [String] = []
                for try await written in group { ids += written }
                return ids
            }
            let events = try await db.read { tx in try store.fetch(tx, after: 0, limit: 1000) }
            #expect(Set(events.map(\.id)) == Set(kept))
            #expect(events.map(\.seq) == Array(1...Int64(kept.count)))
            #expect(try await db.read { tx in try store.verify(tx) } == nil)
            #expect(try await db.read { tx in try store.head(tx) } == Int64(kept.count))
            // The writes really were grouped, so the shared head was exercised.
            #expect(db.commitStats.commits < 300)
        }
    }

    @Test(arguments: TestEngine.available)
    func tamperingIsDetected(engine: TestEngine) async throws {
        let store = EventStore(stream: "dispatch")
        try await withStreamDatabase(engine) { db in
            try await db.write { tx in
                _ = try store.append(tx, try (1...5).map { try NewEvent(type: "x", ticket: nil, data: .string("v\($0)")) }, at: Date())
            }
            try await db.write { tx in try tx.execute("UPDATE events SET data = '\"forged\"' WHERE seq = 3") }
            #expect(try await db.read { tx in try store.verify(tx) } == 3)
            try await db.write { tx in try tx.execute("UPDATE events SET data = '\"v3\"' WHERE seq = 3") }
            #expect(try await db.read { tx in try store.verify(tx) } == nil)
            try await db.write { tx in try tx.execute("DELETE FROM events WHERE seq = 5") }
            #expect(try await db.read { tx in try store.verify(tx) } == 5)
        }
    }

    @Test(arguments: TestEngine.available)
    func cursorsRefuseToMoveFromAStaleValue(engine: TestEngine) async throws {
        try await withStreamDatabase(engine) { db in
            try await db.write { tx in try ConsumerState.advance(tx, stream: "intake", from: 0, to: 3, hash: nil) }
            await #expect(throws: StreamError.self) {
                try await db.write { tx in try ConsumerState.advance(tx, stream: "intake", from: 0, to: 4, hash: nil) }
            }
            try await db.write { tx in try ConsumerState.advance(tx, stream: "intake", from: 3, to: 4, hash: nil) }
            #expect(try await db.read { tx in try ConsumerState.cursor(tx, stream: "intake") } == 4)
        }
    }

    @Test(arguments: TestEngine.available)
    func deadLettersAreListedUntilRedriven(engine: TestEngine) async throws {
        let store = EventStore(stream: "intake")
        try await withStreamDatabase(engine) { db in
            let event = try await db.write { tx in try store.append(tx, [NewEvent(type: "t", ticket: "a", data: .null)], at: Date()) }[0]
            try await db.write { tx in try ConsumerState.recordDeadLetter(tx, event: event, error: "boom", attempts: 5, at: Date()) }
            let open = try await db.read { tx in try ConsumerState.openDeadLetters(tx) }
            #expect(open.count == 1)
            #expect(open.first?.event == event)
            try await db.write { tx in try ConsumerState.markRedriven(tx, stream: "intake", seq: event.seq, at: Date()) }
            #expect(try await db.read { tx in try ConsumerState.openDeadLetters(tx) }.isEmpty)
        }
    }
}
