import Foundation
import HotlineCore
import HotlineHTTP
import HotlineStorage
import TestSupport
import Testing

/// Published reports (KP-4) and the daily emergency bulletin, through the running suite:
/// exact bytes with their SHA-256, new versions instead of edits, the database refusing any
/// change, a scheduled publication on the service clock, and `report.published` chained.
@Suite(.serialized) struct ReportTests {
    @Test(arguments: TestEngine.available)
    func reportsArePublishedImmutablyAndBulletinsListEmergencies(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine, manualClock: true)
        defer { suite.stop() }
        #expect(try await suite.hotline(["clock", "set", "2026-11-23T09:00:00+08:00"]).status == 0)
        let auditor = "demo-auditor-token"
        func submit(_ ref: String, _ category: String, _ urgency: String, _ phone: String) async throws -> String {
            let r = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-phone_12345", json:
                #"{"channel_ref":"\#(ref)","kind":"help","category":"\#(category)","urgency":"\#(urgency)","content":"紧急情况","caller":{"phone":"\#(phone)"},"location":{"region":"330901003002004"}}"#)
            return try #require(r.object["id"] as? String, "\(r.text)")
        }
        let flood = try await submit("rp-1", "water.flood", "normal", "13912341111")  // an emergency category
        let urgent = try await submit("rp-2", "other", "emergency", "13912342222")  // urgent by the caller: its street
        let calm = try await submit("rp-3", "city.sanitation", "normal", "13912343333")
        try await suite.waitUntilSettled()
        let assignment: String = try await eventually(timeout: 20) {
            let list = try await suite.call("dispatch", "GET", "/v1/assignments", token: "demo-unit-xicheng-token").list
            return list.first { $0["ticket"] as? String == urgent }?["id"] as? String
        }
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/accept", token: "demo-unit-xicheng-token").status == 200)

        // The day's emergencies: the accepted one in time, the other still pending; not the calm one.
        let bulletin = try await eventually(timeout: 20) {
            let r = try await suite.call("kpi", "GET", "/v1/bulletins/emergency?date=2026-11-23", token: auditor)
            let tickets = r.object["tickets"] as? [[String: Any]] ?? []
            return tickets.contains { $0["ticket"] as? String == urgent && $0["state"] as? String == "accepted" } ? r : nil
        }
        let listed = bulletin.object["tickets"] as? [[String: Any]] ?? []
        #expect(Set(listed.compactMap { $0["ticket"] as? String }) == [flood, urgent], "\(listed)")
        let urgentEntry = try #require(listed.first { $0["ticket"] as? String == urgent })
        #expect(urgentEntry["response"] as? String == "in_time" && urgentEntry["unit"] as? String == "xicheng")
        #expect(listed.first { $0["ticket"] as? String == flood }?["response"] as? String == "pending")
        let text = try await suite.call("kpi", "GET", "/v1/bulletins/emergency?date=2026-11-23&format=text", token: auditor).text
        #expect(text.contains("紧急诉求每日快报（2026-11-23）") && text.contains("共受理紧急诉求2件") && !text.contains(calm), "\(text)")
        #expect(try await suite.call("kpi", "GET", "/v1/bulletins/emergency?date=2026-13-01", token: auditor).status == 422)

        // Hot topics of the week (KP-5): each category with its count and nothing the week before.
        let hot = try await suite.call("kpi", "GET", "/v1/hot-topics?week=2026-W48", token: auditor).object["topics"] as? [[String: Any]] ?? []
        #expect(hot.count == 3 && hot.allSatisfy { $0["count"] as? Int == 1 && $0["previous_week"] as? Int == 0 && $0["week_over_week"] == nil }, "\(hot)")
        let streets = try await suite.call("kpi", "GET", "/v1/hot-topics?week=2026-W48&by=street", token: auditor).object["topics"] as? [[String: Any]] ?? []
        #expect(streets.first?["key"] as? String == "330901003" && streets.first?["count"] as? Int == 3, "\(streets)")
        #expect(try await suite.call("kpi", "GET", "/v1/hot-topics?week=2025-W53", token: auditor).status == 404)

        // The live ranking: every unit with an assignment this month, ranked 1…n.
        let ranking = try await suite.call("kpi", "GET", "/v1/ranking?period=2026-11", token: auditor).object["ranking"] as? [[String: Any]] ?? []
        #expect(!ranking.isEmpty && ranking.compactMap { $0["rank"] as? Int } == Array(1...ranking.count))
        let rankingCSV = try await suite.call("kpi", "GET", "/v1/ranking?period=2026-11&format=csv", token: auditor).text.split(separator: "\r\n")
        #expect(rankingCSV.first?.hasPrefix("period,rank,unit,name,composite") == true && rankingCSV.count == ranking.count + 1)
        let hotCSV = try await suite.call("kpi", "GET", "/v1/hot-topics?week=2026-W48&format=csv", token: auditor).text
        #expect(hotCSV.hasPrefix("week,by,key,name,count,previous_week") && hotCSV.contains("2026-W48,category,water.flood,"), "\(hotCSV)")

        // The dashboard (KP-6), as a browser renders it: the charts are there and their numbers
        // are the JSON API's.
        #expect(try await suite.call("kpi", "GET", "/dashboard?period=2026-11", token: "").status == 401)
        #expect(try await suite.call("kpi", "GET", "/dashboard?period=2026-11", token: "demo-unit-xicheng-token").status == 403)
        #expect(try await suite.call("kpi", "GET", "/dashboard?period=2026-11&link=1.ab", token: "").status == 422)
        #expect(try await suite.call("kpi", "GET", "/dashboard?period=2026-11&link=1." + String(repeating: "a", count: 64), token: "").status == 401)
        let direct = try await suite.call("kpi", "GET", "/dashboard?period=2026-11", token: auditor)
        #expect(direct.status == 200 && direct.header("content-type")?.hasPrefix("text/html") == true)
        let link = try await suite.call("kpi", "POST", "/v1/dashboard-links?period=2026-11", token: "demo-centre-token")
        let path = try #require(link.object["url"] as? String, "\(link.text)")
        let port = suite.client("kpi").port
        #expect(try await suite.call("kpi", "GET", path.replacingOccurrences(of: "period=2026-11", with: "period=2026-10"), token: "").status == 401,
                "a link opens its own period only")
        let dom = try await onThread { try HeadlessChromium.dumpDOM("http://127.0.0.1:\(port)\(path)") }
        let api = try await suite.call("kpi", "GET", "/v1/kpi?period=2026-11", token: auditor).object["total"] as? [[String: Any]] ?? []
        for id in ["received", "assignments", "response_rate", "composite"] {
            let value = try #require(api.first { $0["id"] as? String == id }?["value"] as? Double)
            let shown = try #require(dom.firstMatch(of: try Regex("data-figure=\"\(id)\" data-value=\"([^\"]*)\""))?.output[1].substring)
            #expect(Double(shown) == value, "\(id): page \(shown), API \(value)")
        }
        let bars = dom.matches(of: /<g data-unit="([^"]+)" data-rank="(\d+)"/).map { String($0.output.1) }
        #expect(bars == ranking.compactMap { $0["unit"] as? String } && !bars.isEmpty, "\(bars)")
        #expect(dom.contains("<svg id=\"trend\"") && dom.matches(of: /data-line="on_time_rate"/).count == 1)
        #expect(dom.matches(of: /<circle [^>]*data-month="2026-11"/).count >= 1, "this month's point on the trend")
        #expect(dom.contains("<table id=\"hotspots\">") && dom.contains("data-key=\"330901003\" data-count=\"3\""))

        // Published on demand: the exact bytes, their SHA-256 in the header and in the answer.
        let published = try await suite.call("kpi", "POST", "/v1/reports/2026-11/publish", token: "demo-centre-token")
        #expect(published.status == 201 && published.object["version"] as? Int == 1 && published.object["trigger"] as? String == "on_demand",
                "\(published.text)")
        let first = try await suite.call("kpi", "GET", "/v1/reports/2026-11", token: auditor)
        let sha = Hex.encode(SHA256.hash(first.body))
        #expect(first.header("x-report-sha256") == sha && published.object["sha256"] as? String == sha)
        #expect(first.object["period"] as? String == "2026-11" && (first.object["health_reports"] as? [Any])?.isEmpty == false)
        let history = published.object["history"] as? [[String: Any]] ?? []
        #expect(history.map { $0["stream"] as? String ?? "" } == ["intake", "dispatch", "supervision", "survey"], "\(history)")

        // The database itself refuses to change a published report.
        let kpi = try suite.database("kpi")
        defer { kpi.close() }
        await #expect(throws: (any Error).self) {
            try await kpi.write { tx in _ = try tx.execute("UPDATE k_reports SET body = '{}' WHERE period = '2026-11'") }
        }
        await #expect(throws: (any Error).self) { try await kpi.write { tx in _ = try tx.execute("DELETE FROM k_reports") } }

        // Three days after the month ends, on the service clock, the month's own version is
        // published by itself, stamped with the moment it was due; version 1 is unchanged.
        #expect(try await suite.hotline(["clock", "set", "2026-12-04T09:00:00+08:00"]).status == 0)
        let reports = try await eventually(timeout: 30) {
            let r = try await suite.call("kpi", "GET", "/v1/reports", token: auditor)
            return r.list.contains { $0["period"] as? String == "2026-11" && $0["trigger"] as? String == "scheduled" } ? r : nil
        }
        let scheduled = try #require(reports.list.first { $0["trigger"] as? String == "scheduled" })
        #expect(scheduled["version"] as? Int == 2 && scheduled["published_at"] as? String == "2026-12-03T16:00:00.000Z", "\(scheduled)")
        let latest = try await suite.call("kpi", "GET", "/v1/reports/2026-11", token: auditor)
        #expect(latest.header("x-report-version") == "2" && latest.object["trigger"] as? String == "scheduled")
        #expect((latest.object["total"] as? [[String: Any]])?.first { $0["id"] as? String == "on_time_rate" }?["final"] as? Bool == true)
        #expect(try await suite.call("kpi", "GET", "/v1/reports/2026-11/versions/1", token: auditor).body == first.body)
        #expect(try await suite.call("kpi", "GET", "/v1/reports/2026-11/versions/9", token: auditor).status == 404)
        #expect(try await suite.call("kpi", "GET", "/v1/reports/2026-13", token: auditor).status == 422)
        #expect(try await suite.call("kpi", "GET", "/v1/reports/2026-11", token: "demo-unit-xicheng-token").status == 403)
        #expect(try await suite.call("kpi", "POST", "/v1/reports/2026-11/publish", token: auditor).status == 403)

        // The auditors' SQL views give the API's figures (every deadline of November has passed
        // on both clocks now: the service's and the database's).
        let byUnit = try await suite.call("kpi", "GET", "/v1/kpi?period=2026-11&by=unit", token: auditor).object["units"] as? [[String: Any]] ?? []
        let viewRows = try await kpi.read { tx in
            try tx.query("SELECT * FROM kpi_unit_month_figures WHERE month = '2026-11' ORDER BY unit").map { r in
                [r.string("unit") ?? "", String(r.int("assignments") ?? -1), String(r.int("response_met") ?? -1), String(r.int("response_decided") ?? -1),
                 String(r.int("reply_met") ?? -1), String(r.int("reply_decided") ?? -1), r.double("composite").map { String(format: "%.2f", $0) } ?? "null"]
            }
        }
        let apiRows = byUnit.map { u -> [String] in
            let f = u["figures"] as? [[String: Any]] ?? []
            func n(_ id: String, _ key: String) -> String { (f.first { $0["id"] as? String == id }?[key] as? Int).map(String.init) ?? "-1" }
            let composite = (f.first { $0["id"] as? String == "composite" }?["value"] as? Double).map { String(format: "%.2f", $0) } ?? "null"
            let assignments = (f.first { $0["id"] as? String == "assignments" }?["value"] as? Double).map { String(Int($0)) } ?? "-1"
            return [u["unit"] as? String ?? "", assignments, n("response_rate", "numerator"), n("response_rate", "denominator"),
                    n("on_time_rate", "numerator"), n("on_time_rate", "denominator"), composite]
        }
        #expect(!viewRows.isEmpty && viewRows == apiRows, "view \(viewRows) API \(apiRows)")
        let ticketFacts = try await kpi.read { tx in try tx.scalarInt("SELECT COUNT(*) FROM kpi_ticket_facts WHERE month = '2026-11'") }
        #expect(ticketFacts == 3)

        // Each publication is chained in the kpi stream with its hash.
        let announced = try await kpi.read { tx in
            try tx.query("SELECT data FROM events WHERE type = 'report.published' ORDER BY seq").compactMap { $0.string("data") }
        }
        #expect(announced.count == 2 && announced[0].contains(sha), "\(announced)")
        #expect(try await suite.call("kpi", "POST", "/v1/audit/recompute?period=2026-11", token: auditor).object["verdict"] as? String == "identical")
    }
}
