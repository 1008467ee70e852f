import Foundation
import HotlineCore
import HotlineHTTP
import HotlineStorage
import HotlineStreams
import TestSupport
import Testing

/// Joint mode (DI-3, 联合办理) through the real executables: several leads, each with its
/// own assignment; the ticket is replied only when every lead has replied, with every part
/// and the assisting units' contributions in what the citizen is told; a failed callback
/// sends every part back. And the inbox in due order (dispatch follows `deadline.set`).
@Suite(.serialized) struct JointModeTests {
    @Test(arguments: TestEngine.available)
    func jointLeadsReplyEachForTheirPart(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let centre = "demo-centre-token", hrss = "demo-unit-hrss-token", housing = "demo-unit-housing-token"
        // Wage arrears on a building site: the catalogue names the labour bureau and housing jointly.
        let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
            #"{"channel_ref":"joint-1","kind":"complaint","category":"labour.wage_arrears","content":"工地拖欠农民工工资三个月","caller":{"phone":"13912347001"},"location":{"region":"330901003002004"}}"#)
        let ticket = try #require(created.object["id"] as? String)
        func part(_ token: String) async throws -> [String: Any] {
            let id = try await eventually(timeout: 20) {
                try await suite.call("dispatch", "GET", "/v1/assignments?role=lead", token: token).list
                    .first { $0["ticket"] as? String == ticket }?["id"] as? String
            }
            return try await suite.call("dispatch", "GET", "/v1/assignments/\(id)", token: token).object
        }
        let wages = try await part(hrss), site = try await part(housing)
        #expect(wages["mode"] as? String == "joint" && site["mode"] as? String == "joint")
        #expect(wages["joint_leads"] as? [String] == ["hrss", "housing"] && site["joint_leads"] as? [String] == ["hrss", "housing"])
        let wagesID = try #require(wages["id"] as? String), siteID = try #require(site["id"] as? String)
        #expect(wagesID != siteID)
        func post(_ id: String, _ action: String, _ token: String, _ json: String = "{}") async throws -> HTTPClient.Response {
            try await suite.call("dispatch", "POST", "/v1/assignments/\(id)/\(action)", token: token, json: json)
        }
        // Each lead acts on its own part only.
        #expect(try await post(wagesID, "accept", housing).status == 403, "another lead's part is forbidden")
        #expect(try await post(wagesID, "accept", hrss).status == 200)
        #expect(try await post(wagesID, "reply", hrss, #"{"result":"已责令施工方限期支付工资"}"#).status == 200)
        try await suite.waitUntilSettled()
        @Sendable func status() async throws -> String? {
            (try? JSONSerialization.jsonObject(with: Data(try await suite.call("intake", "GET", "/v1/tickets/\(ticket)", token: centre).body))
                as? [String: Any])?["status"] as? String
        }
        #expect(try await status() != "replied", "one part is not the ticket's reply")
        #expect(try await suite.call("survey", "POST", "/v1/callbacks/\(ticket)", token: "demo-agent-token",
                                     json: #"{"reached":true,"resolved":true,"satisfaction":"satisfied"}"#).status == 404,
                "no callback before every part is in")
        #expect(try await post(siteID, "accept", housing).status == 200)
        #expect(try await post(siteID, "reply", housing, #"{"result":"已约谈总承包单位，纳入信用监管"}"#).status == 200)
        try await waitUntil(timeout: 20) { try await status() == "replied" }

        let db = try suite.database("dispatch")
        let events = try await db.read { tx in try EventStore(stream: "dispatch").events(tx, ticket: ticket) }
        #expect(events.map(\.type) == ["ticket.dispatched", "ticket.dispatched", "assignment.accepted", "assignment.replied",
                                       "assignment.accepted", "ticket.replied"])
        #expect(events[3].data["outstanding"] == .array([.string("housing")]))
        let replied = try #require(events.last)
        let result = replied.data["result"]?.stringValue ?? ""
        #expect(result.contains("已责令施工方限期支付工资") && result.contains("已约谈总承包单位"), "every part is told: \(result)")
        guard case .array(let parts)? = replied.data["parts"] else { Issue.record("no parts in \(replied.data)"); return }
        #expect(parts.count == 2)

        // The callback finds it unresolved: both leads handle it again, in round 2.
        try await waitUntil(timeout: 20) {
            try await suite.call("survey", "POST", "/v1/callbacks/\(ticket)", token: "demo-agent-token",
                                 json: #"{"reached":true,"resolved":false,"satisfaction":"unsatisfied"}"#).status == 200
        }
        let round2 = try await eventually(timeout: 20) { () -> [String]? in
            let all = try await suite.call("dispatch", "GET", "/v1/assignments?mode=joint", token: centre).list
                .filter { $0["ticket"] as? String == ticket && $0["round"] as? Int == 2 }
            return all.count == 2 ? all.compactMap { $0["lead_unit"] as? String } : nil
        }
        #expect(Set(round2) == ["hrss", "housing"])
        db.close()
        // Joint parts, a failed callback and a reopening: recomputed identically.
        #expect(try await suite.auditVerdict() == "identical")
    }

    /// The centre dispatches a queued ticket to joint leads with an assisting unit; the
    /// assisting unit's contribution and both parts reach the citizen together.
    @Test(arguments: TestEngine.available)
    func manualJointDispatchMergesContributions(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let centre = "demo-centre-token"
        let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
            #"{"channel_ref":"joint-2","kind":"help","category":"other","content":"小区门口道路塌陷并有污水外溢","caller":{"phone":"13912347002"},"location":{"region":"330901003002004"}}"#)
        let ticket = try #require(created.object["id"] as? String)
        try await waitUntil(timeout: 20) { try await suite.call("dispatch", "GET", "/v1/queue", token: centre).text.contains(ticket) }
        func dispatch(_ json: String) async throws -> HTTPClient.Response {
            try await suite.call("dispatch", "POST", "/v1/tickets/\(ticket)/dispatch", token: centre, json: json)
        }
        #expect(try await dispatch(#"{"lead_unit":"transport","joint_units":["nowhere"]}"#).status == 422)
        #expect(try await dispatch(#"{"lead_unit":"transport","joint_units":["water_co","water_co"]}"#).status == 422)
        // Each lead once; a unit that leads does not also assist.
        let made = try await dispatch(#"{"lead_unit":"transport","joint_units":["transport","water_co"],"assisting_units":["water_co","xicheng"]}"#)
        #expect(made.status == 201 && made.object["joint_leads"] as? [String] == ["transport", "water_co"], "\(made.text)")
        #expect(made.object["assisting_units"] as? [String] == ["xicheng"])
        let road = try #require(made.object["id"] as? String)
        let water = try await eventually(timeout: 20) {
            try await suite.call("dispatch", "GET", "/v1/assignments", token: "demo-unit-water_co-token").list
                .first { $0["ticket"] as? String == ticket }?["id"] as? String
        }
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(road)/assist", token: "demo-unit-xicheng-token",
                                     json: #"{"contribution":"已设置围挡并疏导行人"}"#).status == 200)
        for (id, token, text) in [(road, "demo-unit-transport-token", "路面已修复"), (water, "demo-unit-water_co-token", "污水管已疏通")] {
            #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(id)/accept", token: token).status == 200)
            #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(id)/reply", token: token,
                                         json: #"{"result":"\#(text)"}"#).status == 200)
        }
        try await waitUntil(timeout: 20) {
            let reply = try await suite.call("intake", "GET", "/v1/tickets/\(ticket)", token: centre).object["reply"] as? String ?? ""
            return reply.contains("路面已修复") && reply.contains("污水管已疏通") && reply.contains("已设置围挡并疏导行人")
        }

        // The inbox in due order: once supervision's deadlines are in, soonest due first,
        // and `due_before` keeps what is due before a time.
        try await suite.waitUntilSettled()
        let inbox = try await suite.call("dispatch", "GET", "/v1/assignments", token: centre).list
        let dues = inbox.map { $0["due_at"] as? String ?? "~" }
        #expect(dues == dues.sorted() && !inbox.isEmpty, "\(dues)")
        #expect(inbox.allSatisfy { $0["status"] as? String == "replied" ? $0["reply_due"] != nil : true }, "supervision's dues are known")
        let soon = try await suite.call("dispatch", "GET", "/v1/assignments?due_before=2000-01-01T00:00:00Z", token: centre).list
        #expect(soon.isEmpty)
        #expect(try await suite.call("dispatch", "GET", "/v1/assignments?due_before=tomorrow", token: centre).status == 422)
        #expect(try await suite.call("dispatch", "GET", "/v1/assignments?sort=random", token: centre).status == 422)
    }

    /// A return approved to two joint leads, with a boundary rule: the rule routes the next
    /// such ticket jointly too.
    @Test(arguments: TestEngine.available)
    func disputeApprovedToJointLeads(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let centre = "demo-centre-token", unit = "demo-unit-xicheng-token"
        let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
            #"{"channel_ref":"joint-3","kind":"complaint","category":"city.sanitation","content":"河道边建筑垃圾堆放","caller":{"phone":"13912347003"},"location":{"region":"330901003002004"}}"#)
        let ticket = try #require(created.object["id"] as? String)
        let old = try await eventually(timeout: 20) {
            try await suite.call("dispatch", "GET", "/v1/assignments?role=lead", token: unit).list.first { $0["ticket"] as? String == ticket }?["id"] as? String
        }
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(old)/return", token: unit, json: #"{"reason":"涉及河道与建筑垃圾，非街道职责"}"#).status == 200)
        let dispute = try await eventually(timeout: 20) {
            try await suite.call("dispatch", "GET", "/v1/disputes", token: centre).list.first { $0["assignment"] as? String == old }?["id"] as? String
        }
        func decide(_ json: String) async throws -> HTTPClient.Response {
            try await suite.call("dispatch", "POST", "/v1/disputes/\(dispute)/decision", token: centre, json: json)
        }
        #expect(try await decide(#"{"approved":true,"lead_unit":"enforcement","joint_units":["xicheng"]}"#).status == 422, "not back to the returning unit")
        #expect(try await decide(#"{"approved":false,"joint_units":["housing"]}"#).status == 422)
        let approved = try await decide(#"{"approved":true,"lead_unit":"enforcement","joint_units":["water_resources"],"boundary_rule":{"region":"330901003"}}"#)
        #expect(approved.status == 200, "\(approved.text)")
        let leads = try await eventually(timeout: 20) { () -> [String]? in
            let all = try await suite.call("dispatch", "GET", "/v1/assignments?mode=joint", token: centre).list.filter { $0["ticket"] as? String == ticket }
            return all.count == 2 ? all.compactMap { $0["lead_unit"] as? String }.sorted() : nil
        }
        #expect(leads == ["enforcement", "water_resources"])
        let route = try await suite.call("dispatch", "GET", "/v1/catalogue/route?category=city.sanitation&region=330901003002004", token: centre).object
        let rule = route["rule"] as? [String: Any]
        #expect(rule?["mode"] as? String == "joint" && rule?["joint_leads"] as? [String] == ["water_resources"] && rule?["source"] as? String == "boundary")
        try await suite.waitUntilSettled()
        let db = try suite.database("dispatch")
        let decided = try await db.read { tx in try EventStore(stream: "dispatch").events(tx, ticket: ticket) }.first { $0.type == "dispute.decided" }
        db.close()
        #expect(decided?.data["joint_leads"] == .array([.string("enforcement"), .string("water_resources")]))
        guard case .array(let made)? = decided?.data["new_assignments"] else { Issue.record("no new assignments"); return }
        #expect(made.count == 2)
    }
}
