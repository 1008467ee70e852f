import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HotlineCore
import HotlineHTTP
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
        #expect(unknownService.status == 400 && unknownService.text.contains("category"))
        #expect(try await h.get("/open311/v2/services/nope.json").status == 404)
        #expect(try await h.get("/open311/v2/requests/nope.xml").status == 404)
        #expect(try await h.get("/open311/v2/requests/x.csv").status == 404)
        #expect(try await h.get("/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z").status == 400)
        let json = try await HTTPClient(port: h.service.port).request(
            "POST", "/open311/v2/requests.json", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
        #expect(json.status == 400)
        await h.stop()
    }

    /// The real GeoReport v2 client from PyPI (georeport 0.3.1, installed by setup.sh).
    @Test func realOpen311ClientReadsOurEndpoint() async throws {
        let h = try await Harness(engine: .sqlite)
        let created = try await form(h, "json", Self.validRequest)
        let id = try #require((try JSONSerialization.jsonObject(with: Data(created.body)) as? [[String: Any]])?.first?["service_request_id"] as? String)
        let script = SampleCounty.repositoryRoot + "/Tests/Interop/georeport_check.py"
        let base = "http://127.0.0.1:\(h.service.port)/open311/v2"
        let (status, output) = try await onThread { () -> (Int32, String) in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", script, base, id]
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = pipe
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        #expect(status == 0, "georeport client failed: \(output)")
        #expect(output.contains("georeport client OK"))
        await h.stop()
    }
}

func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in Thread { c.resume(with: Result { try body() }) }.start() }
}
