import Foundation
import HotlineCore
import HotlineHTTP
import TestSupport
import Testing

@Suite struct HTTPServerTests {
    struct Payload: Codable, Sendable {
        let name: String
        let count: Int
    }

    private static let unitToken = "unit-token"
    private static let centreToken = "centre-token"

    final class SlowStarted: @unchecked Sendable {
        // @unchecked: guarded by `lock`.
        private let lock = NSLock()
        private var started = false
        private var count = 0
        var value: Bool { lock.withLock { started } }
        var calls: Int { lock.withLock { count } }
        func mark() { lock.withLock { started = true; count += 1 } }
    }

    private func makeServer(limits: HTTPLimits = HTTPLimits(), slowStarted: SlowStarted = SlowStarted()) throws
        -> (HTTPServer, Task<Void, Never>)
    {
        var router = Router()
        router.add(Route("GET", "/hello/{name}", roles: nil) { request in
            .text("hello \(request.parameter("name"))")
        })
        router.add(Route("POST", "/echo", roles: nil, maxBody: 64) { request in
            let payload = try request.decodeJSON(Payload.self)
            return try .json(payload, status: 201)
        })
        router.add(Route("GET", "/centre-only", roles: [.centre]) { request in
            .text("hi \(request.principal?.name ?? "")")
        })
        router.add(Route("GET", "/slow", roles: nil) { _ in
            slowStarted.mark()
            try await Task.sleep(nanoseconds: 300_000_000)
            return .text("done")
        })
        let auth = Authenticator(hashedTokens: [
            (SHA256.hex(Self.unitToken), Principal(role: .unit, name: "u", unit: "housing")),
            (SHA256.hex(Self.centreToken), Principal(role: .centre, name: "c")),
        ])
        let server = HTTPServer(router: router, authenticator: auth, limits: limits, logger: quietLogger())
        try server.bind(host: "127.0.0.1", port: 0)
        let task = Task { await server.run(drainSeconds: 2) }
        return (server, task)
    }

    @Test func keepAliveRoutingAndProblems() async throws {
        let (server, task) = try makeServer()
        defer { server.stop() }
        let client = HTTPClient(port: server.port)
        let a = try await client.request("GET", "/hello/%E4%B8%AD")
        #expect(a.status == 200 && a.text == "hello 中")
        let missing = try await client.request("GET", "/nope")
        #expect(missing.status == 404)
        #expect(missing.header("content-type") == "application/problem+json")
        let wrongMethod = try await client.request("DELETE", "/hello/x")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("allow") == "GET")
        server.stop()
        await task.value
    }

    @Test func jsonBodiesAreValidatedWithClearErrors() async throws {
        let (server, task) = try makeServer()
        let client = HTTPClient(port: server.port)
        let json = [("Content-Type", "application/json")]
        let ok = try await client.request("POST", "/echo", headers: json, body: Array(#"{"name":"a","count":2}"#.utf8))
        #expect(ok.status == 201)
        #expect(try await client.request("POST", "/echo", headers: [("Content-Type", "text/plain")], body: [1]).status == 415)
        let malformed = try await client.request("POST", "/echo", headers: json, body: Array(#"{"name":"#.utf8))
        #expect(malformed.status == 400)
        let badUTF8 = try await client.request("POST", "/echo", headers: json, body: [0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])
        #expect(badUTF8.status == 400)
        let wrongType = try await client.request("POST", "/echo", headers: json, body: Array(#"{"name":"a","count":"two"}"#.utf8))
        #expect(wrongType.status == 422)
        let problem = try wrongType.decode(Problem.self)
        #expect(problem.errors?.first?.field == "count")
        let missing = try await client.request("POST", "/echo", headers: json, body: Array(#"{"count":1}"#.utf8))
        #expect(try missing.decode(Problem.self).errors?.first?.field == "name")
        let tooBig = try await client.request("POST", "/echo", headers: json, body: Array(repeating: 0x20, count: 100))
        #expect(tooBig.status == 413)
        // The server is still there for the next client.
        #expect(try await HTTPClient(port: server.port).request("GET", "/hello/x").status == 200)
        server.stop()
        await task.value
    }

    @Test func bearerTokensAndRoles() async throws {
        let (server, task) = try makeServer()
        let client = HTTPClient(port: server.port)
        let none = try await client.request("GET", "/centre-only")
        #expect(none.status == 401)
        #expect(none.header("www-authenticate")?.hasPrefix("Bearer") == true)
        #expect(try await client.request("GET", "/centre-only", headers: [("Authorization", "Bearer wrong")]).status == 401)
        #expect(try await client.request("GET", "/centre-only", headers: [("Authorization", "Bearer \(Self.unitToken)")]).status == 403)
        let ok = try await client.request("GET", "/centre-only", headers: [("Authorization", "Bearer \(Self.centreToken)")])
        #expect(ok.status == 200 && ok.text == "hi c")
        server.stop()
        await task.value
    }

    @Test func slowClientsGet408AndGarbageGets400() async throws {
        var limits = HTTPLimits()
        limits.headerTimeout = 0.3
        limits.bodyTimeout = 0.3
        let (server, task) = try makeServer(limits: limits)
        let port = server.port
        let replies = try await onThread {
            var out: [String] = []
            for partial in ["GET /hello/x HTTP/1.1\r\nHost:", "POST /echo HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{", "\u{16}\u{03}\u{01} binary junk\r\n\r\n"] {
                let fd = try Socket.connectTCP(host: "127.0.0.1", port: port)
                Socket.writeAll(fd, Array(partial.utf8))
                out.append(readUntilClosed(fd))
                close(fd)
            }
            return out
        }
        #expect(replies[0].hasPrefix("HTTP/1.1 408"))
        #expect(replies[1].hasPrefix("HTTP/1.1 408"))
        #expect(replies[2].hasPrefix("HTTP/1.1 400"))
        server.stop()
        await task.value
    }

    @Test func connectionCapAnswers503() async throws {
        var limits = HTTPLimits()
        limits.maxConnections = 2
        let (server, task) = try makeServer(limits: limits)
        let port = server.port
        let third = try await onThread { () -> String in
            let a = try Socket.connectTCP(host: "127.0.0.1", port: port)
            let b = try Socket.connectTCP(host: "127.0.0.1", port: port)
            Thread.sleep(forTimeInterval: 0.2)
            let c = try Socket.connectTCP(host: "127.0.0.1", port: port)
            let reply = readUntilClosed(c)
            close(a)
            close(b)
            close(c)
            return reply
        }
        #expect(third.hasPrefix("HTTP/1.1 503"))
        server.stop()
        await task.value
    }

    @Test func gracefulStopFinishesRequestsInFlight() async throws {
        let started = SlowStarted()
        let (server, task) = try makeServer(slowStarted: started)
        let client = HTTPClient(port: server.port)
        async let slow = client.request("GET", "/slow")
        // Stop only once the request is really in the handler.
        try await waitUntil { started.value }
        server.stop()
        let response = try await slow
        #expect(response.status == 200)
        #expect(response.header("connection") == "close", "\(response.headers) \(response.text) calls \(started.calls) port \(server.port)")
        await task.value
    }
}

/// Runs blocking socket code on its own thread.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in Thread { c.resume(with: Result { try body() }) }.start() }
}
