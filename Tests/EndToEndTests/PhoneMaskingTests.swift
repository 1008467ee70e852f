import Foundation
import HotlineCore
import HotlineHTTP
import HotlineStorage
import TestSupport
import Testing

/// No citizen's full phone number leaves intake, however it is written and wherever in a
/// ticket it is put (issue 16: dotted numbers, and numbers in the address, tags and channel
/// reference got through).
@Suite(.serialized) struct PhoneMaskingTests {
    @Test(arguments: TestEngine.available)
    func noFullNumberOutsideIntake(engine: TestEngine) async throws {
        // Everything logged, down to debug, is checked too.
        let suite = try await RunningSuite.start(engine: engine, logLevel: "debug")
        defer { suite.stop() }
        let body = #"{"channel_ref":"call-15866666577","kind":"complaint","category":"city.sanitation","content":"垃圾没人清，请打158.6666.6577或者 +86 139 0000 1111","caller":{"name":"赵女士","phone":"15866666577"},"location":{"address":"清河路8号 联系13700002222","region":"330901003002004"},"tags":["回电13600003333"]}"#
        let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json: body)
        #expect(created.status == 201)
        let id = try #require((try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])?["id"] as? String)
        let assignment: String = try await eventually(timeout: 20) {
            let r = try await suite.call("dispatch", "GET", "/v1/assignments", token: "demo-centre-token")
            let list = (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [[String: Any]]) ?? []
            return list.first { $0["ticket"] as? String == id }?["id"] as? String
        }
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/accept", token: "demo-centre-token").status == 200)
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/reply", token: "demo-centre-token",
                                     json: #"{"result":"已清运，有事打 158-6666-6577"}"#).status == 200)
        try await waitUntil(timeout: 20) {
            try await suite.call("survey", "POST", "/v1/callbacks/\(id)", token: "demo-agent-token",
                                 json: #"{"reached":true,"resolved":true,"satisfaction":"satisfied","comment":"市民说以后打13500004444"}"#).status == 200
        }
        try await suite.waitUntilSettled()

        let numbers = ["15866666577", "13900001111", "13700002222", "13600003333", "13500004444"]
        func leaks(_ lines: [String]) -> [String] {
            lines.filter { line in
                let digits = String(line.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
                return numbers.contains { digits.contains($0) }
            }
        }
        // Everything intake sends out (its stream), and everything the other services keep.
        for service in ["intake", "dispatch", "supervision", "survey", "kpi"] {
            let db = try suite.database(service)
            let dump = try await CanonicalDump.capture(db, stream: service, ignoring: service == "intake" ? ["tickets", "contact_lookups"] : [])
            db.close()
            let found = leaks(dump.tables + dump.emitted)
            #expect(found.isEmpty, "\(service) holds a full phone number: \(found.prefix(3))")
            #expect(!dump.emitted.isEmpty || service == "kpi", "\(service) emitted something to check")
        }
        let logged = leaks(suite.logText().split(separator: "\n").map(String.init))
        #expect(logged.isEmpty, "the logs hold a full phone number: \(logged.prefix(3))")
        #expect(suite.logText().count > 1000, "the services logged enough to check")
        // The masked forms are there: masked, not dropped.
        let dispatch = try suite.database("dispatch")
        let result = try await dispatch.read { tx in try tx.queryOne("SELECT result FROM assignments WHERE id = ?", [.text(assignment)])?.string("result") }
        dispatch.close()
        #expect(result == "已清运，有事打 158****6577")
    }
}
