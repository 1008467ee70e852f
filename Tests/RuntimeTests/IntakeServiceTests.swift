import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams
import IntakeService
import TestSupport
import Testing

/// Intake as a real HTTP service in this process (no bus needed: its pushes are dropped and
/// nothing here follows them).
@Suite struct IntakeServiceTests {
    final class Harness: Sendable {
        let service: RunningService
        let client: HTTPClient
        let pgName: String?
        let dir: URL

        init(engine: TestEngine, limitClock: any HotlineClock = SystemClock(), clock: any HotlineClock = SystemClock(),
             open311DedupeWindow: TimeInterval = 24 * 3600, extraEnvironment: [String: String] = [:]) async throws {
            dir = try TemporaryDirectory.make()
            var env = ["HOTLINE_INTAKE_PORT": "0", "HOTLINE_RUN_DIR": dir.path, "HOTLINE_DATABASE_URL": "sqlite:" + dir.path + "/data"]
            env.merge(extraEnvironment) { $1 }
            var name: String?
            if engine == .postgres {
                let (url, n) = try await onThread { try makePostgresDatabase(prefix: "hl_in_") }
                env["HOTLINE_DATABASE_URL"] = url
                name = n
            }
            pgName = name
            let county = try CountyConfig.load(directory: SampleCounty.directory)
            service = try await RunningService.start(
                IntakeService(phoneKey: "test-key", open311DedupeWindow: open311DedupeWindow, limitClock: limitClock),
                settings: try ServiceSettings.fromEnvironment(service: "intake", EnvironmentReader(env)),
                county: county, calendar: try WorkingCalendar(county.calendar), clock: clock, logger: quietLogger("intake"))
            client = HTTPClient(port: service.port)
        }

        func post(_ json: String, token: String = "demo-key-phone_12345") async throws -> HTTPClient.Response {
            try await client.request("POST", "/v1/tickets", headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                                     body: Array(json.utf8))
        }

        func get(_ path: String, token: String? = nil) async throws -> HTTPClient.Response {
            try await HTTPClient(port: service.port).request("GET", path, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [])
        }

        func stop() async {
            service.requestStop()
            await service.waitUntilStopped()
            if let pgName { dropPostgresDatabase(pgName) }
            try? FileManager.default.removeItem(at: dir)
        }
    }

    private func ticket(_ ref: String, category: String = "city.sanitation", phone: String = "13812345678", kind: String = "complaint",
                        extra: String = "") -> String {
        #"{"channel_ref":"\#(ref)","kind":"\#(kind)","category":"\#(category)","content":"问题 \#(ref)","caller":{"name":"王先生","phone":"\#(phone)"},"location":{"region":"330901003002004"}\#(extra)}"#
    }

    private func field(_ r: HTTPClient.Response, _ key: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])?[key] as? String
    }

    @Test(arguments: TestEngine.available)
    func idempotencyRepeatsAndClosureAtIntake(engine: TestEngine) async throws {
        let h = try await Harness(engine: engine)
        let first = try await h.post(ticket("r1"))
        #expect(first.status == 201)
        let id = try #require(field(first, "id"))
        #expect(try await h.post(ticket("r1")).status == 200)
        let conflict = try await h.post(ticket("r1", category: "city.garbage"))
        #expect(conflict.status == 409)

        // Same caller, category and place while r1 is open: a repeat, linked, not a new case.
        let again = try await h.post(ticket("r2"))
        #expect(again.status == 201)
        #expect(field(again, "status") == "repeat")
        #expect(field(again, "repeat_of") == id)
        let original = try await h.get("/v1/tickets/\(id)", token: "demo-centre-token")
        #expect((try JSONSerialization.jsonObject(with: Data(original.body)) as? [String: Any])?["repeat_count"] as? Int == 1)
        #expect(field(try await h.post(ticket("r3", category: "city.garbage")), "status") == "received")
        #expect(field(try await h.post(ticket("r4", phone: "13900001111")), "status") == "received")

        // A consultation answered from the knowledge base is closed at once.
        let closed = try await h.post(ticket("c1", category: "labour.social_insurance", phone: "13700001111", kind: "consultation",
                                             extra: #","closed_at_intake":{"knowledge_id":"kb-001"}"#))
        #expect(closed.status == 201)
        #expect(field(closed, "status") == "closed")
        let notConsultation = try await h.post(ticket("c2", extra: #","closed_at_intake":{"answer":"已解答"}"#))
        #expect(notConsultation.status == 422 && notConsultation.text.contains("closed_at_intake"))

        let types = try await h.service.context.read { tx in try tx.query("SELECT type FROM events ORDER BY seq").compactMap { $0.string("type") } }
        #expect(types.filter { $0 == "ticket.repeat_linked" }.count == 1)
        #expect(types.filter { $0 == "ticket.closed_at_intake" }.count == 1)
        // Events carry no readable phone number.
        let data = try await h.service.context.read { tx in try tx.query("SELECT data FROM events").compactMap { $0.string("data") } }
        #expect(!data.contains { $0.contains("13812345678") })
        await h.stop()
    }

    @Test(arguments: TestEngine.available)
    func citizenStatusContactLookupsAndKnowledge(engine: TestEngine) async throws {
        let h = try await Harness(engine: engine, limitClock: ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000)))
        let id = try #require(field(try await h.post(ticket("s1")), "id"))
        let ok = try await h.get("/v1/status/\(id)?phone_last4=5678")
        #expect(ok.status == 200)
        #expect(Set(((try JSONSerialization.jsonObject(with: Data(ok.body)) as? [String: Any]) ?? [:]).keys).isSubset(of: ["id", "status", "reply"]))
        let wrongPair = try await h.get("/v1/status/\(id)?phone_last4=0000")
        let missing = try await h.get("/v1/status/T00000000-nothing?phone_last4=5678")
        #expect(wrongPair.status == 404 && missing.status == 404)
        #expect(wrongPair.text == missing.text.replacingOccurrences(of: "T00000000-nothing", with: id), "indistinguishable")
        #expect(try await h.get("/v1/status/\(id)?phone_last4=56").status == 422)
        var limited: HTTPClient.Response?
        for _ in 0..<IntakeService.statusLookupsPerMinute {
            let r = try await h.get("/v1/status/\(id)?phone_last4=5678")
            if r.status == 429 { limited = r; break }
        }
        #expect(limited?.header("retry-after") != nil)

        #expect(try await h.get("/v1/tickets/\(id)/contact", token: "demo-key-phone_12345").status == 403)
        let contact = try await h.get("/v1/tickets/\(id)/contact", token: "demo-agent-token")
        #expect(contact.status == 200 && contact.text.contains("13812345678"))
        let lookups = try await h.get("/v1/contact-lookups?ticket=\(id)", token: "demo-auditor-token")
        #expect(lookups.text.contains("agent-demo"))

        let kb = try await h.get("/v1/knowledge?q=%E7%A4%BE%E4%BF%9D%E5%8D%A1%E4%B8%A2%E4%BA%86", token: "demo-key-phone_12345")  // 社保卡丢了
        #expect(kb.status == 200)
        let hits = try JSONSerialization.jsonObject(with: Data(kb.body)) as? [[String: Any]] ?? []
        #expect(hits.first?["id"] as? String == "kb-001")
        #expect(try await h.get("/v1/knowledge?q=", token: "demo-key-phone_12345").status == 422)
        await h.stop()
    }

    /// With HOTLINE_METRICS_TOKEN set, /metrics answers its bearer only.
    @Test func metricsCanRequireAToken() async throws {
        let h = try await Harness(engine: .sqlite, extraEnvironment: ["HOTLINE_METRICS_TOKEN": "scraper-secret"])
        defer { Task { await h.stop() } }
        #expect(try await h.get("/metrics").status == 401)
        #expect(try await h.get("/metrics", token: "demo-admin-token").status == 401, "a staff token is not the scraper's")
        let scraped = try await h.get("/metrics", token: "scraper-secret")
        #expect(scraped.status == 200 && scraped.text.contains("hotline_"))
        #expect(try await h.get("/healthz").status == 200, "probes stay open")
    }

    @Test func channelsAreRateLimited() async throws {
        // A frozen clock: no token refills however slowly the requests go.
        let h = try await Harness(engine: .sqlite, limitClock: ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000)))
        // in_person allows 60 tickets a minute.
        var statuses: [Int] = []
        for i in 0..<61 {
            statuses.append(try await h.post(ticket("l\(i)", phone: String(format: "136%08d", i)), token: "demo-key-in_person").status)
        }
        #expect(statuses.prefix(60).allSatisfy { $0 == 201 })
        #expect(statuses.last == 429)
        // Over the limit, a retry of a stored ticket is still answered: it creates nothing.
        #expect(try await h.post(ticket("l3", phone: String(format: "136%08d", 3)), token: "demo-key-in_person").status == 200)
        // Other channels are not affected.
        #expect(try await h.post(ticket("other")).status == 201)
        await h.stop()
    }

    /// The limit counts tickets created: replays and refused submissions take nothing from it.
    @Test func replaysAndInvalidSubmissionsDoNotSpendTheLimit() async throws {
        let h = try await Harness(engine: .sqlite, limitClock: ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000)))
        #expect(try await h.post(ticket("first"), token: "demo-key-in_person").status == 201)
        for _ in 0..<80 { #expect(try await h.post(ticket("first"), token: "demo-key-in_person").status == 200) }
        for i in 0..<80 { #expect(try await h.post(ticket("bad\(i)", category: "nope"), token: "demo-key-in_person").status == 422) }
        var created = 1
        for i in 0..<59 where try await h.post(ticket("n\(i)", phone: String(format: "137%08d", i)), token: "demo-key-in_person").status == 201 {
            created += 1
        }
        #expect(created == 60, "all 60 of the minute's tickets were still available")
        #expect(try await h.post(ticket("over", phone: "13900000000"), token: "demo-key-in_person").status == 429)
        await h.stop()
    }
}
