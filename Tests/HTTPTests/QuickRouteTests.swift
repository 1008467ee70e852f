import Foundation
import HotlineCore
import HotlineHTTP
import Synchronization
import TestSupport
import Testing

/// Quick routes run on the event loop's thread, before and after they suspend; others run on
/// a handler thread; a quick handler that outlives the server's drain still finishes.
@Suite struct QuickRouteTests {
    /// Suspends the caller until another thread resumes it, as the database's writer does.
    static func resumedFromAnotherThread<T: Sendable>(_ value: T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                usleep(1_000)
                continuation.resume(returning: value)
            }
            thread.start()
        }
    }

    /// The system's name of the thread running the caller (what `top -H` and `perf` show).
    static func threadName() -> String {
        let comm = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
        return comm?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    }

    final class Gate: Sendable {
        private let state = Mutex((started: false, open: false, finished: false))
        var started: Bool { state.withLock { $0.started } }
        var finished: Bool { state.withLock { $0.finished } }
        func markStarted() { state.withLock { $0.started = true } }
        func open() { state.withLock { $0.open = true } }
        func markFinished() { state.withLock { $0.finished = true } }
        var isOpen: Bool { state.withLock { $0.open } }
    }

    private func makeServer(gate: Gate = Gate()) throws -> (HTTPServer, Task<Void, Never>) {
        var router = Router()
        let threadNames: HTTPHandler = { request in
            let before = Self.threadName()
            let echoed = await Self.resumedFromAnotherThread(request.parameter("n"))
            let after = Self.threadName()
            return .text("\(echoed) \(before) \(after)")
        }
        router.add(Route("GET", "/quick/{n}", roles: nil, quick: true, handler: threadNames))
        router.add(Route("GET", "/pooled/{n}", roles: nil, handler: threadNames))
        router.add(Route("GET", "/gated", roles: nil, quick: true) { _ in
            gate.markStarted()
            // Waits for the gate off the loop (a thread polls it), like a write that takes long.
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                Thread {
                    while !gate.isOpen { usleep(2_000) }
                    continuation.resume()
                }.start()
            }
            gate.markFinished()
            return .text("late")
        })
        let server = HTTPServer(router: router, authenticator: Authenticator(hashedTokens: []), logger: quietLogger())
        try server.bind(host: "127.0.0.1", port: 0)
        let task = Task { await server.run(drainSeconds: 0.3) }
        return (server, task)
    }

    @Test func quickHandlersRunOnTheLoopAndOthersOnAHandlerThread() async throws {
        let (server, task) = try makeServer()
        let client = HTTPClient(port: server.port)
        let quick = try await client.request("GET", "/quick/7")
        #expect(quick.status == 200)
        #expect(quick.text == "7 http.loop http.loop")
        let pooled = try await client.request("GET", "/pooled/8")
        #expect(pooled.text == "8 http.handler http.handler")
        server.stop()
        await task.value
    }

    @Test func concurrentAndPipelinedQuickRequestsAreAnsweredInOrder() async throws {
        let (server, task) = try makeServer()
        let port = server.port
        // Many connections at once, each waiting on another thread mid-request.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in 0..<24 {
                group.addTask {
                    let client = HTTPClient(port: port)
                    for i in 0..<20 {
                        let answer = try await client.request("GET", "/quick/\(c)-\(i)")
                        #expect(answer.text == "\(c)-\(i) http.loop http.loop")
                    }
                }
            }
            try await group.waitForAll()
        }
        // Pipelined on one connection: answers come back in the order asked, each from the loop.
        let bodies = try await onThread { () -> [String] in
            let fd = try Socket.connectTCP(host: "127.0.0.1", port: port)
            defer { close(fd) }
            Socket.writeAll(fd, Array((0..<50).map { "GET /quick/p\($0) HTTP/1.1\r\nHost: h\r\n\r\n" }.joined().utf8))
            var received: [UInt8] = []
            var bodies: [String] = []
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while bodies.count < 50, Socket.waitReadable(fd, timeout: 10) {
                let n = buffer.withUnsafeMutableBytes { Socket.read(fd, into: $0.baseAddress!, count: $0.count) }
                if n <= 0 { break }
                received += buffer[0..<n]
                // Take every complete answer: head, then Content-Length bytes of body.
                while let end = received.firstRange(of: Array("\r\n\r\n".utf8)) {
                    let head = String(decoding: received[..<end.lowerBound], as: UTF8.self).lowercased()
                    guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                        let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)),
                        received.count >= end.upperBound + length
                    else { break }
                    bodies.append(String(decoding: received[end.upperBound..<(end.upperBound + length)], as: UTF8.self))
                    received.removeFirst(end.upperBound + length)
                }
            }
            return bodies
        }
        #expect(bodies == (0..<50).map { "p\($0) http.loop http.loop" })
        server.stop()
        await task.value
    }

    @Test func aQuickHandlerThatOutlivesTheDrainStillFinishes() async throws {
        let gate = Gate()
        let (server, task) = try makeServer(gate: gate)
        let client = HTTPClient(port: server.port)
        let request = Task { try? await client.request("GET", "/gated") }
        try await waitUntil { gate.started }
        server.stop()
        await task.value  // the drain ended with the handler still waiting
        gate.open()
        // Its continuation was queued to a loop that no longer runs: it must run elsewhere.
        try await waitUntil(timeout: 10) { gate.finished }
        _ = await request.value
    }
}
