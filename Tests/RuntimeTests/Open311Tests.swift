import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HotlineCore
import HotlineHTTP
import HotlineStorage
import IntakeService
import TestSupport
import Testing

@Suite struct Open311Tests {
    typealias Harness = IntakeServiceTests.Harness

    private func form(_ h: Harness, _ ext: String, _ fields: [(String, String)]) async throws -> HTTPClient.Response {
        let body = fields.map { FormEncoding.encode($0.0) + "=" + FormEncoding.encode($0.1) }.joined(separator: "&")
        return try await HTTPClient(port: h.service.port).request(
            "POST", "/open311/v2/requests.\(ext)", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8))
    }

    private func wellFormedXML(_ r: HTTPClient.Response) -> Bool {
        XMLParser(data: Data(r.body)).parse()
    }

    private static let validRequest: [(String, String)] = [
        ("api_key", "demo-key-web_portal"), ("service_code", "city.sanitation"), ("description", "路边垃圾堆积 & <无人清理>"),
        ("address_id", "330901003002004"), ("address_string", "西城街道"), ("phone", "13812340000"), ("last_name", "李"),
        ("first_name", "雷"), ("attribute[kind]", "complaint"),
    ]

    @Test(arguments: TestEngine.available)
    func createQueryAndLookUpInJSONAndXML(engine: TestEngine) async throws {
        let h = try await Harness(engine: engine)
        let created = try await form(h, "json", Self.validRequest)
        #expect(created.status == 201)
        let list = try JSONSerialization.jsonObject(with: Data(created.body)) as? [[String: Any]] ?? []
        let id = try #require(list.first?["service_request_id"] as? String)
        // The same form again is the same request (idempotent on its content).
        let again = try await form(h, "json", Self.validRequest)
        #expect((try JSONSerialization.jsonObject(with: Data(again.body)) as? [[String: Any]])?.first?["service_request_id"] as? String == id)

        let xmlCreated = try await form(h, "xml", Self.validRequest.map { $0.0 == "description" ? ($0.0, "另一件事") : $0 })
        #expect(xmlCreated.status == 201 && wellFormedXML(xmlCreated))
        #expect(xmlCreated.text.contains("<service_requests><request><service_request_id>"))

        let single = try await h.get("/open311/v2/requests/\(id).json")
        let item = try #require((try JSONSerialization.jsonObject(with: Data(single.body)) as? [[String: Any]])?.first)
        #expect(item["status"] as? String == "open")
        #expect(item["service_name"] as? String == "环境卫生")
        #expect((item["requested_datetime"] as? String)?.hasSuffix("+08:00") == true)
        #expect(item["description"] == nil && item["address"] == nil, "public reads carry no personal data")
        let singleXML = try await h.get("/open311/v2/requests/\(id).xml")
        #expect(wellFormedXML(singleXML) && !singleXML.text.contains("13812340000"))

        let token = try await h.get("/open311/v2/tokens/\(id).json")
        #expect(token.status == 200 && token.text.contains(id))
        let byCode = try await h.get("/open311/v2/requests.json?service_code=city.sanitation&status=open")
        #expect(byCode.text.contains(id))
        let closedOnly = try await h.get("/open311/v2/requests.json?status=closed")
        #expect(!closedOnly.text.contains(id))
        for path in ["/open311/discovery.xml", "/open311/v2/services.xml", "/open311/v2/services/city.sanitation.xml"] {
            let r = try await h.get(path)
            #expect(r.status == 200 && wellFormedXML(r), "\(path)")
        }
        await h.stop()
    }

    @Test func errorsUseTheSpecFormatAndCodes() async throws {
        let h = try await Harness(engine: .sqlite)
        let badKey = try await form(h, "json", Self.validRequest.map { $0.0 == "api_key" ? ($0.0, "nope") : $0 })
        #expect(badKey.status == 403)
        let errors = try JSONSerialization.jsonObject(with: Data(badKey.body)) as? [[String: Any]]
        #expect(errors?.first?["code"] as? Int == 403 && errors?.first?["description"] != nil)
        let noCode = try await form(h, "xml", Self.validRequest.filter { $0.0 != "service_code" })
        #expect(noCode.status == 400 && noCode.text.contains("<errors><error><code>400</code>") && wellFormedXML(noCode))
        let noPlace = try await form(h, "json", Self.validRequest.filter { !$0.0.hasPrefix("address") })
        #expect(noPlace.status == 400 && noPlace.text.contains("location"))
        let unknownService = try await form(h, "json", Self.validRequest.map { $0.0 == "service_code" ? ($0.0, "nope") : $0 })
        #expect(unknownService.status == 400 && unknownService.text.contains("service_code"))
        #expect(try await h.get("/open311/v2/services/nope.json").status == 404)
        #expect(try await h.get("/open311/v2/requests/nope.xml").status == 404)
        #expect(try await h.get("/open311/v2/requests/x.csv").status == 404)
        let json = try await HTTPClient(port: h.service.port).request(
            "POST", "/open311/v2/requests.json", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
        #expect(json.status == 400)
        await h.stop()
    }

    private func list(_ r: HTTPClient.Response) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [[String: Any]]) ?? []
    }

    private func raw(_ h: Harness, _ method: String, _ path: String, body: String = "") async throws -> HTTPClient.Response {
        try await HTTPClient(port: h.service.port).request(
            method, path, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8))
    }

    /// Creates without `attribute[channel_ref]` are the same request when their parsed,
    /// normalised fields are, within the window only.
    @Test(arguments: TestEngine.available)
    func createsWithoutAReferenceAreDeduplicatedWithinTheWindow(engine: TestEngine) async throws {
        let clock = ManualClock(start: Date())
        let h = try await Harness(engine: engine, clock: clock, open311DedupeWindow: 3600)
        let first = try await raw(h, "POST", "/open311/v2/requests.json",
                                  body: "api_key=demo-key-web_portal&service_code=city.sanitation&address_id=330901003002004&description=a+b&phone=13812340000")
        #expect(first.status == 201)
        let id = try #require(list(first).first?["service_request_id"] as? String)
        // Reordered, %20 for +, the phone written differently: the same request.
        let again = try await raw(h, "POST", "/open311/v2/requests.json",
                                  body: "phone=%2B86%20138-1234-0000&description=a%20b&address_id=330901003002004&service_code=city.sanitation&api_key=demo-key-web_portal")
        #expect(again.status == 201 && list(again).first?["service_request_id"] as? String == id)
        let other = try await raw(h, "POST", "/open311/v2/requests.json",
                                  body: "api_key=demo-key-web_portal&service_code=city.sanitation&address_id=330901003002004&description=a+c&phone=13812340000")
        #expect(list(other).first?["service_request_id"] as? String != id)
        // Past the window the same report is a new request, not last week's ticket.
        clock.advance(to: clock.now().addingTimeInterval(3601))
        let later = try await raw(h, "POST", "/open311/v2/requests.json",
                                  body: "api_key=demo-key-web_portal&service_code=city.sanitation&address_id=330901003002004&description=a+b&phone=13812340000")
        #expect(later.status == 201 && list(later).first?["service_request_id"] as? String != id)

        // The look-up uses the partial index that holds only such tickets (migration 104),
        // not a scan of every ticket.
        let plan = try await h.service.context.read { tx in
            try queryPlan(tx, engine, TicketStore.contentDuplicateSQL(columns: "id"), [.text("web_portal"), .text("f"), .text("2026-01-01")])
        }
        #expect(plan.contains("tickets_content_dedupe"), "\(plan)")
        let fingerprinted = try await h.service.context.read { tx in
            try tx.scalarInt("SELECT COUNT(*) FROM tickets WHERE \(TicketStore.madeUpReferenceTerm)")
        }
        #expect(fingerprinted == 3)
        await h.stop()
    }

    /// Each defect an integrator met, fixed: lenient where the spec and real clients are,
    /// errors in the spec's format naming the spec's fields.
    @Test func whatRealClientsSendIsUnderstood() async throws {
        let h = try await Harness(engine: .sqlite)
        // description is optional; a Latin name keeps its space; a flag may be spelled yes.
        let created = try await form(h, "json", [("api_key", "demo-key-web_portal"), ("service_code", "city.sanitation"),
                                                 ("lat", "30.1"), ("long", "120.2"), ("first_name", "Si"), ("last_name", "Li"),
                                                 ("phone", "13812345670"), ("attribute[enterprise]", "yes"), ("email", "")])
        #expect(created.status == 201)
        let id = try #require(list(created).first?["service_request_id"] as? String)
        let row = try await h.service.context.read { tx in
            try tx.queryOne("SELECT caller_name, enterprise, content FROM tickets WHERE id = ?", [.text(id)])
        }
        #expect(row?.string("caller_name") == "Si Li" && row?.bool("enterprise") == true)
        #expect(row?.string("content")?.contains("环境卫生") == true)
        // Errors name the form's fields.
        let bad = try await form(h, "json", [("api_key", "demo-key-web_portal"), ("service_code", "nope"), ("address_id", "1")])
        #expect(bad.status == 400 && bad.text.contains("service_code") && bad.text.contains("address_id"))
        #expect(!bad.text.contains("category") && !bad.text.contains("location.region"))
        let badFlag = try await form(h, "xml", [("api_key", "demo-key-web_portal"), ("service_code", "city.sanitation"),
                                                ("address_id", "330901003002004"), ("attribute[enterprise]", "maybe")])
        #expect(badFlag.status == 400 && badFlag.text.contains("attribute[enterprise]"))
        // Lists with spaces, status in any case, W3C dates and zones without a colon, empty parameters.
        for query in ["service_code=city.sanitation,%20other", "status=OPEN", "start_date=2026-01-01&end_date=",
                      "start_date=&end_date=", "end_date=\(Self.today())", "start_date=2026-11-01T00:00:00%2B0800",
                      "start_date=2020-01-01"] {
            let r = try await h.get("/open311/v2/requests.json?" + query)
            #expect(r.status == 200, "\(query): \(r.status) \(r.text)")
            if query.hasPrefix("service_code") || query.hasPrefix("status") || query.hasPrefix("start_date=&") {
                #expect(r.text.contains(id), "\(query)")
            }
        }
        #expect(try await h.get("/open311/v2/requests.json?end_date=soon").status == 400)
        // Unknown paths and methods under /open311 answer in the spec's format, XML for .xml.
        let unknownXML = try await h.get("/open311/v2/service/city.sanitation.xml")
        #expect(unknownXML.status == 404 && unknownXML.text.contains("<errors><error><code>404</code>") && wellFormedXML(unknownXML))
        let csv = try await h.get("/open311/v2/requests.csv")
        #expect(csv.status == 404 && (list(csv).first?["code"] as? Int) == 404)
        let put = try await raw(h, "PUT", "/open311/v2/requests.xml")
        #expect(put.status == 405 && put.header("allow") != nil && put.text.contains("<code>405</code>"))
        // Discovery gives an absolute endpoint; public reads may be used by any origin.
        let discovery = try await h.get("/open311/discovery.json")
        #expect(discovery.text.contains("\"url\":\"http://127.0.0.1:\(h.service.port)/open311/v2\""))
        #expect(discovery.header("access-control-allow-origin") == "*")
        #expect(try await h.get("/open311/v2/requests/\(id).json").header("access-control-allow-origin") == "*")
        await h.stop()
    }

    private static func today() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return f.string(from: Date())
    }

    /// Four real GeoReport v2 clients from PyPI (installed by setup.sh): georeport 0.3.1 and
    /// civicbot 0.4.0 on Python 3; open311 1.1 and three 0.8.0 on Python 2.7, skipped with a
    /// message where no 2.7 interpreter with them exists.
    @Test func realOpen311ClientsWorkWithOurEndpoint() async throws {
        let h = try await Harness(engine: .sqlite)
        let created = try await form(h, "json", Self.validRequest)
        let id = try #require(list(created).first?["service_request_id"] as? String)
        let base = "http://127.0.0.1:\(h.service.port)/open311/v2"
        let interop = SampleCounty.repositoryRoot + "/Tests/Interop/"
        let py3 = try await Self.run("/usr/bin/env", ["python3", interop + "open311_clients_py3.py", base, "demo-key-web_portal", id])
        #expect(py3.status == 0, "Python 3 clients failed: \(py3.output)")
        #expect(py3.output.contains("OK georeport") && py3.output.contains("OK civicbot"))
        if let python2 = Self.python2() {
            let py2 = try await Self.run(python2, [interop + "open311_clients_py2.py", base, "demo-key-web_portal", id])
            #expect(py2.status == 0, "Python 2.7 clients failed: \(py2.output)")
            #expect(py2.output.contains("OK open311") && py2.output.contains("OK three"))
        } else {
            print("Open311Tests: no Python 2.7 with open311 1.1 and three 0.8.0; those two clients are skipped")
        }
        await h.stop()
    }

    /// A Python 2.7 interpreter that has the two old clients (setup.sh installs them into the
    /// first one it finds): `HOTLINE_PYTHON2`, else pyenv's, else the system's.
    static func python2() -> String? {
        var candidates = [ProcessInfo.processInfo.environment["HOTLINE_PYTHON2"]].compactMap { $0 }
        let pyenv = NSHomeDirectory() + "/.pyenv/versions"
        for v in ((try? FileManager.default.contentsOfDirectory(atPath: pyenv)) ?? []).sorted() where v.hasPrefix("2.7") {
            candidates.append(pyenv + "/" + v + "/bin/python")
        }
        candidates += ["/usr/bin/python2.7", "/usr/local/bin/python2.7"]
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: candidate)
            p.arguments = ["-c", "import open311, three"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { continue }
            p.waitUntilExit()
            if p.terminationStatus == 0 { return candidate }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await runProgramAsync(executable, arguments)
    }
}
