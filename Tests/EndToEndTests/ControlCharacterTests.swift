import Foundation
import HotlineCore
import HotlineHTTP
import HotlineStorage
import TestSupport
import Testing

/// Every string field of every write route, given a NUL or another control character that
/// makes no sense there: refused with the field named, never stored cut short; multi-line
/// text keeps its tabs and line breaks byte for byte (issue 16).
@Suite(.serialized) struct ControlCharacterTests {
    private func object(_ r: HTTPClient.Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]) ?? [:]
    }

    private func named(_ r: HTTPClient.Response) -> [String] {
        (object(r)["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    /// JSON text of a string value (escapes included), for splicing into bodies.
    private func json(_ s: String) throws -> String { try CanonicalJSON.string(.string(s)) }

    private func ticket(_ fields: [String: String]) -> String {
        var f = ["channel_ref": #""cc-\#(UUID().uuidString)""#, "kind": #""consultation""#, "category": #""city.sanitation""#,
                 "content": #""内容""#, "name": #""王先生""#, "phone": #""13912345678""#, "address": #""清河县""#,
                 "region": #""330901003002004""#, "tag": #""路灯""#, "attachment": #""https://a.example/x.jpg""#,
                 "urgency": #""normal""#, "domain": #""livelihood""#]
        f.merge(fields) { $1 }
        return #"{"channel_ref":\#(f["channel_ref"]!),"kind":\#(f["kind"]!),"domain":\#(f["domain"]!),"category":\#(f["category"]!),"urgency":\#(f["urgency"]!),"content":\#(f["content"]!),"caller":{"name":\#(f["name"]!),"phone":\#(f["phone"]!)},"location":{"address":\#(f["address"]!),"region":\#(f["region"]!)},"tags":[\#(f["tag"]!)],"attachments":[\#(f["attachment"]!)]}"#
    }

    @Test(arguments: TestEngine.available)
    func controlCharactersAreRefusedByNameOrKeptWhole(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let key = "demo-key-wechat"
        // Intake: every string of a ticket.
        let fields: [(key: String, name: String)] = [
            ("channel_ref", "channel_ref"), ("kind", "kind"), ("domain", "domain"), ("category", "category"), ("urgency", "urgency"),
            ("content", "content"), ("name", "caller.name"), ("phone", "caller.phone"), ("address", "location.address"),
            ("region", "location.region"), ("tag", "tags[0]"), ("attachment", "attachments[0]"),
        ]
        for (field, name) in fields {
            for bad in ["前\u{0}后", "前\u{1}后", "前\u{7f}后"] {
                let r = try await suite.call("intake", "POST", "/v1/tickets", token: key, json: ticket([field: try json(bad)]))
                #expect(r.status == 422 && named(r).contains(name), "\(name) with \(bad.debugDescription): \(r.status) \(r.text)")
            }
        }
        // Single-line fields refuse line breaks too; multi-line ones keep them, byte for byte.
        for (field, name) in [("channel_ref", "channel_ref"), ("name", "caller.name"), ("address", "location.address"), ("tag", "tags[0]")] {
            let r = try await suite.call("intake", "POST", "/v1/tickets", token: key, json: ticket([field: try json("一\n二")]))
            #expect(r.status == 422 && named(r).contains(name), "\(name) with a line break: \(r.status)")
        }
        let account = "第一行\n第二行\t缩进\r\n完"
        let kept = try await suite.call("intake", "POST", "/v1/tickets", token: key,
                                        json: ticket(["content": try json(account), "kind": #""complaint""#]))
        #expect(kept.status == 201)
        let id = try #require(object(kept)["id"] as? String)
        let intake = try suite.database("intake")
        let stored = try await intake.read { tx in try tx.queryOne("SELECT content FROM tickets WHERE id = ?", [.text(id)])?.string("content") }
        intake.close()
        #expect(stored == account, "stored byte for byte")
        // A consultation closed at intake: its answer.
        let closing = #"{"channel_ref":"cc-answer","kind":"consultation","category":"city.sanitation","content":"问","caller":{"anonymous":true},"closed_at_intake":{"answer":\#(try json("答\u{0}"))}}"#
        let answer = try await suite.call("intake", "POST", "/v1/tickets", token: key, json: closing)
        #expect(answer.status == 422 && named(answer).contains("closed_at_intake.answer"), "\(answer.text)")

        // Open311: every form field that is kept (email, device_id and account_id are
        // documented as ignored: intake stores nothing of them).
        for field in ["description", "address_string", "first_name", "last_name", "attribute[channel_ref]", "phone",
                      "service_code", "media_url", "address_id", "attribute[kind]", "attribute[urgency]"] {
            var form = ["api_key": "demo-key-wechat", "service_code": "city.sanitation", "description": "路灯不亮",
                        "address_string": "清河县", "attribute[channel_ref]": "o311-\(field)"]
            form[field] = "前\u{0}后"
            let body = form.map { "\($0.key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
                .joined(separator: "&")
            let r = try await suite.client("intake").request("POST", "/open311/v2/requests.json",
                                                             headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8))
            #expect(r.status == 400 && r.text.contains(field.replacingOccurrences(of: "[", with: "").prefix(4)),
                    "Open311 \(field): \(r.status) \(r.text)")
        }

        // Paths and query strings: no route takes a control character there.
        for (service, target, token, status) in [("dispatch", "/v1/assignments?unit=housing%00x", "demo-centre-token", 400),
                                                 ("intake", "/v1/tickets/T%00", "demo-centre-token", 404),
                                                 ("intake", "/v1/knowledge?q=%01", "demo-centre-token", 400),
                                                 ("kpi", "/v1/kpi?period=2026-11&by=unit%7F", "demo-auditor-token", 400)] {
            let r = try await suite.call(service, "GET", target, token: token)
            #expect(r.status == status && r.text.contains("control characters"), "\(target): \(r.status) \(r.text)")
        }
        // A filter that names no state is an error, not an empty list (issue 16: status=AAA was 200 []).
        let unknownStatus = try await suite.call("dispatch", "GET", "/v1/assignments?status=AAA", token: "demo-centre-token")
        #expect(unknownStatus.status == 422 && named(unknownStatus) == ["status"])
        let open311 = try await suite.client("intake").request("GET", "/open311/v2/requests.json?service_request_id=\(id)%00")
        #expect(open311.status == 400 && open311.text.hasPrefix("[{\"code\":400"), "\(open311.text)")

        // Dispatch: the reply, and the units of a manual dispatch.
        let assignment: String = try await eventually(timeout: 20) {
            let r = try await suite.call("dispatch", "GET", "/v1/assignments", token: "demo-centre-token")
            let list = (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [[String: Any]]) ?? []
            return list.first { $0["ticket"] as? String == id }?["id"] as? String
        }
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/accept", token: "demo-centre-token").status == 200)
        let badReply = try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/reply", token: "demo-centre-token",
                                            json: #"{"result":\#(try json("已\u{0}处理"))}"#)
        #expect(badReply.status == 422 && named(badReply) == ["result"])
        let manual = try await suite.call("dispatch", "POST", "/v1/tickets/\(id)/dispatch", token: "demo-centre-token",
                                          json: #"{"lead_unit":\#(try json("housing\u{0}")),"assisting_units":[\#(try json("a\u{1}"))]}"#)
        #expect(manual.status == 422 && Set(named(manual)) == ["lead_unit", "assisting_units[0]"], "\(manual.text)")
        let reply = "已处理：\n1. 清运\n2. 回访"
        let replied = try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/reply", token: "demo-centre-token",
                                           json: #"{"result":\#(try json(reply))}"#)
        #expect(replied.status == 200 && object(replied)["result"] as? String == reply)

        // Survey: the outcome's texts.
        try await waitUntil(timeout: 20) {
            let r = try await suite.call("survey", "GET", "/v1/callbacks", token: "demo-agent-token")
            return r.text.contains(id)
        }
        for (body, field) in [(#"{"reached":true,"resolved":true,"satisfaction":\#(try json("satisfied\u{0}"))}"#, "satisfaction"),
                              (#"{"reached":true,"resolved":true,"satisfaction":"satisfied","comment":\#(try json("好\u{0}"))}"#, "comment")] {
            let r = try await suite.call("survey", "POST", "/v1/callbacks/\(id)", token: "demo-agent-token", json: body)
            #expect(r.status == 422 && named(r) == [field], "\(field): \(r.text)")
        }
    }
}
