@testable import DispatchService
import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineStorage
import HotlineStreams
@testable import IntakeService
import KPIService
import SurveyService
import TestSupport
import Testing

/// What Foundation's encoder makes of a value, as a tree: the reference for hand-built trees.
private func viaFoundation<T: Encodable>(_ value: T) throws -> JSONValue {
    try JSONValueParser.parse(Array(JSONEncoder().encode(value)))
}

@Suite struct IntakeRulesTests {
    let county: CountyConfig
    init() throws { county = try CountyConfig.load(directory: SampleCounty.directory) }

    @Test(arguments: [false, true])
    func handBuiltPayloadsEqualTheirEncodableForm(full: Bool) throws {
        let received = TicketReceived(
            channel: "app", channelRef: "r-1", kind: "complaint", domain: "city", category: "city.sanitation", urgency: "normal",
            content: "垃圾 \"未清运\"", location: .init(address: full ? "光明社区" : nil, region: "330901001001001",
                                                    latitude: full ? 30.1 : nil, longitude: full ? 120.25 : nil),
            enterprise: full, tags: full ? ["a", "b"] : [],
            caller: .init(name: full ? "王*" : nil, phone: full ? "138****0001" : nil, phoneHash: full ? "ab" : nil, anonymous: !full),
            receivedAt: "2026-11-22T01:00:00.000Z", repeatOf: full ? "T20261122-0000001aaaaaaaaa" : nil,
            closedAtIntake: full ? true : nil)
        #expect(received.jsonValue == (try viaFoundation(received)))
        #expect(try JSONCoding.value(received) == viaFoundation(received))
        let view = IntakeService.TicketView(
            id: "T20261122-0000001aaaaaaaaa", status: "received", channel: "app", channelRef: "r-1", category: "city.sanitation",
            urgency: "normal", leadUnit: full ? "xicheng" : nil, reply: full ? "已处理" : nil, receivedAt: "2026-11-22T01:00:00.000Z",
            updatedAt: "2026-11-22T01:00:00.000Z", repeatOf: full ? "T1" : nil, repeatCount: full ? 3 : 0)
        #expect(view.jsonValue == (try viaFoundation(view)))
    }

    @Test func ticketIDsCarryTheUTCDayAndSortByTime() throws {
        let at = try #require(Timestamp.parse("2026-11-22T23:59:59.998Z"))
        let id = TicketID.make(at: at)
        #expect(id.hasPrefix("T20261122-5265bfe"))  // 86,399,998 ms into the day
        #expect(id.count == 26 && id.dropFirst(10).allSatisfy(\.isHexDigit))
        let later = TicketID.make(at: at.addingTimeInterval(0.002))
        #expect(later.hasPrefix("T20261123-0000000"))
        let ids = (0..<50).map { TicketID.make(at: Date(timeIntervalSince1970: 1_800_000_000 + Double($0) * 0.001)) }
        #expect(ids == ids.sorted())
        #expect(Set((0..<1000).map { _ in TicketID.make(at: at) }).count == 1000)
        // Keyed by the submission: the same reference and time give the same id; another
        // reference, key or millisecond another.
        let stable = TicketID.make(at: at, stable: ("wechat\nref-1", "k"))
        #expect(stable == TicketID.make(at: at, stable: ("wechat\nref-1", "k")) && stable.hasPrefix(String(id.prefix(17))))
        #expect(Set([stable, TicketID.make(at: at, stable: ("wechat\nref-2", "k")), TicketID.make(at: at, stable: ("wechat\nref-1", "k2")),
                     TicketID.make(at: at.addingTimeInterval(0.001), stable: ("wechat\nref-1", "k"))]).count == 4)
        #expect(TicketID.make(at: Date(timeIntervalSince1970: -0.5)).hasPrefix("T19691231-5265a0c"))  // 86,399,500 ms: before the epoch counts back from midnight
    }

    private func submission(_ edit: (inout TicketSubmission) -> Void = { _ in }) -> TicketSubmission {
        var s = TicketSubmission(channelRef: "ref-1", kind: "complaint", domain: nil, category: "city.sanitation", urgency: nil,
                                 content: "垃圾没人清运", caller: .init(name: "王先生", phone: "+86 138-1234-5678", anonymous: nil),
                                 location: .init(address: "西城", region: "330901003002004", latitude: 39.9, longitude: 116.4),
                                 enterprise: nil, attachments: ["https://img.example/a.jpg"], tags: ["heating-2026"])
        edit(&s)
        return s
    }

    @Test func validSubmissionIsNormalised() throws {
        let t = try TicketValidator.validate(submission(), county: county).get()
        #expect(t.callerPhone == "13812345678")
        #expect(t.domain == "livelihood")
        #expect(t.urgency == "normal")
    }

    @Test func everyBadFieldIsNamed() {
        let bad = submission {
            $0.kind = "rant"
            $0.category = "nope"
            $0.urgency = "now"
            $0.content = "  "
            $0.caller = .init(name: nil, phone: "12345", anonymous: false)
            $0.location = .init(address: nil, region: "999", latitude: 100, longitude: nil)
            $0.attachments = ["ftp://x"]
        }
        guard case .failure(let problem) = TicketValidator.validate(bad, county: county) else {
            Issue.record("expected a failure")
            return
        }
        let fields = Set(problem.errors?.map(\.field) ?? [])
        #expect(problem.status == 422)
        for f in ["kind", "category", "urgency", "content", "caller.phone", "location.region", "location.latitude", "location", "attachments[0]"] {
            #expect(fields.contains(f), "missing \(f) in \(fields)")
        }
    }

    @Test func anonymousCallersNeedNoPhone() throws {
        let t = try TicketValidator.validate(submission { $0.caller = .init(name: "x", phone: nil, anonymous: true) }, county: county).get()
        #expect(t.anonymous && t.callerPhone == nil && t.callerName == nil)
    }

    @Test func phoneNormalisation() {
        #expect(PhoneNumber.normalise("138 1234 5678") == "13812345678")
        #expect(PhoneNumber.normalise("0571-88886666") == "057188886666")
        #expect(PhoneNumber.normalise("12345") == nil)
        #expect(PhoneNumber.normalise("138abc12345678") == nil)
    }

    @Test func fingerprintFollowsTheNormalisedContent() throws {
        func fp(_ edit: (inout TicketSubmission) -> Void = { _ in }) throws -> String {
            TicketValidator.fingerprint(try TicketValidator.validate(submission(edit), county: county).get())
        }
        #expect(try fp() == fp())
        #expect(try fp() == fp { $0.caller?.phone = "13812345678" }, "the same phone written differently is the same content")
        #expect(try fp() != fp { $0.content = "另一件事" })
        #expect(try fp() != fp { $0.urgency = "urgent" })
        #expect(try fp { $0.tags = ["a", "b"] } != fp { $0.tags = ["ab"] }, "fields are delimited, not concatenated")
        #expect(try fp { $0.tags = ["a", "b"] } != fp { $0.tags = ["a b"] })
    }

    @Test func statusFollowsDispatchEvents() throws {
        func event(_ type: String, _ data: JSONValue) -> Event {
            Event(stream: "dispatch", seq: 1, id: "e", type: type, ticket: "T1", at: "2026-11-23T01:00:00.000Z", data: data, prev: "", hash: "")
        }
        #expect(try IntakeStatus.update(for: event("ticket.queued", .object(["reason": .string("x")])))?.status == "queued")
        let replied = try IntakeStatus.update(for: event("ticket.replied", try JSONCoding.value(
            TicketReplied(assignment: "A", unit: "u", result: "done", callerAnonymous: false))))
        #expect(replied == .init(status: "replied", leadUnit: nil, reply: "done"))
        #expect(try IntakeStatus.update(for: event("deadline.set", .null)) == nil)
    }
}

@Suite struct DispatchRulesTests {
    let county: CountyConfig
    init() throws { county = try CountyConfig.load(directory: SampleCounty.directory) }

    @Test func routesByCatalogueOrQueues() {
        let catalogue = ResponsibilityCatalogue(county.responsibilities)
        #expect(DispatchRules.route(category: "utility.heating", region: nil, catalogue: catalogue, county: county)
                == .dispatch(leads: ["heating_co"], assists: [], tier: 3, mode: .independent))
        #expect(DispatchRules.route(category: "city.sanitation", region: "330901001", catalogue: catalogue, county: county)
                == .dispatch(leads: ["chengguan"], assists: [], tier: 2, mode: .independent))
        guard case .queue = DispatchRules.route(category: "other", region: nil, catalogue: catalogue, county: county) else {
            Issue.record("expected the manual queue")
            return
        }
    }

    @Test(arguments: [false, true])
    func anAssignmentViewBuiltByHandEqualsItsEncodableForm(full: Bool) throws {
        let t = "2026-11-22T01:00:00.000Z"
        let columns: [(String, SQLValue)] = [
            ("id", .text("A1")), ("ticket", .text("T1")), ("round", .integer(2)), ("tier", .integer(3)),
            ("mode", .text(full ? "joint" : "independent")), ("lead_unit", .text("chengguan")),
            ("assists", .text(full ? #"["water_co","gas_co"]"# : "[]")), ("status", .text(full ? "accepted" : "dispatched")),
            ("dispatched_at", .text(t)), ("accepted_at", full ? .text(t) : .null), ("replied_at", .null),
            ("result", full ? .text("已处理 \"好\"") : .null), ("paused_at", full ? .text(t) : .null),
            ("pause_missing", .text("门牌号")), ("extension_pending", .integer(full ? 1 : 0)), ("extensions_approved", .integer(full ? 1 : 0)),
            ("extended_reply_due", full ? .text("2026-11-30T01:00:00.000Z") : .null), ("escalation_pending", .integer(0)),
            ("reply_attachments", full ? .text(#"["https://x/1"]"#) : .null), ("joint_leads", full ? .text(#"["chengguan","water_co"]"#) : .null),
            ("response_due", .text(t)), ("reply_due", full ? .text("2026-11-29T01:00:00.000Z") : .null),
        ]
        let view = try DispatchService.AssignmentView(Row(columns: columns.map(\.0), values: columns.map(\.1)))
        #expect(view.jsonValue == (try viaFoundation(view)))
        // Written member by member, the same bytes as the tree's canonical form, alone and in lists.
        #expect(CanonicalJSON.bytes(view) == (try CanonicalJSON.bytes(view.jsonValue)))
        #expect(try HTTPResponse.json([view, view]).body == (try CanonicalJSON.bytes(.array([view.jsonValue, view.jsonValue]))))
        #expect(try HTTPResponse.json([DispatchService.AssignmentView]()).body == Array("[]".utf8))
        // Accepted with an approved extension: due by the extension; dispatched: by the response due.
        #expect(view.dueAt == (full ? "2026-11-30T01:00:00.000Z" : t) && view.pauseMissing == (full ? "门牌号" : nil))
    }

    @Test func assignmentIDsRepeatAndSortLikeTheirTickets() throws {
        let early = try #require(Timestamp.parse("2026-11-22T23:59:59.998Z"))
        let tickets = [early, early.addingTimeInterval(0.003), early.addingTimeInterval(3600)].map {
            TicketID.make(at: $0, stable: ("web\nref", "k"))
        }
        let ids = tickets.map { AssignmentID.make(ticket: $0, round: 1, index: 0) }
        #expect(ids == tickets.map { AssignmentID.make(ticket: $0, round: 1, index: 0) }, "the same inputs, the same id")
        #expect(ids == ids.sorted(), "in the order of their tickets, across midnight")
        #expect(Set(ids + [AssignmentID.make(ticket: tickets[0], round: 2, index: 0), AssignmentID.make(ticket: tickets[0], round: 1, index: 1)]).count == 5)
        // The first 48 bits are the ticket's Unix milliseconds; the id stays a version 8 UUID.
        let hex = ids[0].dropFirst(2).replacingOccurrences(of: "-", with: "")
        #expect(UInt64(hex.prefix(12), radix: 16) == UInt64(early.timeIntervalSince1970 * 1000))
        #expect(UUID(uuidString: String(ids[0].dropFirst(2))) != nil && hex.dropFirst(12).first == "8")
        // A ticket id of another shape still gives a stable (unordered) id.
        for odd in ["T1", "T20261399-0000000aaaaaaaaa", "T20261122-zzzzzzzaaaaaaaaa", "T20261122-5265c00aaaaaaaaa"] {
            #expect(AssignmentID.make(ticket: odd, round: 1, index: 0) == "A-" + NamedUUID.make("assignment\n\(odd)\n1"), "\(odd)")
        }
    }

    @Test func callbackOutcomeClosesOrReopens() {
        #expect(DispatchRules.afterCallback(resolved: true, satisfaction: "basic") == .close(how: "callback"))
        #expect(DispatchRules.afterCallback(resolved: true, satisfaction: "unsatisfied") == .reopen(reason: "callback_unsatisfied"))
        #expect(DispatchRules.afterCallback(resolved: false, satisfaction: "satisfied") == .reopen(reason: "callback_unresolved"))
    }

    @Test func reachedCallbacksNeedAnOutcome() {
        #expect(SurveyService.validate(.init(reached: false)).isEmpty)
        #expect(SurveyService.validate(.init(reached: false, satisfaction: "AAA")).map(\.field) == ["satisfaction"], "a value that is no level")
        #expect(SurveyService.validate(.init(reached: true, resolved: true, satisfaction: "basic")).isEmpty)
        let fields = SurveyService.validate(.init(reached: true, resolved: nil, satisfaction: "meh")).map(\.field)
        #expect(fields == ["resolved", "satisfaction"])
    }
}

@Suite struct KPICalculatorTests {
    let zone = TimeZone(identifier: "Asia/Shanghai")!
    private func at(_ s: String) -> Date { Timestamp.parse(s)! }

    @Test func periodsAreHalfOpenLocalIntervals() throws {
        let month = try #require(KPICalculator.period("2026-11", zone: zone))
        #expect(Timestamp.format(month.from) == "2026-10-31T16:00:00.000Z")
        #expect(Timestamp.format(month.to) == "2026-11-30T16:00:00.000Z")
        let week = try #require(KPICalculator.period("2026-W01", zone: zone))
        #expect(Timestamp.format(week.from) == "2025-12-28T16:00:00.000Z")  // Monday 2025-12-29 local
        let range = try #require(KPICalculator.period("2026-11-01..2026-11-03", zone: zone))
        #expect(range.to.timeIntervalSince(range.from) == 2 * 86_400)
        for bad in ["2026-13", "2026-W54", "2026-11-03..2026-11-01", "november", "2026-11-31"] {
            #expect(KPICalculator.period(bad, zone: zone) == nil, "\(bad)")
        }
    }

    @Test func ratesFollowTheDefinitions() throws {
        let p = try #require(KPICalculator.period("2026-11", zone: zone))
        let assignments = [
            // accepted in time, replied late
            KPICalculator.AssignmentRecord(id: "a1", leadUnit: "u1", dispatchedAt: at("2026-11-02T01:00:00Z"),
                                           responseDue: at("2026-11-02T03:00:00Z"), replyDue: at("2026-11-05T16:00:00Z"),
                                           acceptedAt: at("2026-11-02T02:00:00Z"), repliedAt: at("2026-11-06T01:00:00Z")),
            // accepted exactly at the deadline (counts), replied in time
            KPICalculator.AssignmentRecord(id: "a2", leadUnit: "u2", dispatchedAt: at("2026-11-02T01:00:00Z"),
                                           responseDue: at("2026-11-02T03:00:00Z"), replyDue: at("2026-11-05T16:00:00Z"),
                                           acceptedAt: at("2026-11-02T03:00:00Z"), repliedAt: at("2026-11-03T01:00:00Z")),
            // dispatched in October, deadlines in November: in the November cohorts, not in `assignments`
            KPICalculator.AssignmentRecord(id: "a3", leadUnit: "u1", dispatchedAt: at("2026-10-31T15:00:00Z"),
                                           responseDue: at("2026-11-01T01:00:00Z"), replyDue: at("2026-11-04T16:00:00Z"),
                                           acceptedAt: nil, repliedAt: nil),
            // approved return: counted in assignments, out of every rate
            KPICalculator.AssignmentRecord(id: "a4", leadUnit: "u1", dispatchedAt: at("2026-11-10T01:00:00Z"),
                                           responseDue: at("2026-11-10T03:00:00Z"), replyDue: at("2026-11-13T16:00:00Z"),
                                           acceptedAt: nil, repliedAt: nil, approvedReturn: true),
        ]
        let callbacks = [
            KPICalculator.CallbackRecord(assignment: "a1", leadUnit: "u1", completedAt: at("2026-11-07T01:00:00Z"), reached: true, resolved: true, satisfaction: "unsatisfied"),
            KPICalculator.CallbackRecord(assignment: "a2", leadUnit: "u2", completedAt: at("2026-11-04T01:00:00Z"), reached: true, resolved: false, satisfaction: "basic"),
        ]
        let tickets = [KPICalculator.TicketRecord(id: "t1", receivedAt: at("2026-11-02T01:00:00Z")),
                       KPICalculator.TicketRecord(id: "t0", receivedAt: at("2026-10-31T15:59:59Z"))]
        let figures = KPICalculator.figures(period: p, unit: nil, tickets: tickets, assignments: assignments, callbacks: callbacks)
        func f(_ id: String) -> KPICalculator.Figure { figures.first { $0.id == id }! }
        #expect(f("received").value == 1)
        #expect(f("assignments").value == 3)
        #expect(f("response_rate").numerator == 2 && f("response_rate").denominator == 3)
        #expect(f("response_rate").value == 0.6667)
        #expect(f("on_time_rate").numeratorIDs == ["a2"] && f("on_time_rate").denominatorIDs == ["a1", "a2", "a3"])
        #expect(f("resolution_rate").value == 0.5)
        #expect(f("satisfaction_rate").numeratorIDs == ["a2"])
        let u2 = KPICalculator.figures(period: p, unit: "u2", tickets: tickets, assignments: assignments, callbacks: callbacks)
        #expect(u2.first { $0.id == "received" } == nil)
        #expect(u2.first { $0.id == "response_rate" }?.value == 1)
        // A callback on an assignment ended by an approved return is out of the rates, even
        // when the assignment itself falls outside the period.
        let returned = KPICalculator.CallbackRecord(assignment: "a9", leadUnit: "u1", completedAt: at("2026-11-08T01:00:00Z"), reached: true,
                                                    resolved: false, satisfaction: "unsatisfied", approvedReturn: true)
        let withReturned = KPICalculator.figures(period: p, unit: nil, tickets: tickets, assignments: assignments, callbacks: callbacks + [returned])
        #expect(withReturned.first { $0.id == "resolution_rate" }?.denominatorIDs == ["a1", "a2"])
        let empty = KPICalculator.figures(period: p, unit: "nobody", tickets: [], assignments: [], callbacks: [])
        #expect(empty.first { $0.id == "resolution_rate" }?.value == nil, "a rate over nothing is null, not 0 or 1")
    }
}

/// What the citizen is told when a reply has several authors (DI-3).
@Suite struct ReplyComposerTests {
    @Test func onePartAloneIsItsOwnText() {
        #expect(ReplyComposer.compose(parts: [("住建局", "已修复")], contributions: []) == "已修复")
    }

    @Test func partsAreHeadedByTheirUnitAndContributionsFollow() {
        let text = ReplyComposer.compose(parts: [("人社局", "已责令支付"), ("住建局", "已约谈总包")],
                                         contributions: [("西城街道", "已协助核实名单")])
        #expect(text == "【人社局】已责令支付\n\n【住建局】已约谈总包\n\n协办单位：\n【西城街道】已协助核实名单")
        #expect(ReplyComposer.compose(parts: [("住建局", "已修复")], contributions: [("西城街道", "已设围挡")])
                == "已修复\n\n协办单位：\n【西城街道】已设围挡")
    }
}

/// The rest of kpi.md's figures, computed by hand on a small month (issue 10, item 2).
/// Intake's phone-hash key: required outside a demonstration, where the built-in one is public.
@Suite struct IntakeSettingsTests {
    @Test func theBuiltInPhoneKeyIsForDemonstrationsOnly() throws {
        #expect(throws: ConfigurationError.self) { try IntakeSettings.fromEnvironment(EnvironmentReader([:])) }
        #expect(throws: ConfigurationError.self) {
            try IntakeSettings.fromEnvironment(EnvironmentReader(["HOTLINE_PHONE_HASH_KEY": IntakeSettings.defaultPhoneHashKey]))
        }
        #expect(try IntakeSettings.fromEnvironment(EnvironmentReader(["HOTLINE_PHONE_HASH_KEY": "a-real-secret"])).phoneHashKey == "a-real-secret")
        #expect(try IntakeSettings.fromEnvironment(EnvironmentReader(["HOTLINE_DEMO": "1"])).phoneHashKey == IntakeSettings.defaultPhoneHashKey)
    }
}

@Suite struct KPIFiguresTests {
    let zone = TimeZone(identifier: "Asia/Shanghai")!
    private func at(_ s: String) -> Date { Timestamp.parse(s)! }

    @Test func everyFigureFollowsItsDefinition() throws {
        let p = try #require(KPICalculator.period("2026-11", zone: zone))
        var facts = KPICalculator.Facts()
        facts.tickets = [
            // replied the same local day it came in (both in the evening UTC+8 of Nov 2)
            KPICalculator.TicketRecord(id: "t1", receivedAt: at("2026-11-02T10:00:00Z"), firstReplyAt: at("2026-11-02T15:00:00Z")),
            // replied the next local day (15:59 UTC is 23:59 local; 16:00 UTC is the next day)
            KPICalculator.TicketRecord(id: "t2", receivedAt: at("2026-11-02T10:00:00Z"), firstReplyAt: at("2026-11-02T16:00:00Z")),
            KPICalculator.TicketRecord(id: "t3", receivedAt: at("2026-11-03T01:00:00Z"), closedAtIntake: true),
            KPICalculator.TicketRecord(id: "t4", receivedAt: at("2026-11-03T01:00:00Z"), isRepeat: true),
        ]
        let a1 = KPICalculator.AssignmentRecord(id: "a1", leadUnit: "u1", dispatchedAt: at("2026-11-02T10:00:00Z"), responseDue: at("2026-11-02T12:00:00Z"),
                                                replyDue: at("2026-11-05T16:00:00Z"), acceptedAt: at("2026-11-02T11:00:00Z"),
                                                repliedAt: at("2026-11-02T15:00:00Z"))
        let a2 = KPICalculator.AssignmentRecord(id: "a2", leadUnit: "u1", dispatchedAt: at("2026-11-02T10:00:00Z"), responseDue: at("2026-11-02T12:00:00Z"),
                                                replyDue: at("2026-11-05T16:00:00Z"), acceptedAt: at("2026-11-02T13:00:00Z"),
                                                repliedAt: at("2026-11-02T16:00:00Z"))
        // Never replied, its reply due passed: in the backlog. Escalated: out of it.
        let a3 = KPICalculator.AssignmentRecord(id: "a3", leadUnit: "u2", dispatchedAt: at("2026-11-10T01:00:00Z"), responseDue: at("2026-11-10T03:00:00Z"),
                                                replyDue: at("2026-11-13T16:00:00Z"), acceptedAt: nil, repliedAt: nil)
        let a4 = KPICalculator.AssignmentRecord(id: "a4", leadUnit: "u2", dispatchedAt: at("2026-11-10T01:00:00Z"), responseDue: at("2026-11-10T03:00:00Z"),
                                                replyDue: at("2026-11-13T16:00:00Z"), acceptedAt: nil, repliedAt: nil, escalatedAt: at("2026-11-12T01:00:00Z"))
        // Due in the future (now is Nov 20): pending.
        let a5 = KPICalculator.AssignmentRecord(id: "a5", leadUnit: "u1", dispatchedAt: at("2026-11-19T01:00:00Z"), responseDue: at("2026-11-19T03:00:00Z"),
                                                replyDue: at("2026-11-24T16:00:00Z"), acceptedAt: at("2026-11-19T02:00:00Z"), repliedAt: nil)
        facts.assignments = [a1, a2, a3, a4, a5]
        facts.backlog = [a3, a4]
        facts.callbacks = [KPICalculator.CallbackRecord(assignment: "a1", leadUnit: "u1", completedAt: at("2026-11-04T01:00:00Z"), reached: true,
                                                        resolved: true, satisfaction: "satisfied")]
        facts.callbackDues = [
            KPICalculator.CallbackDue(assignment: "a1", leadUnit: "u1", due: at("2026-11-04T16:00:00Z"), doneAt: at("2026-11-04T01:00:00Z")),
            KPICalculator.CallbackDue(assignment: "a2", leadUnit: "u1", due: at("2026-11-04T16:00:00Z"), doneAt: at("2026-11-05T01:00:00Z")),
            KPICalculator.CallbackDue(assignment: "a9", leadUnit: "u1", due: at("2026-11-25T16:00:00Z"), doneAt: nil),
        ]
        facts.returns = [KPICalculator.ReturnRecord(dispute: "d1", leadUnit: "u2", requestedAt: at("2026-11-11T01:00:00Z"))]
        facts.reopenings = [KPICalculator.ReopenRecord(id: "t2#2", leadUnit: "u1", at: at("2026-11-06T01:00:00Z"))]
        let now = at("2026-11-20T00:00:00Z")
        let all = KPICalculator.figures(period: p, unit: nil, now: now, facts)
        func f(_ id: String, _ figures: [KPICalculator.Figure]? = nil) -> KPICalculator.Figure { (figures ?? all).first { $0.id == id }! }
        #expect(f("received").value == 4)
        #expect(f("assignments").value == 5)
        // a1 in time, a2 late, a3 and a4 never; a5 in time (its response due is past): 2 of 5, nothing pending.
        #expect(f("response_rate").numerator == 2 && f("response_rate").denominator == 5 && f("response_rate").pending == 0)
        // Reply: a1 and a2 in time; a3 and a4 late; a5 due on the 24th and not replied: pending.
        #expect(f("on_time_rate").numeratorIDs == ["a1", "a2"] && f("on_time_rate").denominator == 4 && f("on_time_rate").pending == 1)
        #expect(f("on_time_rate").final == false, "the month's last deadline is still ahead")
        #expect(f("return_rate").numeratorIDs == ["d1"] && f("return_rate").denominator == 5 && f("return_rate").value == 0.2)
        #expect(f("rehandle_rate").numeratorIDs == ["t2#2"] && f("rehandle_rate").denominatorIDs == ["a1", "a2"] && f("rehandle_rate").value == 0.5)
        #expect(f("callback_rate").numeratorIDs == ["a1"] && f("callback_rate").denominator == 2 && f("callback_rate").pending == 1)
        // Same day: t1 (replied the same local day) and t3 (closed at intake); not t2; t4 is a repeat.
        #expect(f("same_day_rate").numeratorIDs == ["t1", "t3"] && f("same_day_rate").denominator == 3)
        // Handling: a1 5 h, a2 6 h.
        #expect(f("avg_handling_hours").value == 5.5 && f("avg_handling_hours").denominator == 2)
        #expect(f("overdue_backlog").numeratorIDs == ["a3"])
        // Composite: 100 × (0.2×0.4 + 0.2×0.5 + 0.3×1 + 0.3×1) / 1.0 = 78.
        #expect(f("composite").value == 78)
        let u2 = KPICalculator.figures(period: p, unit: "u2", now: now, facts)
        #expect(f("response_rate", u2).value == 0 && f("resolution_rate", u2).value == nil)
        // Only the response and on-time rates count for u2 (both 0): 100 × 0 = 0.
        #expect(f("composite", u2).value == 0)
        #expect(KPICalculator.figures(period: p, unit: "nobody", now: now, facts).first { $0.id == "composite" }?.value == nil)
        // By a ticket's own field: only what its tickets are.
        var tagged = facts
        tagged.tickets = facts.tickets.map { t in
            KPICalculator.TicketRecord(id: t.id, receivedAt: t.receivedAt, isRepeat: t.isRepeat, firstReplyAt: t.firstReplyAt,
                                       closedAtIntake: t.closedAtIntake, attributes: ["channel": t.id == "t1" ? "wechat" : "phone_12345"])
        }
        tagged.assignments = facts.assignments.map { a in
            KPICalculator.AssignmentRecord(id: a.id, leadUnit: a.leadUnit, dispatchedAt: a.dispatchedAt, responseDue: a.responseDue, replyDue: a.replyDue,
                                           acceptedAt: a.acceptedAt, repliedAt: a.repliedAt, escalatedAt: a.escalatedAt,
                                           attributes: ["channel": a.id == "a1" ? "wechat" : "phone_12345"])
        }
        let wechat = KPICalculator.figures(period: p, scope: .field("channel", "wechat"), now: now, tagged)
        #expect(f("received", wechat).numeratorIDs == ["t1"] && f("assignments", wechat).numeratorIDs == ["a1"])
        #expect(f("response_rate", wechat).value == 1)
        // Once the month is over every deadline is decided and the figures final.
        let later = KPICalculator.figures(period: p, unit: nil, now: at("2026-12-05T00:00:00Z"), facts)
        #expect(f("on_time_rate", later).final == true && f("on_time_rate", later).pending == 0 && f("on_time_rate", later).denominator == 5)
    }

    /// An approved return and an unreachable citizen, by hand (kpi.md's conventions): the
    /// returned assignment counts in `assignments` and the return rate only; a callback found
    /// unreachable by its due is a callback done, and is in no resolution or satisfaction rate.
    @Test func approvedReturnsAndUnreachableCallbacks() throws {
        let p = try #require(KPICalculator.period("2026-11", zone: zone))
        var facts = KPICalculator.Facts()
        // u1 was wrongly dispatched: it asked to return and the centre approved; u2 took it over.
        let returned = KPICalculator.AssignmentRecord(id: "a1", leadUnit: "u1", dispatchedAt: at("2026-11-03T01:00:00Z"),
                                                      responseDue: at("2026-11-03T03:00:00Z"), replyDue: at("2026-11-06T16:00:00Z"),
                                                      acceptedAt: nil, repliedAt: nil, approvedReturn: true)
        let successor = KPICalculator.AssignmentRecord(id: "a2", leadUnit: "u2", dispatchedAt: at("2026-11-03T05:00:00Z"),
                                                       responseDue: at("2026-11-03T07:00:00Z"), replyDue: at("2026-11-06T16:00:00Z"),
                                                       acceptedAt: at("2026-11-03T06:00:00Z"), repliedAt: at("2026-11-04T05:00:00Z"))
        facts.assignments = [returned, successor]
        facts.backlog = [returned, successor]
        facts.returns = [KPICalculator.ReturnRecord(dispute: "d1", leadUnit: "u1", requestedAt: at("2026-11-03T02:00:00Z"))]
        // Three attempts, none reached: declared unreachable before the due.
        facts.callbackDues = [KPICalculator.CallbackDue(assignment: "a2", leadUnit: "u2", due: at("2026-11-06T16:00:00Z"),
                                                        doneAt: at("2026-11-05T08:00:00Z"))]
        let now = at("2026-12-02T00:00:00Z")
        func f(_ id: String, _ unit: String?) -> KPICalculator.Figure {
            KPICalculator.figures(period: p, unit: unit, now: now, facts).first { $0.id == id }!
        }
        // u1: one assignment, one return; no rate (its only assignment was wrongly sent), no backlog.
        #expect(f("assignments", "u1").value == 1 && f("return_rate", "u1").value == 1)
        #expect(f("response_rate", "u1").denominator == 0 && f("response_rate", "u1").value == nil && f("on_time_rate", "u1").value == nil)
        #expect(f("overdue_backlog", "u1").value == 0 && f("composite", "u1").value == nil)
        // u2: responded and replied in time; the callback was done (unreachable) by its due.
        #expect(f("response_rate", "u2").value == 1 && f("on_time_rate", "u2").value == 1)
        #expect(f("callback_rate", "u2").numeratorIDs == ["a2"] && f("callback_rate", "u2").value == 1)
        #expect(f("resolution_rate", "u2").denominator == 0 && f("satisfaction_rate", "u2").value == nil)
        // Composite from the two rates there are: 100 × (0.2 × 1 + 0.2 × 1) / 0.4 = 100.
        #expect(f("composite", "u2").value == 100)
        // The county: two assignments, one return request: 0.5; one response decided, in time.
        #expect(f("assignments", nil).value == 2 && f("return_rate", nil).value == 0.5 && f("response_rate", nil).numerator == 1
                && f("response_rate", nil).denominator == 1)
        // Handling time: a2 took 24 hours from dispatch to reply.
        #expect(f("avg_handling_hours", nil).value == 24)
    }
}
