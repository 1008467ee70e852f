import Foundation
import HotlineCore
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
        #expect(try suite.hotline(["clock", "set", "2026-11-23T09:00:00+08:00"]).status == 0)  // a Monday
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
        #expect(try suite.hotline(["clock", "advance", "2h10m"]).status == 0)
        try await waitUntil(timeout: 20) { try await deadline("missed", bAssignment, "response") != nil }
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(bAssignment)/accept", token: unit).status == 200)
        try await waitUntil(timeout: 20) { try await deadline("missed", bAssignment, "response")?["done_at"].map { $0 != "null" } ?? false }
        #expect(try await deadline("met", bAssignment, "response") == nil, "a late accept is missed, never met")

        // Wednesday: A resumes; Tuesday and Wednesday are added — the due moves from Thursday to Monday.
        #expect(try suite.hotline(["clock", "set", "2026-11-25T10:00:00+08:00"]).status == 0)
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
        #expect(try suite.hotline(["clock", "set", "2026-12-30T10:00:00+08:00"]).status == 0)
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
        #expect(try suite.hotline(["clock", "set", "2027-01-04T09:00:00+08:00"]).status == 0)
        try await waitUntil(timeout: 20) {
            try await suite.call("supervision", "GET", "/metrics", token: centre).text.contains(#"hotline_calendar_year_covered{year="2027"} 0"#)
        }
        let warnings = try await suite.call("supervision", "GET", "/readyz", token: centre).object["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.contains("has no 2027") }, "\(warnings)")
    }
}
