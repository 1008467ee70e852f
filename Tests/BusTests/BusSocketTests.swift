import BusService
import Foundation
import HotlineBus
import HotlineCore
import HotlineStreams
import TestSupport
import Synchronization
import Testing

@Suite struct BusSocketTests {
    private func event(_ stream: String, _ seq: Int64) -> Event {
        Event(stream: stream, seq: seq, id: "e\(seq)", type: "test", ticket: nil, at: "2026-01-01T00:00:00.000Z",
              data: .object(["n": .number(Double(seq))]), prev: "p", hash: "h")
    }

    private func startBus(_ dir: URL, maxLine: Int = 4096) async throws -> (BusServer, Task<Void, any Error>) {
        var config = BusServer.Configuration(socketPath: dir.path + "/bus.sock")
        config.maxLine = maxLine
        let server = BusServer(configuration: config, logger: quietLogger("bus"))
        let task = Task { try await server.run() }
        let path = config.socketPath
        try await waitUntil { FileManager.default.fileExists(atPath: path) }
        return (server, task)
    }

    /// With a sink, pushes reach it on the client's reading thread, in order, and not the
    /// notifications; other notifications still arrive there.
    @Test func pushesGoToTheSinkOnTheReadingThread() async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, serverTask) = try await startBus(dir)
        defer { server.stop() }
        let producer = BusClient(socketPath: dir.path + "/bus.sock", service: "intake", follows: [], logger: quietLogger())
        let consumer = BusClient(socketPath: dir.path + "/bus.sock", service: "dispatch", follows: ["intake"], logger: quietLogger())
        let sunk = Mutex<[(seq: Int64, head: Int64, idle: Bool, thread: String)]>([])
        consumer.deliverEvents { stream, events, head, idle in
            #expect(stream == "intake")
            let thread = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            sunk.withLock { $0 += events.map { (seq: $0.seq, head: head, idle: idle, thread: thread) } }
        }
        let p = Task { await producer.run() }
        let c = Task { await consumer.run() }
        defer {
            p.cancel()
            c.cancel()
        }
        var notes = consumer.notifications.makeAsyncIterator()
        guard case .connected? = await notes.next() else {
            Issue.record("the connection is still announced in the notifications")
            return
        }
        try await waitUntil { producer.isConnected }
        producer.publish([event("intake", 1), event("intake", 2)])
        producer.publish([event("intake", 3)], producerIdle: true)
        try await waitUntil { sunk.withLock { $0.count } == 3 }
        let received = sunk.withLock { $0 }
        #expect(received.map(\.seq) == [1, 2, 3])
        #expect(received.map(\.head) == [2, 2, 3])
        #expect(received.map(\.idle) == [false, false, true])
        #expect(received.allSatisfy { $0.thread == "bus.client" })
        // Many more pushes: all arrive, in order.
        for seq in Int64(4)...20_003 { producer.publish([event("intake", seq)]) }
        try await waitUntil(timeout: 60) { sunk.withLock { $0.count } == 20_003 }
        #expect(sunk.withLock { $0.map(\.seq) } == Array(1...20_003))
        server.stop()
        _ = try? await serverTask.value
        // Nothing of the pushes went to the notifications: the next one is the disconnection.
        while let note = await notes.next() {
            if case .events = note { Issue.record("a push reached the notifications") }
            if case .disconnected = note { break }
        }
    }

    @Test func publishFanOutFetchAndReconnect() async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        var (server, serverTask) = try await startBus(dir)
        let producer = BusClient(socketPath: dir.path + "/bus.sock", service: "intake", follows: [], logger: quietLogger())
        let consumer = BusClient(socketPath: dir.path + "/bus.sock", service: "dispatch", follows: ["intake"], logger: quietLogger())
        let p = Task { await producer.run() }
        let c = Task { await consumer.run() }
        defer {
            p.cancel()
            c.cancel()
        }
        // The producer answers fetches from a fixed list.
        let answering = Task {
            for await note in producer.notifications {
                if case .fetchRequest(let id, let after, let limit) = note {
                    let all = (1...5).map { event("intake", $0) }
                    producer.replyEvents(id: id, events: Array(all.filter { $0.seq > after }.prefix(limit)), head: 5)
                }
            }
        }
        defer { answering.cancel() }
        try await waitUntil { producer.isConnected && consumer.isConnected }

        var pushes = consumer.notifications.makeAsyncIterator()
        producer.publish([event("intake", 1), event("intake", 2)])
        var received: [Event] = []
        while received.isEmpty, let note = await pushes.next() {
            if case .events(let stream, let events, let head, let producerIdle) = note {
                #expect(stream == "intake")
                #expect(head == 2)
                #expect(!producerIdle)
                received = events
            }
        }
        #expect(received == [event("intake", 1), event("intake", 2)])

        let fetched = try await consumer.fetch(stream: "intake", after: 2, limit: 2)
        #expect(fetched.events.map(\.seq) == [3, 4])
        #expect(fetched.head == 5)
        // A producer with nothing else in flight says so; the bus passes it on.
        producer.publish([event("intake", 6)], producerIdle: true)
        var idleSaid: Bool?
        while idleSaid == nil, let note = await pushes.next() {
            if case .events(_, let events, _, let producerIdle) = note, events.map(\.seq) == [6] { idleSaid = producerIdle }
        }
        #expect(idleSaid == true)

        // Restart the bus: both clients reconnect on their own and fetching works again.
        server.stop()
        _ = try? await serverTask.value
        try await waitUntil { !consumer.isConnected }
        (server, serverTask) = try await startBus(dir)
        try await waitUntil(timeout: 10) { producer.isConnected && consumer.isConnected }
        let again = try await consumer.fetch(stream: "intake", after: 4, limit: 10)
        #expect(again.events.map(\.seq) == [5])
        server.stop()
        _ = try? await serverTask.value
    }

    @Test func oversizedAndMalformedLinesCloseOnlyThatConnection() async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, serverTask) = try await startBus(dir, maxLine: 1024)
        let good = BusClient(socketPath: dir.path + "/bus.sock", service: "kpi", follows: ["intake"], logger: quietLogger())
        let g = Task { await good.run() }
        defer { g.cancel() }
        try await waitUntil { good.isConnected }

        for bad in [String(repeating: "x", count: 5000) + "\n", "not json\n", "[1,2,3]\n"] {
            let fd = try Socket.connectUnix(path: dir.path + "/bus.sock")
            Socket.writeAll(fd, Array(#"{"op":"hello","service":"survey"}"#.utf8) + [0x0a])
            Socket.writeAll(fd, Array(bad.utf8))
            let reply = readUntilClosed(fd)
            close(fd)
            #expect(reply.contains(#""op":"welcome""#))
            #expect(reply.contains(#""op":"error""#), "bus should explain why it closed: \(reply)")
        }
        try await good.ping()
        #expect(good.isConnected)
        server.stop()
        _ = try? await serverTask.value
    }

    @Test func socketFileIsGroupOnly() async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, serverTask) = try await startBus(dir)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.path + "/bus.sock")
        #expect((attributes[.posixPermissions] as? Int) == 0o660)
        server.stop()
        _ = try? await serverTask.value
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/bus.sock"))
    }
}

@Suite struct BusLineBudgetTests {
    @Test func bigBatchesAreSplitUnderTheLineLimit() async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = BusServer.Configuration(socketPath: dir.path + "/bus.sock")
        config.maxLine = 64 * 1024
        let server = BusServer(configuration: config, logger: quietLogger("bus"))
        let serverTask = Task { try await server.run() }
        let path = config.socketPath
        try await waitUntil { FileManager.default.fileExists(atPath: path) }
        let producer = BusClient(socketPath: path, service: "intake", follows: [], logger: quietLogger(), maxLine: 64 * 1024)
        let consumer = BusClient(socketPath: path, service: "kpi", follows: ["intake"], logger: quietLogger(), maxLine: 64 * 1024)
        let tasks = [Task { await producer.run() }, Task { await consumer.run() }]
        // 200 events of ~2 KiB: 400 KiB, far over one 64 KiB line.
        let events = (1...200).map { i in
            Event(stream: "intake", seq: Int64(i), id: "e\(i)", type: "t", ticket: nil, at: "2026-01-01T00:00:00.000Z",
                  data: .string(String(repeating: "字", count: 700)), prev: "", hash: "")
        }
        let answering = Task {
            for await note in producer.notifications {
                if case .fetchRequest(let id, let after, let limit) = note {
                    producer.replyEvents(id: id, events: Array(events.filter { $0.seq > after }.prefix(limit)), head: 200)
                }
            }
        }
        try await waitUntil { producer.isConnected && consumer.isConnected }
        var pushes = consumer.notifications.makeAsyncIterator()
        producer.publish(events)
        var received: [Int64] = []
        while received.count < 200, let note = await pushes.next() {
            if case .events(_, let batch, _, _) = note { received += batch.map(\.seq) }
        }
        #expect(received == Array(1...200))
        // A fetch answer is cut to fit; the consumer sees head > last and asks again.
        let first = try await consumer.fetch(stream: "intake", after: 0, limit: 5000)
        #expect(first.head == 200)
        #expect(!first.events.isEmpty && first.events.count < 200)
        #expect(producer.isConnected, "the producer must not have been cut off for an oversized line")
        answering.cancel()
        for t in tasks { t.cancel() }
        producer.stop()
        consumer.stop()
        server.stop()
        _ = try? await serverTask.value
    }
}

@Suite struct SlowConsumerTests {
    /// A follower that stops reading gets pushes dropped; nobody else is slowed down and the
    /// bus holds a bounded amount for it.
    @Test func pushesToAConsumerThatDoesNotReadAreDropped() async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = BusServer.Configuration(socketPath: dir.path + "/bus.sock")
        config.maxQueuedBytes = 64 * 1024
        let server = BusServer(configuration: config, logger: quietLogger("bus"))
        let serverTask = Task { try await server.run() }
        let path = config.socketPath
        try await waitUntil { FileManager.default.fileExists(atPath: path) }
        // A raw follower that says hello and then never reads again.
        let stuck = try Socket.connectUnix(path: path)
        defer { close(stuck) }
        Socket.writeAll(stuck, Array(#"{"op":"hello","service":"kpi","follows":["intake"]}"#.utf8) + [0x0a])
        let producer = BusClient(socketPath: path, service: "intake", follows: [], logger: quietLogger())
        let healthy = BusClient(socketPath: path, service: "dispatch", follows: ["intake"], logger: quietLogger())
        let tasks = [Task { await producer.run() }, Task { await healthy.run() }]
        try await waitUntil { producer.isConnected && healthy.isConnected }
        let blob = String(repeating: "x", count: 4000)
        for chunk in 0..<400 {  // ~16 MB in all, far beyond socket buffers and the 64 KiB queue
            producer.publish((1...10).map { i in
                Event(stream: "intake", seq: Int64(chunk * 10 + i), id: "e", type: "t", ticket: nil, at: "2026-01-01T00:00:00.000Z",
                      data: .string(blob), prev: "", hash: "")
            })
        }
        try await waitUntil(timeout: 20) { server.droppedPushCount > 0 }
        try await producer.ping()
        try await healthy.ping()
        #expect(producer.isConnected && healthy.isConnected)
        for t in tasks { t.cancel() }
        producer.stop()
        healthy.stop()
        server.stop()
        _ = try? await serverTask.value
    }
}

@Suite struct BusIdentityTests {
    /// With identities bound, the uid the socket reports decides which name a peer may use:
    /// this process's uid is kpi's, so kpi connects and a hello as intake is refused (issue 11).
    @Test func aPeerMaySpeakOnlyForTheServiceItsUidIsBoundTo() async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = BusServer.Configuration(socketPath: dir.path + "/bus.sock")
        let me = UInt32(getuid())
        config.router.identities = ["kpi": [me], "intake": [me + 1]]
        let server = BusServer(configuration: config, logger: quietLogger("bus"))
        let serverTask = Task { try await server.run() }
        try await waitUntil { FileManager.default.fileExists(atPath: dir.path + "/bus.sock") }
        let kpi = BusClient(socketPath: dir.path + "/bus.sock", service: "kpi", follows: ["intake"], logger: quietLogger())
        let k = Task { await kpi.run() }
        defer { k.cancel() }
        try await waitUntil { kpi.isConnected }

        let fd = try Socket.connectUnix(path: dir.path + "/bus.sock")
        Socket.writeAll(fd, Array(#"{"op":"hello","service":"intake"}"#.utf8) + [0x0a])
        let reply = readUntilClosed(fd)
        close(fd)
        #expect(reply.contains(#""code":"forbidden""#) && reply.contains("intake may not connect as uid \(getuid())"), "\(reply)")
        try await kpi.ping()
        #expect(kpi.isConnected)
        server.stop()
        _ = try? await serverTask.value
    }
}
