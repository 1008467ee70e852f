import Foundation
import HotlineCore
import HotlineHTTP
import TestSupport
import Testing

/// What a client sees during faults (issue 15): while the bus hangs or the database server is
/// down, requests are answered at once — 503 with Retry-After where the work cannot be done,
/// never a hang or a 500 — and the suite recovers by itself when the fault clears.
@Suite(.serialized) struct FaultResponseTests {
    private func submit(_ suite: RunningSuite, _ ref: String) async throws -> HTTPClient.Response {
        try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
            #"{"channel_ref":"\#(ref)","kind":"complaint","category":"city.sanitation","content":"清运 \#(ref)","caller":{"phone":"139\#(String(format: "%08d", abs(ref.hashValue) % 100_000_000))"},"location":{"region":"330901003002004"}}"#)
    }

    /// Answered within `seconds`, whatever the status.
    private func timed(_ seconds: Double, _ body: () async throws -> HTTPClient.Response) async throws -> HTTPClient.Response {
        let start = Date()
        let r = try await body()
        #expect(Date().timeIntervalSince(start) < seconds, "answered after \(Date().timeIntervalSince(start)) s")
        return r
    }

    private func assignments(_ suite: RunningSuite) async throws -> [String] {
        try await suite.call("dispatch", "GET", "/v1/assignments", token: "demo-centre-token").list.compactMap { $0["ticket"] as? String }
    }

    /// The bus stops answering (SIGSTOP: its socket stays open, nothing moves). Intake still
    /// takes tickets (they are stored, and published when the bus is back); what needs another
    /// service's stream answers 503 with Retry-After instead of waiting.
    @Test func aHungBusNeitherHangsNorFailsRequests() async throws {
        let suite = try await RunningSuite.start(engine: .sqlite)
        defer { suite.stop() }
        let before = try await submit(suite, "bus-before")
        let first = try #require(before.object["id"] as? String)
        try await waitUntil(timeout: 20) { try await assignments(suite).contains(first) }
        let bus = try #require(suite.pid("bus"))
        kill(bus, SIGSTOP)
        defer { kill(bus, SIGCONT) }
        let during = try await timed(5) { try await submit(suite, "bus-during") }
        #expect(during.status == 201, "\(during.text)")
        let audit = try await timed(30) {
            try await suite.call("kpi", "POST", "/v1/audit/recompute?period=2026-11", token: "demo-auditor-token")
        }
        #expect(audit.status == 503 && audit.header("retry-after") != nil, "\(audit.status) \(audit.text)")
        #expect(try await timed(5) { try await suite.call("dispatch", "GET", "/v1/assignments", token: "demo-centre-token") }.status == 200)
        kill(bus, SIGCONT)
        let second = try #require(during.object["id"] as? String)
        try await waitUntil(timeout: 30) { try await assignments(suite).contains(second) }
    }

    /// The PostgreSQL server goes down (a private one: stopping the tests' server would break
    /// the others). Writes and reads answer 503 with Retry-After, `/readyz` 503; once it is
    /// back, the services reconnect by themselves and every acknowledged ticket is dispatched.
    @Test func aDatabaseServerDownAnswers503AndRecovers() async throws {
        guard TestEngine.postgresURL != nil else { return }
        let clock = Date()
        var phases: [String] = []
        func phase(_ name: String) { phases.append("\(name) \(String(format: "%.1f", Date().timeIntervalSince(clock)))s") }
        defer { print("database server down: " + phases.joined(separator: ", ")) }
        let parent = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: parent) }
        let dir = parent.path + "/pg"
        let script = SampleCounty.repositoryRoot + "/deploy/scripts/throwaway-postgres.sh"
        let started = try await runProgramAsync("/bin/bash", [script, "start", dir])
        try #require(started.status == 0, "\(started.output)")
        defer { _ = try? runProgram("/bin/bash", [script, "stop", dir]) }
        let server = try #require(started.output.split(separator: "\n").last.map(String.init))
        phase("server started")
        let suite = try await RunningSuite.start(engine: .postgres, postgresServer: server)
        defer { suite.stop() }
        phase("suite started")
        let before = try await submit(suite, "pg-before")
        #expect(before.status == 201)
        let bin = try #require((try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")).sorted().last)
        let pgctl = ["/usr/lib/postgresql/\(bin)/bin/pg_ctl", "-D", dir + "/data", "-w", "-t", "60"]
        let asOwner = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []
        let stop = try await runProgramAsync((asOwner + pgctl)[0], Array((asOwner + pgctl + ["-m", "immediate", "stop"]).dropFirst()))
        try #require(stop.status == 0, "\(stop.output)")
        phase("server stopped")

        let write = try await timed(30) { try await submit(suite, "pg-during") }
        #expect(write.status == 503 && write.header("retry-after") != nil, "\(write.status) \(write.text)")
        let read = try await timed(30) { try await suite.call("dispatch", "GET", "/v1/assignments", token: "demo-centre-token") }
        #expect(read.status == 503 && read.header("retry-after") != nil, "\(read.status) \(read.text)")
        let ready = try await timed(30) { try await suite.client("intake").request("GET", "/readyz") }
        #expect(ready.status == 503, "\(ready.text)")

        // As the throwaway script starts it: on its own socket directory, no TCP.
        let options = "-o \"-c listen_addresses='' -c unix_socket_directories=\(dir)\""
        let start = try await runProgramAsync("/bin/bash", ["-c", (asOwner + pgctl + ["-l", dir + "/server.log", options, "start"]).joined(separator: " ")
                                                 + " >/dev/null 2>&1"])
        try #require(start.status == 0, "\(start.output)")
        phase("server restarted")
        let after: String = try await eventually(timeout: 60) {
            let r = try await submit(suite, "pg-after")
            return r.status == 201 ? r.object["id"] as? String : nil
        }
        phase("ticket accepted again")
        let first = try #require(before.object["id"] as? String)
        try await waitUntil(timeout: 60) {
            let listed = try await assignments(suite)
            return listed.contains(first) && listed.contains(after)
        }
        phase("both dispatched")
    }
}
