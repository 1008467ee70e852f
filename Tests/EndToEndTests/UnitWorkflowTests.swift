import Foundation
import HotlineCore
import HotlineHTTP
import HotlineStorage
import HotlineStreams
import TestSupport
import Testing

/// The unit workflow over HTTP (DI-4): accept, pause while the citizen supplies what is
/// missing and resume, ask for an extension that the centre approves or rejects, reply; each
/// action only where it makes sense (409 naming the state), never on another unit's work.
@Suite(.serialized) struct UnitWorkflowTests {
    private func object(_ r: HTTPClient.Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]) ?? [:]
    }

    @Test(arguments: TestEngine.available)
    func pauseExtensionAndReply(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let unit = "demo-unit-xicheng-token", centre = "demo-centre-token"
        let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
            #"{"channel_ref":"wf-1","kind":"complaint","category":"city.sanitation","content":"楼道堆满杂物","caller":{"phone":"13912345678"},"location":{"region":"330901003002004"}}"#)
        let ticket = try #require(object(created)["id"] as? String)
        let id: String = try await eventually(timeout: 20) {
            let r = try await suite.call("dispatch", "GET", "/v1/assignments", token: unit)
            let list = (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [[String: Any]]) ?? []
            return list.first { $0["ticket"] as? String == ticket }?["id"] as? String
        }
        func post(_ action: String, _ token: String, _ json: String? = nil) async throws -> HTTPClient.Response {
            try await suite.call("dispatch", "POST", "/v1/assignments/\(id)/\(action)", token: token, json: json ?? "{}")
        }
        #expect(try await post("pause", unit, #"{"missing":"请提供楼栋号"}"#).text.contains("that is dispatched"), "pause before accept")
        #expect(try await post("accept", unit).status == 200)
        let paused = try await post("pause", unit, #"{"missing":"请提供具体楼栋号和照片，联系 13800001111"}"#)
        #expect(paused.status == 200 && object(paused)["status"] as? String == "paused")
        #expect(object(paused)["pause_missing"] as? String == "请提供具体楼栋号和照片，联系 138****1111")
        let replyWhilePaused = try await post("reply", unit, #"{"result":"已处理"}"#)
        #expect(replyWhilePaused.status == 409 && replyWhilePaused.text.contains("that is paused"))
        #expect(try await post("pause", "demo-unit-housing-token", #"{"missing":"x"}"#).status == 403, "another unit's work is forbidden")
        #expect(try await post("resume", unit).status == 200)

        // Extensions: the unit asks, the centre decides; at most max_extensions approved.
        let until = Timestamp.format(Date().addingTimeInterval(5 * 86_400))
        #expect(try await post("extension", centre, #"{"until":"\#(until)","reason":"需协调物业"}"#).status == 403)
        #expect(try await post("extension", unit, #"{"until":"2020-01-01T00:00:00Z","reason":"需协调物业"}"#).status == 422)
        #expect(try await post("extension", unit, #"{"until":"\#(until)","reason":"需协调物业"}"#).status == 200)
        #expect(try await post("extension", unit, #"{"until":"\#(until)","reason":"再次申请"}"#).status == 409, "one request at a time")
        #expect(try await post("extension/decision", unit, #"{"approved":true}"#).status == 403)
        let approved = try await post("extension/decision", centre, #"{"approved":true,"note":"同意"}"#)
        #expect(approved.status == 200 && object(approved)["extended_reply_due"] as? String == until)
        #expect(object(approved)["extensions_approved"] as? Int == 1)
        // Supervision moves the reply deadline to the extension's due.
        try await waitUntil(timeout: 20) {
            let open = try await suite.call("supervision", "GET", "/v1/deadlines?state=open", token: centre).list
            return open.contains { $0["assignment"] as? String == id && $0["which"] as? String == "reply" && $0["due"] as? String == until
                && $0["policy"] as? String == "extension" }
        }
        #expect(try await post("extension", unit, #"{"until":"\#(until)","reason":"仍需协调"}"#).status == 200)
        let rejected = try await post("extension/decision", centre, #"{"approved":false}"#)
        #expect(rejected.status == 200 && object(rejected)["extensions_approved"] as? Int == 1)
        #expect(try await post("extension/decision", centre, #"{"approved":true}"#).status == 409, "nothing waits for a decision")
        #expect(try await post("reply", unit, #"{"result":"杂物已清理","attachments":["ftp://x/y.jpg"]}"#).status == 422)
        let replied = try await post("reply", unit, #"{"result":"杂物已清理","attachments":["https://files.example/after.jpg"]}"#)
        #expect(replied.status == 200 && object(replied)["reply_attachments"] as? [String] == ["https://files.example/after.jpg"])

        // Every action is in dispatch's stream, with who acted.
        try await suite.waitUntilSettled()
        let db = try suite.database("dispatch")
        let events = try await db.read { tx in try EventStore(stream: "dispatch").events(tx, ticket: ticket) }
        db.close()
        #expect(events.map(\.type) == ["ticket.dispatched", "assignment.accepted", "assignment.paused", "assignment.resumed",
                                       "assignment.extension_requested", "assignment.extension_decided",
                                       "assignment.extension_requested", "assignment.extension_decided", "ticket.replied"])
        #expect(events.dropFirst().allSatisfy { $0.data["by"]?["staff"]?.stringValue?.isEmpty == false })
        #expect(events[5].data["approved"] == .bool(true) && events[7].data["approved"] == .bool(false))
    }

    /// Returns (DI-5): approved to another lead with an assisting unit (the old assignment's
    /// deadlines stop and it leaves the unit's rates), or rejected (the unit keeps it).
    @Test(arguments: TestEngine.available)
    func returnsAreDisputedAndDecided(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let unit = "demo-unit-xicheng-token", centre = "demo-centre-token"
        func ticket(_ ref: String, phone: String, lead: String = "xicheng") async throws -> (ticket: String, assignment: String) {
            // Different callers: the same caller about the same place would be linked as a repeat.
            let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
                #"{"channel_ref":"\#(ref)","kind":"complaint","category":"city.sanitation","content":"小区内违规养殖","caller":{"phone":"\#(phone)"},"location":{"region":"330901003002004"}}"#)
            let t = try #require(object(created)["id"] as? String)
            let a: String = try await eventually(timeout: 20) {
                let r = try await suite.call("dispatch", "GET", "/v1/assignments?role=lead", token: "demo-unit-\(lead)-token")
                let list = (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [[String: Any]]) ?? []
                return list.first { $0["ticket"] as? String == t }?["id"] as? String
            }
            return (t, a)
        }
        let (first, old) = try await ticket("ret-1", phone: "13912340001")
        let accepted = try await suite.call("dispatch", "POST", "/v1/assignments/\(old)/accept", token: unit)
        let acceptedAt = object(accepted)["accepted_at"] as? String
        #expect(accepted.status == 200 && acceptedAt != nil)
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(old)/return", token: centre, json: #"{"reason":"x"}"#).status == 403)
        let asked = try await suite.call("dispatch", "POST", "/v1/assignments/\(old)/return", token: unit,
                                         json: #"{"reason":"养殖属农业农村局职责"}"#)
        #expect(asked.status == 200 && object(asked)["status"] as? String == "return_requested")
        #expect(object(asked)["accepted_at"] as? String == acceptedAt, "later actions keep the acceptance's time")
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(old)/reply", token: unit, json: #"{"result":"x"}"#).text
                    .contains("that is return_requested"))
        #expect(try await suite.call("dispatch", "GET", "/v1/disputes", token: unit).status == 403)
        let queue = try await suite.call("dispatch", "GET", "/v1/disputes", token: centre)
        let dispute = try #require(((try? JSONSerialization.jsonObject(with: Data(queue.body))) as? [[String: Any]])?
            .first { $0["assignment"] as? String == old }?["id"] as? String)
        func decide(_ json: String) async throws -> HTTPClient.Response {
            try await suite.call("dispatch", "POST", "/v1/disputes/\(dispute)/decision", token: centre, json: json)
        }
        #expect(try await decide(#"{"approved":true}"#).status == 422, "an approval names the new lead")
        #expect(try await decide(#"{"approved":true,"lead_unit":"xicheng"}"#).status == 422, "not back to the same unit")
        #expect(try await decide(#"{"approved":true,"lead_unit":"agriculture","boundary_rule":{"region":"999"}}"#).status == 422)
        let approved = try await decide(#"{"approved":true,"lead_unit":"agriculture","assisting_units":["xicheng"],"note":"三方会商","panel":{"centre":"属农业","staffing_office":"三定方案：农业农村局","justice_bureau":"同意","conclusion":"由农业农村局牵头，西城街道协办"},"boundary_rule":{"region":"330901003"}}"#)
        #expect(approved.status == 200 && object(approved)["status"] as? String == "returned", "\(approved.text)")
        #expect(try await decide(#"{"approved":false}"#).status == 409, "decided once")
        let moved = try await suite.call("dispatch", "GET", "/v1/assignments?unit=agriculture", token: centre)
        let successor = ((try? JSONSerialization.jsonObject(with: Data(moved.body))) as? [[String: Any]] ?? []).first { $0["ticket"] as? String == first }
        #expect(successor?["mode"] as? String == "lead_assist" && successor?["assisting_units"] as? [String] == ["xicheng"])
        #expect(successor?["round"] as? Int == 1, "a return re-dispatches within the round")
        // The assisting unit sees it in its inbox and may read it, not act on the lead's part.
        let successorID = try #require(successor?["id"] as? String)
        let assisting = try await suite.call("dispatch", "GET", "/v1/assignments?role=assisting", token: unit)
        #expect(assisting.text.contains(successorID))
        #expect(!(try await suite.call("dispatch", "GET", "/v1/assignments?role=lead", token: unit)).text.contains(successorID))
        #expect(try await suite.call("dispatch", "GET", "/v1/assignments/\(successorID)", token: unit).status == 200)
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(successorID)/accept", token: unit).status == 403)
        #expect(try await suite.call("dispatch", "GET", "/v1/assignments?tier=3&mode=lead_assist", token: centre).text.contains(successorID))
        #expect(try await suite.call("dispatch", "GET", "/v1/assignments?role=boss", token: unit).status == 422)
        // Pages of one, following the cursor, give the whole list once (dues settled first: the
        // inbox sorts by them).
        try await suite.waitUntilSettled()
        let whole = (try? JSONSerialization.jsonObject(with: Data(try await suite.call("dispatch", "GET", "/v1/assignments", token: centre).body))) as? [[String: Any]] ?? []
        var paged: [String] = []
        var cursor: String?
        repeat {
            let target = "/v1/assignments?limit=1" + (cursor.map { "&after=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? "")
            let page = try await suite.call("dispatch", "GET", target, token: centre)
            paged += ((try? JSONSerialization.jsonObject(with: Data(page.body))) as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            cursor = page.header("next-cursor")
        } while cursor != nil && paged.count <= whole.count
        #expect(paged == whole.compactMap { $0["id"] as? String } && paged.count >= 2)
        #expect(try await suite.call("dispatch", "GET", "/v1/assignments?after=nonsense", token: centre).status == 422)
        // It answers its obligation once, with its contribution; the lead sees it.
        let assist = try await suite.call("dispatch", "POST", "/v1/assignments/\(successorID)/assist", token: unit,
                                          json: #"{"contribution":"已配合排查养殖户名单"}"#)
        #expect(assist.status == 200 && object(assist)["responded_at"] is String)
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(successorID)/assist", token: unit).status == 409, "once")
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(successorID)/assist", token: "demo-unit-agriculture-token").status == 403,
                "the lead does not assist itself")
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(successorID)/assist", token: "demo-unit-civil-token").status == 403)
        let assists = try await suite.call("dispatch", "GET", "/v1/assignments/\(successorID)/assists", token: "demo-unit-agriculture-token")
        #expect(assists.text.contains("已配合排查养殖户名单") && assists.text.contains("\"unit\":\"xicheng\""))
        // Supervision held the assisting unit to its 24 hours, and the answer met it.
        try await waitUntil(timeout: 20) {
            try await suite.call("supervision", "GET", "/v1/deadlines?state=met", token: centre).list.contains {
                $0["assignment"] as? String == successorID && $0["which"] as? String == "assist:xicheng" && $0["unit"] as? String == "xicheng"
            }
        }

        // The decision went on the boundary list: the same case now goes to agriculture at once.
        let dryRun = object(try await suite.call("dispatch", "GET", "/v1/catalogue/route?category=city.sanitation&region=330901003002004", token: centre))
        #expect((dryRun["rule"] as? [String: Any])?["source"] as? String == "boundary")
        #expect((dryRun["rule"] as? [String: Any])?["lead"] as? String == "agriculture")
        #expect((dryRun["reason"] as? String)?.contains(dispute) == true)
        let rules = (try? JSONSerialization.jsonObject(with: Data(try await suite.call("dispatch", "GET", "/v1/catalogue/rules?category=city.sanitation&region=330901003002004", token: "demo-auditor-token").body))) as? [[String: Any]] ?? []
        #expect(rules.first?["source"] as? String == "boundary" && rules.first?["added_by"] as? String == "centre-demo")
        let ruleID = try #require(rules.first?["id"] as? String)
        let (boundaryTicket, _) = try await ticket("ret-3", phone: "13912340003", lead: "agriculture")
        _ = boundaryTicket
        #expect(try await suite.call("dispatch", "POST", "/v1/catalogue/rules/\(ruleID)/retire", token: unit).status == 403)
        let retired = try await suite.call("dispatch", "POST", "/v1/catalogue/rules/\(ruleID)/retire", token: centre)
        #expect(retired.status == 200 && object(retired)["retired_at"] is String)
        #expect(try await suite.call("dispatch", "POST", "/v1/catalogue/rules/\(ruleID)/retire", token: centre).status == 409)
        let back = object(try await suite.call("dispatch", "GET", "/v1/catalogue/route?category=city.sanitation&region=330901003002004", token: centre))
        #expect((back["rule"] as? [String: Any])?["source"] as? String == "configuration")
        #expect((back["rule"] as? [String: Any])?["lead"] as? String == "xicheng")

        // Rejected: the unit keeps it, in the state it was in.
        let (_, kept) = try await ticket("ret-2", phone: "13912340002")
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(kept)/return", token: unit, json: #"{"reason":"非本单位"}"#).status == 200)
        let queue2 = try await suite.call("dispatch", "GET", "/v1/disputes", token: centre)
        let second = try #require(((try? JSONSerialization.jsonObject(with: Data(queue2.body))) as? [[String: Any]])?
            .first { $0["assignment"] as? String == kept }?["id"] as? String)
        let rejected = try await suite.call("dispatch", "POST", "/v1/disputes/\(second)/decision", token: centre,
                                            json: #"{"approved":false,"note":"属街道职责"}"#)
        #expect(rejected.status == 200 && object(rejected)["status"] as? String == "dispatched")
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(kept)/accept", token: unit).status == 200)

        // Downstream: the returned assignment's deadlines stop; it leaves the unit's rates.
        try await suite.waitUntilSettled()
        let cancelled = try await suite.call("supervision", "GET", "/v1/deadlines?state=cancelled", token: centre)
        #expect(cancelled.text.contains(old))
        let kpi = try suite.database("kpi")
        let flagged = try await kpi.read { tx in try tx.queryOne("SELECT approved_return FROM k_assignments WHERE id = ?", [.text(old)])?.bool("approved_return") }
        kpi.close()
        #expect(flagged == true)
        let decided = try await suite.call("dispatch", "GET", "/v1/disputes?status=approved", token: centre)
        #expect(decided.text.contains("justice_bureau") && decided.text.contains(dispute))

        // The whole path, for those involved (DI-8).
        let history = try await suite.call("dispatch", "GET", "/v1/tickets/\(first)/history", token: "demo-unit-agriculture-token")
        let path = object(history)
        #expect(path["first_unit"] as? String == "xicheng", "the first unit stays accountable")
        #expect((path["events"] as? [[String: Any]])?.map { $0["type"] as? String ?? "" } ==
                ["ticket.dispatched", "assignment.accepted", "assignment.return_requested", "ticket.dispatched", "dispute.decided",
                 "assist.responded"])
        #expect(try await suite.call("dispatch", "GET", "/v1/tickets/\(first)/history", token: unit).status == 200, "the former lead")
        #expect(try await suite.call("dispatch", "GET", "/v1/tickets/\(first)/history", token: "demo-unit-civil-token").status == 403)
        // Returns, approved and refused, leave figures an audit recomputes identically.
        #expect(try await suite.auditVerdict() == "identical")
    }

    /// Escalation through all four tiers (DI-6): a community asks and the centre escalates to
    /// its street, then the county department the catalogue names, then the task force; the
    /// earlier unit assists each time, and nothing is above the task force.
    @Test(arguments: TestEngine.available)
    func escalationClimbsAllFourTiers(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let centre = "demo-centre-token"
        let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
            #"{"channel_ref":"esc-1","kind":"complaint","category":"housing.old_community","content":"老旧小区改造后屋顶漏水","caller":{"phone":"13912349999"},"location":{"region":"330901003003002"}}"#)
        let ticket = try #require(object(created)["id"] as? String)
        struct Current: Sendable {
            let id: String
            let lead: String
            let tier: Int
            let assists: [String]
        }
        /// The ticket's assignment that is still open.
        @Sendable func current() async throws -> Current {
            try await eventually(timeout: 20) {
                let r = try await suite.call("dispatch", "GET", "/v1/assignments", token: centre)
                let list = (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [[String: Any]]) ?? []
                return list.last { $0["ticket"] as? String == ticket && ["dispatched", "accepted"].contains($0["status"] as? String ?? "") }
                    .map { Current(id: $0["id"] as? String ?? "", lead: $0["lead_unit"] as? String ?? "", tier: $0["tier"] as? Int ?? 0,
                                   assists: $0["assisting_units"] as? [String] ?? []) }
            }
        }
        // The catalogue sends it to the county department; the centre moves it down to the
        // community through a return, so that it can climb every tier.
        let housing = try await current().id
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(housing)/return", token: "demo-unit-housing-token",
                                     json: #"{"reason":"属社区物业维修范围"}"#).status == 200)
        let queue = (try? JSONSerialization.jsonObject(with: Data(try await suite.call("dispatch", "GET", "/v1/disputes", token: centre).body))) as? [[String: Any]] ?? []
        let dispute = try #require(queue.first { $0["assignment"] as? String == housing }?["id"] as? String)
        #expect(try await suite.call("dispatch", "POST", "/v1/disputes/\(dispute)/decision", token: centre,
                                     json: #"{"approved":true,"lead_unit":"xicheng_c3"}"#).status == 200)

        var path: [String] = []
        var tiers: [Int] = []
        var assignment = try await current()
        path.append(assignment.lead)
        tiers.append(assignment.tier)
        // The community asks; a second request waits for the first; the centre escalates.
        let id = assignment.id
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(id)/escalation", token: "demo-unit-xicheng_c3-token",
                                     json: #"{"reason":"需街道协调多个部门"}"#).status == 200)
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(id)/escalation", token: "demo-unit-xicheng_c3-token",
                                     json: #"{"reason":"再次"}"#).status == 409)
        for _ in 0..<3 {
            let r = try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment.id)/escalate", token: centre,
                                         json: #"{"reason":"逐级上报"}"#)
            #expect(r.status == 200 && object(r)["status"] as? String == "escalated", "\(r.text)")
            assignment = try await current()
            path.append(assignment.lead)
            tiers.append(assignment.tier)
            #expect(assignment.assists.first == path[path.count - 2], "the earlier tier assists")
        }
        #expect(path == ["xicheng_c3", "xicheng", "housing", "county_taskforce"])
        #expect(tiers == [1, 2, 3, 4])
        let top = try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment.id)/escalate", token: centre)
        #expect(top.status == 409 && top.text.contains("top tier"))

        try await suite.waitUntilSettled()
        let db = try suite.database("dispatch")
        let escalations = try await db.read { tx in
            try EventStore(stream: "dispatch").events(tx, ticket: ticket).filter { $0.type == "ticket.escalated" }
        }
        db.close()
        #expect(escalations.map { $0.data["to_tier"] } == [.number(2), .number(3), .number(4)])
        #expect(escalations.first?.data["requested_by"]?.stringValue == "unit" && escalations.last?.data["requested_by"]?.stringValue == "centre")
        let cancelled = try await suite.call("supervision", "GET", "/v1/deadlines?state=cancelled", token: centre)
        #expect(cancelled.text.contains(id), "the escalated assignment's deadlines stopped")
        #expect(try await suite.auditVerdict() == "identical")
    }

    /// The emergency fast track (DI-7): dispatched at once — to its street when no rule takes
    /// it — and the linked units told at the same moment.
    @Test(arguments: TestEngine.available)
    func emergenciesAreDispatchedAtOnceAndLinkedUnitsTold(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let centre = "demo-centre-token"
        func submit(_ ref: String, _ category: String, _ urgency: String, _ phone: String) async throws -> String {
            let r = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-phone_12345", json:
                #"{"channel_ref":"\#(ref)","kind":"help","category":"\#(category)","urgency":"\#(urgency)","content":"紧急情况","caller":{"phone":"\#(phone)"},"location":{"region":"330901003002004"}}"#)
            return try #require(object(r)["id"] as? String, "\(r.text)")
        }
        let flood = try await submit("em-1", "water.flood", "normal", "13912341111")  // an emergency category, with a rule
        let other = try await submit("em-2", "other", "emergency", "13912342222")  // no rule: its street, not the queue
        let calm = try await submit("em-3", "other", "normal", "13912343333")  // no rule, no emergency: the queue
        try await suite.waitUntilSettled()
        let assignments = (try? JSONSerialization.jsonObject(with: Data(try await suite.call("dispatch", "GET", "/v1/assignments", token: centre).body))) as? [[String: Any]] ?? []
        func lead(_ ticket: String) -> String? { assignments.first { $0["ticket"] as? String == ticket }?["lead_unit"] as? String }
        #expect(lead(flood) == "water_resources")
        #expect(lead(other) == "xicheng", "an emergency without a rule goes to its street")
        #expect(lead(calm) == nil)
        #expect(try await suite.call("dispatch", "GET", "/v1/queue", token: centre).text.contains(calm))

        let police = (try? JSONSerialization.jsonObject(with: Data(try await suite.call("dispatch", "GET", "/v1/notifications", token: "demo-unit-police-token").body))) as? [[String: Any]] ?? []
        #expect(Set(police.compactMap { $0["ticket"] as? String }) == [flood, other])
        #expect(police.allSatisfy { $0["unit"] as? String == "police" && $0["kind"] as? String == "emergency" })
        let xicheng = try await suite.call("dispatch", "GET", "/v1/notifications", token: "demo-unit-xicheng-token")
        #expect(xicheng.text == "[]", "only the linked units are notified")
        let history = object(try await suite.call("dispatch", "GET", "/v1/tickets/\(other)/history", token: centre))
        let types = (history["events"] as? [[String: Any]])?.map { $0["type"] as? String ?? "" }
        #expect(types == ["ticket.dispatched", "ticket.emergency_notified"])
        #expect(((history["events"] as? [[String: Any]])?.first?["data"] as? [String: Any])?["by"] as? String == "emergency")
    }
}
