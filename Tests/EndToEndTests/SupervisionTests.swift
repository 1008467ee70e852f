import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineStorage
import HotlineStreams
import TestSupport
import Testing

/// Supervision through the real executables on the manual clock (SU-2, SU-3): a pause stops
/// the reply clock and a resume moves the due by the working days in between; reminders come
/// before a deadline, each once and in order; a late accept is missed, never met.
@Suite(.serialized) struct SupervisionTests {
    @Test(arguments: TestEngine.available)
    func pausesRemindersAndLateWork(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine, manualClock: true)
        defer { suite.stop() }
        let centre = "demo-centre-token", unit = "demo-unit-xicheng-token"
        #expect(try await suite.hotline(["clock", "set", "2026-11-23T09:00:00+08:00"]).status == 0)  // a Monday
        func submit(_ ref: String, _ phone: String) async throws -> (ticket: String, assignment: String) {
            let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
                #"{"channel_ref":"\#(ref)","kind":"complaint","category":"city.sanitation","content":"楼道堆满杂物 \#(ref)","caller":{"phone":"\#(phone)"},"location":{"region":"330901003002004"}}"#)
            let ticket = try #require(created.object["id"] as? String)
            let assignment = try await eventually(timeout: 20) {
                try await suite.call("dispatch", "GET", "/v1/assignments", token: unit).list.first { $0["ticket"] as? String == ticket }?["id"] as? String
            }
            return (ticket, assignment)
        }
        let (_, a) = try await submit("sup-a", "13912348001")
        let (b, bAssignment) = try await submit("sup-b", "13912348002")
        /// The deadline's members as text (null as "null"), or nil when it is not in that state.
        @Sendable func deadline(_ state: String, _ assignment: String, _ which: String) async throws -> [String: String]? {
            try await suite.call("supervision", "GET", "/v1/deadlines?state=\(state)", token: centre).list
                .first { $0["assignment"] as? String == assignment && $0["which"] as? String == which }?
                .mapValues { $0 is NSNull ? "null" : "\($0)" }
        }
        try await waitUntil(timeout: 20) {
            let response = try await deadline("open", bAssignment, "response"), reply = try await deadline("open", a, "reply")
            return response != nil && reply != nil
        }

        // A is accepted and paused at once: its reply clock stops, with the reason on it.
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(a)/accept", token: unit).status == 200)
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(a)/pause", token: unit, json: #"{"missing":"请补充现场照片"}"#).status == 200)
        try await waitUntil(timeout: 20) { try await deadline("paused", a, "reply")?["pause_reason"] == "请补充现场照片" }
        #expect(try await deadline("open", a, "reply")?["due"] == "2026-11-26T16:00:00.000Z", "workingDays(3): end of Thursday")

        // B is not accepted: reminded an hour before its 2-hour response due and at 75%, then missed.
        #expect(try await suite.hotline(["clock", "advance", "2h10m"]).status == 0)
        try await waitUntil(timeout: 20) { try await deadline("missed", bAssignment, "response") != nil }
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(bAssignment)/accept", token: unit).status == 200)
        try await waitUntil(timeout: 20) { try await deadline("missed", bAssignment, "response")?["done_at"].map { $0 != "null" } ?? false }
        #expect(try await deadline("met", bAssignment, "response") == nil, "a late accept is missed, never met")

        // Wednesday: A resumes; Tuesday and Wednesday are added — the due moves from Thursday to Monday.
        #expect(try await suite.hotline(["clock", "set", "2026-11-25T10:00:00+08:00"]).status == 0)
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(a)/resume", token: unit).status == 200)
        try await waitUntil(timeout: 20) { try await deadline("open", a, "reply")?["due"] == "2026-11-30T16:00:00.000Z" }
        let resumed = try #require(try await deadline("open", a, "reply"))
        #expect(resumed["pauses"] == "1" && resumed["paused_since"] == "null")

        try await suite.waitUntilSettled()
        let db = try suite.database("supervision")
        let events = try await db.read { tx in try EventStore(stream: "supervision").events(tx, ticket: b) }
        db.close()
        let timers = events.filter { $0.type != "deadline.set" && $0.data["which"]?.stringValue == "response" }
        #expect(timers.map(\.type) == ["deadline.reminded", "deadline.reminded", "deadline.missed"], "each once, in order")
        #expect(timers.prefix(2).map { $0.data["kind"]?.stringValue ?? "" } == ["hour_before", "three_quarters"])
        // Dispatch's inbox follows the moved due.
        let inbox = try await suite.call("dispatch", "GET", "/v1/assignments/\(a)", token: unit).object
        #expect(inbox["reply_due"] as? String == "2026-11-30T16:00:00.000Z")
    }

    /// A year calendar.json lacks is reported, never counted silently (SU-1).
    @Test(arguments: TestEngine.available)
    func aMissingCalendarYearIsReported(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine, manualClock: true)
        defer { suite.stop() }
        let centre = "demo-centre-token"
        #expect(try await suite.hotline(["clock", "set", "2026-12-30T10:00:00+08:00"]).status == 0)
        let calendar = try await suite.call("supervision", "GET", "/v1/calendar/2026", token: "demo-unit-xicheng-token").object
        #expect(calendar["working_days"] as? Int == 248 && (calendar["workdays"] as? [String])?.contains("2026-10-10") == true)
        #expect(try await suite.call("supervision", "GET", "/v1/calendar/2027", token: centre).status == 404)
        #expect(try await suite.call("supervision", "GET", "/v1/calendar/27", token: centre).status == 422)
        #expect(try await suite.call("supervision", "GET", "/readyz", token: centre).object["status"] as? String == "ready")

        // Three working days from 30 December run into 2027, which the calendar lacks.
        let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
            #"{"channel_ref":"cal-1","kind":"complaint","category":"city.sanitation","content":"年底垃圾未清运","caller":{"phone":"13912349001"},"location":{"region":"330901003002004"}}"#)
        let ticket = try #require(created.object["id"] as? String)
        try await waitUntil(timeout: 20) {
            try await suite.call("supervision", "GET", "/v1/deadlines", token: centre).list
                .contains { $0["ticket"] as? String == ticket && $0["which"] as? String == "reply" && $0["calendar_gap"] as? String == "2027" }
        }
        let degraded = try await suite.call("supervision", "GET", "/readyz", token: centre)
        #expect(degraded.status == 200 && degraded.object["status"] as? String == "degraded")
        #expect((degraded.object["warnings"] as? [String])?.contains { $0.contains("2027") } == true, "\(degraded.text)")

        // In 2027 itself the year is missing outright: logged once, in the metrics, and in /readyz.
        #expect(try await suite.hotline(["clock", "set", "2027-01-04T09:00:00+08:00"]).status == 0)
        try await waitUntil(timeout: 20) {
            try await suite.call("supervision", "GET", "/metrics", token: centre).text.contains(#"hotline_calendar_year_covered{year="2027"} 0"#)
        }
        let warnings = try await suite.call("supervision", "GET", "/readyz", token: centre).object["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.contains("has no 2027") }, "\(warnings)")
    }

    /// An unreplied ticket climbs all five levels, a working day apart (SU-4): the handler, the
    /// unit, a supervision letter to its head, the task force (dispatch escalates the ticket),
    /// and a one-case report to the county leader. The centre can urge by hand; units see and
    /// acknowledge their alerts.
    @Test(arguments: TestEngine.available)
    func theLadderClimbsToTheCountyLeader(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine, manualClock: true)
        defer { suite.stop() }
        let centre = "demo-centre-token", unit = "demo-unit-xicheng-token"
        #expect(try await suite.hotline(["clock", "set", "2026-11-23T09:00:00+08:00"]).status == 0)
        func submit(_ ref: String, _ phone: String) async throws -> String {
            let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
                #"{"channel_ref":"\#(ref)","kind":"complaint","category":"city.sanitation","content":"垃圾堆放无人清理 \#(ref)","caller":{"phone":"\#(phone)"},"location":{"region":"330901003002004"}}"#)
            let ticket = try #require(created.object["id"] as? String)
            try await waitUntil(timeout: 20) {
                try await suite.call("supervision", "GET", "/v1/deadlines", token: centre).list.contains { $0["ticket"] as? String == ticket }
            }
            return ticket
        }
        let ticket = try await submit("ladder-1", "13912349101")
        @Sendable func levels() async throws -> [String] {
            try await suite.call("supervision", "GET", "/v1/alerts?ticket=\(ticket)", token: centre).list.reversed()
                .map { "\($0["level"] as? Int ?? 0):\(($0["addressee"] as? [String: Any])?["role"] as? String ?? "")" }
        }
        // Reply due at Thursday's end; each following working day's end one level more.
        for (day, expected) in [("2026-11-27", 1), ("2026-11-28", 2), ("2026-12-01", 3), ("2026-12-02", 4), ("2026-12-03", 5)] {
            if expected == 3 {
                // Supervision dies before Monday's level: back up, it fires it once, from its tables.
                let pid = try #require(suite.pid("supervision"))
                kill(pid, SIGKILL)
                try await waitUntil(timeout: 30) { suite.pid("supervision") != pid }
            }
            #expect(try await suite.hotline(["clock", "set", "\(day)T01:00:00+08:00"]).status == 0)
            try await waitUntil(timeout: 20) { try await levels().count == expected }
            try await suite.waitUntilSettled()
        }
        #expect(try await levels() == ["1:handler", "2:unit", "3:head", "4:task_force", "5:county_leader"])
        let alerts = try await suite.call("supervision", "GET", "/v1/alerts?ticket=\(ticket)", token: centre).list
        let names = alerts.reversed().map { ($0["addressee"] as? [String: Any])?["name"] as? String ?? "" }
        // The street's handler, the street, its head; the task force's head; after the escalation the
        // task force leads, so the report goes to the county leader in charge of it.
        let county = try CountyConfig.load(directory: SampleCounty.directory)
        let street = try #require(county.unit("xicheng")), taskForce = try #require(county.unit("county_taskforce"))
        #expect(names == [street.roles.handler, street.name, street.roles.head, taskForce.roles.head, taskForce.roles.countyLeader], "\(names)")

        // Level 4 sent the ticket to the task force, requested by supervision.
        let db = try suite.database("dispatch")
        let escalated = try await db.read { tx in try EventStore(stream: "dispatch").events(tx, ticket: ticket) }.first { $0.type == "ticket.escalated" }
        db.close()
        #expect(escalated?.data["requested_by"]?.stringValue == "supervision" && escalated?.data["to_unit"]?.stringValue == "county_taskforce")

        // Letters at 3 and 5, numbered, addressed, printable.
        let letters = alerts.compactMap { $0["letter"] as? String }
        #expect(letters.count == 2)
        let report = try await suite.call("supervision", "GET", "/v1/letters/\(letters[0])", token: centre).object
        #expect(report["kind"] as? String == "one_case_report" && report["number"] as? String == "一事一报〔2026〕1号")
        let letter = try await suite.call("supervision", "GET", "/v1/letters/\(letters[1])?format=text", token: unit)
        #expect(letter.status == 200 && letter.text.contains("督办〔2026〕1号") && letter.text.contains("督办函") && letter.text.contains(ticket))
        #expect(try await suite.call("supervision", "GET", "/v1/letters/\(letters[1])", token: "demo-unit-housing-token").status == 403)

        // The unit sees its alerts and acknowledges one; another unit may not.
        let mine = try await suite.call("supervision", "GET", "/v1/alerts?acknowledged=false", token: unit).list
        let first = try #require(mine.last?["id"] as? String)
        #expect(try await suite.call("supervision", "POST", "/v1/alerts/\(first)/acknowledge", token: "demo-unit-housing-token").status == 403)
        #expect(try await suite.call("supervision", "POST", "/v1/alerts/\(first)/acknowledge", token: unit).status == 200)
        #expect(try await suite.call("supervision", "POST", "/v1/alerts/\(first)/acknowledge", token: unit).status == 409)

        // The centre urges a fresh ticket by hand: level 1, then 2, with the note; no timer climbs it.
        let other = try await submit("ladder-2", "13912349102")
        let urged = try await suite.call("supervision", "POST", "/v1/tickets/\(other)/urge", token: centre, json: #"{"note":"群众反映强烈，请加快办理"}"#)
        #expect(urged.status == 201 && urged.object["level"] as? Int == 1 && urged.object["note"] as? String == "群众反映强烈，请加快办理")
        #expect(try await suite.call("supervision", "POST", "/v1/tickets/\(other)/urge", token: centre, json: #"{"note":"再次催办"}"#).object["level"] as? Int == 2)
        #expect(try await suite.call("supervision", "POST", "/v1/tickets/\(other)/urge", token: unit, json: #"{"note":"x"}"#).status == 403)
        #expect(try await suite.call("supervision", "POST", "/v1/tickets/T-none/urge", token: centre, json: #"{"note":"x"}"#).status == 404)
    }

    /// Three complaints of one kind at one grid within a day make a hotspot: the lead unit's
    /// deputy head hears of it once (SU-5).
    @Test(arguments: TestEngine.available)
    func aClusterAlertsTheDeputyHeadOnce(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine, manualClock: true)
        defer { suite.stop() }
        let centre = "demo-centre-token"
        #expect(try await suite.hotline(["clock", "set", "2026-11-23T09:00:00+08:00"]).status == 0)
        for n in 1...4 {
            let r = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
                #"{"channel_ref":"hot-\#(n)","kind":"complaint","category":"city.noise_night","content":"夜间施工噪音扰民 \#(n)","caller":{"phone":"1391235000\#(n)"},"location":{"region":"330901003002004"}}"#)
            #expect(r.status == 201)
            #expect(try await suite.hotline(["clock", "advance", "1h"]).status == 0)
        }
        try await suite.waitUntilSettled()
        let hotspots = try await suite.call("supervision", "GET", "/v1/hotspots", token: centre).list
        let cluster = hotspots.first { $0["place"] as? String == "grid:330901003002004" && $0["category"] as? String == "city.noise_night" }
        #expect(cluster?["count"] as? Int == 4 && cluster?["level"] as? String == "deputy" && cluster?["unit"] as? String == "enforcement")
        let alerts = try await suite.call("supervision", "GET", "/v1/alerts?kind=hotspot", token: "demo-unit-enforcement-token").list
        #expect(alerts.count == 1, "once per level in the window")
        let county = try CountyConfig.load(directory: SampleCounty.directory)
        #expect((alerts.first?["addressee"] as? [String: Any])?["name"] as? String == county.unit("enforcement")?.roles.deputyHead)
        // A day later the cluster has left the window.
        #expect(try await suite.hotline(["clock", "advance", "1d"]).status == 0)
        #expect(try await suite.call("supervision", "GET", "/v1/hotspots", token: centre).list.isEmpty)
    }

    /// Double alerts (SU-6) to the lead unit's head and the county leader: a ticket the petition
    /// office assigned too, one the centre lists for supervision, one reopened twice.
    @Test(arguments: TestEngine.available)
    func doubleAlertsReachTheHeadAndTheCountyLeader(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let centre = "demo-centre-token", unit = "demo-unit-xicheng-token"
        func submit(_ ref: String, _ phone: String, tags: String) async throws -> (String, String) {
            let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
                #"{"channel_ref":"\#(ref)","kind":"complaint","category":"city.sanitation","content":"小区垃圾长期堆放 \#(ref)","caller":{"phone":"\#(phone)"},"location":{"region":"330901003002004"},"tags":\#(tags)}"#)
            let ticket = try #require(created.object["id"] as? String)
            let assignment = try await eventually(timeout: 20) {
                try await suite.call("dispatch", "GET", "/v1/assignments?role=lead", token: unit).list
                    .first { $0["ticket"] as? String == ticket && $0["status"] as? String == "dispatched" }?["id"] as? String
            }
            return (ticket, assignment)
        }
        @Sendable func doubles(_ ticket: String) async throws -> [String] {
            try await suite.call("supervision", "GET", "/v1/alerts?kind=double&ticket=\(ticket)", token: centre).list
                .map { "\($0["note"] as? String ?? ""):\(($0["addressee"] as? [String: Any])?["role"] as? String ?? "")" }.sorted()
        }
        let (petitioned, _) = try await submit("dbl-1", "13912351001", tags: #"["petition_office"]"#)
        try await waitUntil(timeout: 20) { try await doubles(petitioned) == ["petition_office:county_leader", "petition_office:head"] }

        // Listed by the centre: once.
        let listed = try await suite.call("supervision", "POST", "/v1/tickets/\(petitioned)/listing", token: centre, json: #"{"note":"县领导批示，挂牌督办"}"#)
        #expect(listed.status == 201 && listed.object["reasons"] as? [String] == ["petition_office", "listed"], "\(listed.text)")
        #expect(try await suite.call("supervision", "POST", "/v1/tickets/\(petitioned)/listing", token: centre, json: #"{"note":"again"}"#).status == 409)
        #expect(try await suite.call("supervision", "POST", "/v1/tickets/\(petitioned)/listing", token: unit, json: #"{"note":"x"}"#).status == 403)
        #expect(try await suite.call("supervision", "POST", "/v1/tickets/T-none/listing", token: centre, json: #"{"note":"x"}"#).status == 404)

        // Reopened twice: two failed callbacks.
        let (ticket, first) = try await submit("dbl-2", "13912351002", tags: "[]")
        var assignment = first
        for round in 1...2 {
            #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/accept", token: unit).status == 200)
            #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/reply", token: unit, json: #"{"result":"已清运 \#(round)"}"#).status == 200)
            try await waitUntil(timeout: 20) {
                try await suite.call("survey", "POST", "/v1/callbacks/\(ticket)", token: "demo-agent-token",
                                     json: #"{"reached":true,"resolved":false,"satisfaction":"unsatisfied"}"#).status == 200
            }
            let previous = assignment
            assignment = try await eventually(timeout: 20) {
                try await suite.call("dispatch", "GET", "/v1/assignments?role=lead", token: unit).list
                    .first { $0["ticket"] as? String == ticket && $0["id"] as? String != previous && $0["status"] as? String == "dispatched" }?["id"] as? String
            }
        }
        try await waitUntil(timeout: 20) { try await doubles(ticket) == ["callback_unresolved:county_leader", "callback_unresolved:head"] }
    }

    /// A spot check that finds the reply falsified sends the closed ticket back to the same
    /// unit for a new round (SU-7, DI re-handling).
    @Test(arguments: TestEngine.available)
    func aFalsifiedReplyIsHandledAgain(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let centre = "demo-centre-token", unit = "demo-unit-xicheng-token"
        let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
            #"{"channel_ref":"spot-1","kind":"complaint","category":"city.sanitation","content":"楼下垃圾桶满溢","caller":{"phone":"13912352001"},"location":{"region":"330901003002004"}}"#)
        let ticket = try #require(created.object["id"] as? String)
        let assignment = try await eventually(timeout: 20) {
            try await suite.call("dispatch", "GET", "/v1/assignments", token: unit).list.first { $0["ticket"] as? String == ticket }?["id"] as? String
        }
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/accept", token: unit).status == 200)
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/reply", token: unit, json: #"{"result":"已清运"}"#).status == 200)
        try await waitUntil(timeout: 20) {
            try await suite.call("survey", "POST", "/v1/callbacks/\(ticket)", token: "demo-agent-token",
                                 json: #"{"reached":true,"resolved":true,"satisfaction":"satisfied"}"#).status == 200
        }
        try await waitUntil(timeout: 20) {
            try await suite.call("supervision", "GET", "/v1/spot-checks?scope=all", token: centre).list.contains { $0["ticket"] as? String == ticket }
        }
        #expect(try await suite.call("supervision", "GET", "/v1/spot-checks?week=2026-48", token: centre).status == 422)
        func record(_ json: String) async throws -> HTTPClient.Response {
            try await suite.call("supervision", "POST", "/v1/spot-checks/\(ticket)", token: centre, json: json)
        }
        #expect(try await record(#"{"outcome":"fine","note":"x"}"#).status == 422)
        #expect(try await suite.call("supervision", "POST", "/v1/spot-checks/T-none", token: centre, json: #"{"outcome":"confirmed","note":"x"}"#).status == 404)
        let found = try await record(#"{"outcome":"falsified","note":"现场核查垃圾仍未清运，答复不实"}"#)
        #expect(found.status == 201 && found.object["outcome"] as? String == "falsified")
        #expect(try await record(#"{"outcome":"confirmed","note":"again"}"#).status == 409)
        // Dispatch opens round 2 for the same unit.
        let again = try await eventually(timeout: 20) {
            try await suite.call("dispatch", "GET", "/v1/assignments?role=lead", token: unit).list
                .first { $0["ticket"] as? String == ticket && $0["round"] as? Int == 2 }?["id"] as? String
        }
        #expect(again != assignment)
        try await suite.waitUntilSettled()
        let db = try suite.database("dispatch")
        let reopened = try await db.read { tx in try EventStore(stream: "dispatch").events(tx, ticket: ticket) }.first { $0.type == "ticket.reopened" }
        db.close()
        #expect(reopened?.data["reason"]?.stringValue == "spot_check_falsified")
    }
}
