import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineStorage
import HotlineStreams
import SurveyService
import TestSupport
import Testing

/// The callback survey through the real executables (CB-1 … CB-4): the queue on the
/// working-day calendar, claims, spaced attempts to unreachable, an unsatisfied citizen whose
/// ticket is handled again and then called back satisfied, samples of intake closures, and
/// the monthly list.
@Suite(.serialized) struct CallbackTests {
    @Test(arguments: TestEngine.available)
    func unsatisfiedThenSatisfiedAndUnreachable(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine, manualClock: true)
        defer { suite.stop() }
        let agent = "demo-agent-token", other = "demo-agent-2-token", unit = "demo-unit-xicheng-token", centre = "demo-centre-token"
        #expect(try await suite.hotline(["clock", "set", "2026-11-23T09:00:00+08:00"]).status == 0)  // a Monday
        func replied(_ ref: String, _ phone: String) async throws -> String {
            let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
                #"{"channel_ref":"\#(ref)","kind":"complaint","category":"city.sanitation","content":"楼道堆满杂物 \#(ref)","caller":{"phone":"\#(phone)"},"location":{"region":"330901003002004"}}"#)
            let ticket = try #require(created.object["id"] as? String)
            try await reply(ticket, "已清理，联系电话 0571-8765 4321")
            return ticket
        }
        @Sendable func reply(_ ticket: String, _ text: String) async throws {
            let assignment = try await eventually(timeout: 20) {
                try await suite.call("dispatch", "GET", "/v1/assignments?status=dispatched", token: unit).list
                    .first { $0["ticket"] as? String == ticket }?["id"] as? String
            }
            #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/accept", token: unit).status == 200)
            #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/reply", token: unit, json: #"{"result":"\#(text)"}"#).status == 200)
        }
        @Sendable func queued(_ ticket: String) async throws -> [String: String]? {
            try await suite.call("survey", "GET", "/v1/callbacks", token: agent).list.first { $0["ticket"] as? String == ticket }?
                .mapValues { $0 is NSNull ? "null" : "\($0)" }
        }
        let ticket = try await replied("cb-1", "13912353001")
        try await waitUntil(timeout: 20) { try await queued(ticket) != nil }
        let first = try #require(try await queued(ticket))
        // Replied Monday: due at the end of the second working day, Wednesday.
        #expect(first["due"] == "2026-11-25T16:00:00.000Z" && first["overdue"] == "0" && first["reply"]?.contains("8765") == false, "masked: \(first)")

        // One agent claims it; the other cannot call or record meanwhile.
        #expect(try await suite.call("survey", "POST", "/v1/callbacks/\(ticket)/claim", token: agent).object["claimed_by"] as? String == "agent-demo")
        #expect(try await suite.call("survey", "POST", "/v1/callbacks/\(ticket)/claim", token: other).status == 409)
        #expect(try await suite.call("survey", "POST", "/v1/callbacks/\(ticket)", token: other, json: #"{"reached":false}"#).status == 409)
        // Not reached once; too soon again; then reached and unsatisfied: dispatch opens round 2.
        #expect(try await suite.call("survey", "POST", "/v1/callbacks/\(ticket)", token: agent, json: #"{"reached":false}"#).object["attempts"] as? Int == 1)
        #expect(try await suite.call("survey", "POST", "/v1/callbacks/\(ticket)", token: agent, json: #"{"reached":false}"#).status == 409)
        let unhappy = try await suite.call("survey", "POST", "/v1/callbacks/\(ticket)", token: agent, json:
            #"{"reached":true,"resolved":false,"satisfaction":"unsatisfied","comment":"还是很脏，请回电 +86 139-1235-3001"}"#)
        #expect(unhappy.object["status"] as? String == "completed" && (unhappy.object["comment"] as? String)?.contains("1235") == false, "masked: \(unhappy.text)")
        try await reply(ticket, "已彻底清理并张贴告示")
        // The second reply is called back again; satisfied closes the ticket.
        try await waitUntil(timeout: 20) { try await queued(ticket) != nil }
        #expect(try await suite.call("survey", "POST", "/v1/callbacks/\(ticket)", token: other, json:
            #"{"reached":true,"resolved":true,"satisfaction":"satisfied"}"#).status == 200)
        try await waitUntil(timeout: 20) {
            try await suite.call("intake", "GET", "/v1/tickets/\(ticket)", token: centre).object["status"] as? String == "closed"
        }

        // Another citizen cannot be reached: three attempts two hours apart, then unreachable.
        let unreachable = try await replied("cb-2", "13912353002")
        try await waitUntil(timeout: 20) { try await queued(unreachable) != nil }
        for n in 1...3 {
            if n > 1 { #expect(try await suite.hotline(["clock", "advance", "2h"]).status == 0) }
            let r = try await suite.call("survey", "POST", "/v1/callbacks/\(unreachable)", token: agent, json: #"{"reached":false}"#)
            #expect(r.object["status"] as? String == (n < 3 ? "scheduled" : "unreachable"), "\(r.text)")
        }
        try await waitUntil(timeout: 20) {
            try await suite.call("intake", "GET", "/v1/tickets/\(unreachable)", token: centre).object["status"] as? String == "closed"
        }

        // A third is left past its due: overdue in the queue and in the summary.
        let late = try await replied("cb-3", "13912353003")
        try await waitUntil(timeout: 20) { try await queued(late) != nil }
        #expect(try await suite.hotline(["clock", "set", "2026-11-26T09:00:00+08:00"]).status == 0)
        let overdue = try await suite.call("survey", "GET", "/v1/callbacks?overdue=true", token: agent).list
        #expect(overdue.map { $0["ticket"] as? String } == [late])
        #expect(try await suite.call("survey", "GET", "/v1/callback-summary", token: centre).object["overdue"] as? Int == 1)

        // Every survey event of domain.md, and the month's list in CSV under the unit's name.
        try await suite.waitUntilSettled()
        let db = try suite.database("survey")
        let types = try await db.read { tx in try EventStore(stream: "survey").fetch(tx, after: 0, limit: 1000) }.map(\.type)
        db.close()
        #expect(Set(types) == ["callback.scheduled", "callback.attempted", "callback.completed", "callback.unreachable"])
        let csv = try await suite.call("survey", "GET", "/v1/callback-lists?period=2026-11&unit=xicheng&format=csv", token: centre)
        #expect(csv.header("content-type")?.hasPrefix("text/csv") == true)
        let lines = csv.text.split(separator: "\r\n")
        #expect(lines.first == "ticket,unit,unit_name,kind,status,due,completed_at,attempts,resolved,satisfaction,comment,agent")
        let street = try #require(try CountyConfig.load(directory: SampleCounty.directory).unit("xicheng"))
        #expect(lines.count == 4 && csv.text.contains(street.name), "two rounds of one ticket and the unreachable one: \(csv.text)")
        #expect(!csv.text.contains("13912353001") && !csv.text.contains("139-1235-3001"))
        #expect(try await suite.call("survey", "GET", "/v1/callback-lists?period=2026-13", token: centre).status == 422)
    }

    /// Consultations answered at intake: exactly those the ticket id picks are called back (CB-4).
    @Test(arguments: TestEngine.available)
    func intakeClosuresAreSampledByTheirId(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        var tickets: [String] = []
        for n in 0..<30 {
            let r = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-phone_12345", json:
                #"{"channel_ref":"ask-\#(n)","kind":"consultation","category":"labour.wage_arrears","content":"被拖欠工资怎么办 \#(n)","caller":{"phone":"139123540\#(String(format: "%02d", n))"},"closed_at_intake":{"knowledge_id":"kb-004"}}"#)
            #expect(r.status == 201, "\(r.text)")
            tickets.append(try #require(r.object["id"] as? String))
        }
        try await suite.waitUntilSettled()
        let queued = Set(try await suite.call("survey", "GET", "/v1/callbacks?unit=centre&limit=500", token: "demo-agent-token").list
            .filter { $0["kind"] as? String == "intake_sample" }.compactMap { $0["ticket"] as? String })
        #expect(queued == Set(tickets.filter { CallbackRules.isSampled(ticket: $0, rate: 0.1) }))
    }
}
