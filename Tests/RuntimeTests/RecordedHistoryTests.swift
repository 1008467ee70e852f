import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineStreams
import TestSupport
import Testing

/// The harness over a history recorded from the real suite: tickets from two channels,
/// routed and queued, accepted or not, replied or not, called back with every outcome,
/// re-handled in a second round, anonymous callers closed without a callback.
@Suite(.serialized) struct RecordedHistoryTests {
    private func json(_ r: HTTPClient.Response) -> Any? { try? JSONSerialization.jsonObject(with: Data(r.body)) }

    private func submit(_ suite: RunningSuite, _ n: Int) async throws -> String {
        let (category, region) = [("city.sanitation", "330901003002004"), ("utility.heating", "330901001001001"),
                                  ("housing.property_mgmt", "330901002"), ("other", "330901001")][n % 4]
        let caller = n % 5 == 4 ? #"{"anonymous":true}"# : #"{"name":"李女士","phone":"1391234\#(String(format: "%04d", n))"}"#
        let body = #"{"channel_ref":"rec-\#(n)","kind":"complaint","category":"\#(category)","content":"录制的诉求 \#(n)","caller":\#(caller),"location":{"region":"\#(region)"}}"#
        let r = try await suite.call("intake", "POST", "/v1/tickets", token: n % 2 == 0 ? "demo-key-phone_12345" : "demo-key-wechat", json: body)
        guard r.status == 201, let id = (json(r) as? [String: Any])?["id"] as? String else {
            throw RunningSuite.SuiteError(message: "submit \(n): \(r.status) \(r.text)")
        }
        return id
    }

    /// Assignments of `round` for `tickets`, once dispatch has made them all.
    private func assignments(_ suite: RunningSuite, _ tickets: Set<String>, round: Int) async throws -> [String: String] {
        try await eventually(timeout: 30) {
            let r = try await suite.call("dispatch", "GET", "/v1/assignments", token: "demo-centre-token")
            let list = self.json(r) as? [[String: Any]] ?? []
            var out: [String: String] = [:]
            for a in list where (a["round"] as? Int) == round {
                if let t = a["ticket"] as? String, tickets.contains(t) { out[t] = a["id"] as? String }
            }
            return out.count == tickets.count ? out : nil
        }
    }

    private func act(_ suite: RunningSuite, _ assignment: String, reply: Bool) async throws {
        let accept = try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/accept", token: "demo-centre-token")
        #expect(accept.status == 200, "accept \(accept.text)")
        if reply {
            let r = try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/reply", token: "demo-centre-token",
                                         json: #"{"result":"已处理，联系电话 13912345678"}"#)
            #expect(r.status == 200, "reply \(r.text)")
        }
    }

    private func callback(_ suite: RunningSuite, _ ticket: String, _ outcome: String) async throws {
        try await waitUntil(timeout: 30) {
            try await suite.call("survey", "POST", "/v1/callbacks/\(ticket)", token: "demo-agent-token", json: outcome).status == 200
        }
    }

    /// Drives the suite through the scenario and waits until every service has applied it all.
    private func drive(_ suite: RunningSuite) async throws {
        #expect(try await suite.hotline(["clock", "set", Timestamp.format(Date())]).status == 0)
        var tickets: [String] = []
        for n in 0..<20 { tickets.append(try await submit(suite, n)) }
        // Every fourth is category "other": no rule, the centre dispatches it by hand.
        let queued = stride(from: 3, to: 20, by: 4).map { tickets[$0] }
        try await waitUntil(timeout: 30) {
            let r = try await suite.call("dispatch", "GET", "/v1/queue", token: "demo-centre-token")
            return (self.json(r) as? [[String: Any]] ?? []).count == queued.count
        }
        for t in queued {
            let r = try await suite.call("dispatch", "POST", "/v1/tickets/\(t)/dispatch", token: "demo-centre-token",
                                         json: #"{"lead_unit":"housing"}"#)
            #expect(r.status == 201, "manual dispatch \(r.text)")
        }
        let first = try await assignments(suite, Set(tickets), round: 1)
        // Two never-accepted tickets are returned: one approved to another unit, one rejected.
        for (i, approve) in [(0, true), (1, false)] {
            let asked = try await suite.call("dispatch", "POST", "/v1/assignments/\(first[tickets[i]]!)/return", token: "demo-centre-token",
                                             json: #"{"reason":"非本单位职责"}"#)
            #expect(asked.status == 403, "the unit asks, not the centre")
            let unitToken = "demo-unit-\((json(try await suite.call("dispatch", "GET", "/v1/assignments/\(first[tickets[i]]!)", token: "demo-centre-token")) as? [String: Any])?["lead_unit"] as? String ?? "")-token"
            #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(first[tickets[i]]!)/return", token: unitToken,
                                         json: #"{"reason":"非本单位职责"}"#).status == 200)
            let queue = json(try await suite.call("dispatch", "GET", "/v1/disputes", token: "demo-centre-token")) as? [[String: Any]] ?? []
            let dispute = try #require(queue.first { $0["assignment"] as? String == first[tickets[i]]! }?["id"] as? String)
            let body = approve ? #"{"approved":true,"lead_unit":"housing","assisting_units":["civil"]}"# : #"{"approved":false}"#
            #expect(try await suite.call("dispatch", "POST", "/v1/disputes/\(dispute)/decision", token: "demo-centre-token", json: body).status == 200)
        }
        // Two never accepted, two accepted and never replied; the rest replied.
        var replied: [String] = []
        for (i, t) in tickets.enumerated() where i >= 2 {
            try await act(suite, first[t]!, reply: i >= 4)
            if i >= 4 { replied.append(t) }
        }
        // Callbacks: every outcome; anonymous callers (n % 5 == 4) are closed by dispatch.
        let outcomes = [#"{"reached":true,"resolved":true,"satisfaction":"satisfied"}"#,
                        #"{"reached":true,"resolved":false,"satisfaction":"basic"}"#,
                        #"{"reached":true,"resolved":true,"satisfaction":"unsatisfied"}"#,
                        #"{"reached":false}"#,
                        #"{"reached":true,"resolved":true,"satisfaction":"basic","comment":"回电 13800001111"}"#]
        var reopened: [String] = []
        for (i, t) in replied.enumerated() where tickets.firstIndex(of: t)! % 5 != 4 {
            let outcome = outcomes[i % outcomes.count]
            let attempts = outcome.contains("false}") ? 3 : 1
            for n in 0..<attempts {
                // Failed attempts are spaced (callback_spacing, 2 h): the manual clock moves on.
                if n > 0 { #expect(try await suite.hotline(["clock", "advance", "2h"]).status == 0) }
                try await callback(suite, t, outcome)
            }
            if outcome.contains("\"resolved\":false") || outcome.contains("unsatisfied") { reopened.append(t) }
        }
        // The second round: the same lead unit replies again and is called back.
        let second = try await assignments(suite, Set(reopened), round: 2)
        for t in reopened {
            try await act(suite, second[t]!, reply: true)
            try await callback(suite, t, outcomes[0])
        }
        try await suite.waitUntilSettled()
    }

    @Test(arguments: TestEngine.available)
    func recordedHistoryGivesOneResultInAnyOrder(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine, manualClock: true)
        defer { suite.stop() }
        try await drive(suite)
        let streams = try await suite.recordedStreams()
        suite.stop()
        let counts = streams.mapValues(\.count)
        print("recorded history on \(engine): \(counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) events")
        #expect(streams["survey"]!.contains { $0.type == EventType.callbackUnreachable })
        #expect(streams["dispatch"]!.contains { $0.type == EventType.ticketReopened })
        try await InterleavingTests.check(HarnessedConsumers.all(streams), streams, engine: engine,
                                          interleavings: engine == .sqlite ? 40 : 20)
    }

    /// A KPI store damaged the way the race of issue 13 damaged it (deadlines missing, a
    /// callback lost) is repaired by `hotline admin rebuild kpi`: the figures come back
    /// exactly as they were. A service whose state is not only a projection refuses.
    @Test(arguments: TestEngine.available)
    func rebuildRepairsADamagedKPIStore(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine, manualClock: true)
        defer { suite.stop() }
        try await drive(suite)
        let today = LocalDate.day(of: Date(), in: TimeZone(identifier: "Asia/Shanghai")!)
        let period = "\(LocalDate.format(today - 1))..\(LocalDate.format(today + 30))"
        func figures() async throws -> String {
            try await suite.call("kpi", "GET", "/v1/kpi?period=\(period)&by=unit&evidence=true", token: "demo-auditor-token").text
        }
        let before = try await figures()
        #expect(before.contains("\"resolution_rate\"") && before.contains("\"numerator_ids\""))
        let db = try suite.database("kpi")
        _ = try await db.write { tx in
            try tx.execute("UPDATE k_assignments SET response_due = NULL, reply_due = NULL WHERE id IN (SELECT id FROM k_assignments ORDER BY id LIMIT 6)")
            try tx.execute("DELETE FROM k_callbacks WHERE assignment IN (SELECT assignment FROM k_callbacks ORDER BY assignment LIMIT 2)")
        }
        let damaged = try await figures()
        #expect(damaged != before, "the damage shows in the figures")

        let refused = try await suite.hotline(["admin", "rebuild", "dispatch"])
        #expect(refused.status == 1 && refused.output.contains("409"), "\(refused.output)")
        let rebuilt = try await suite.hotline(["admin", "rebuild", "kpi"])
        #expect(rebuilt.status == 0, "\(rebuilt.output)")
        #expect(rebuilt.output.contains("kpi: rebuilt"))
        #expect(try await figures() == before, "the rebuilt figures are the figures before the damage")
        let (missing, total) = try await db.read { tx in
            (try tx.scalarInt("SELECT COUNT(*) FROM k_assignments WHERE response_due IS NULL OR reply_due IS NULL") ?? -1,
             try tx.scalarInt("SELECT COUNT(*) FROM k_assignments") ?? -1)
        }
        db.close()
        #expect(missing == 0 && total > 20)
    }
}
