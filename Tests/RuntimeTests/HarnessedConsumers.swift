import DispatchService
import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams
import IntakeService
import KPIService
import SupervisionService
import SurveyService
import TestSupport

@testable import DispatchService

/// Every service that follows a stream, under the interleaving harness (README, "Every
/// consumer under the interleaving harness"). `InterleavingTests.everyConsumerIsUnderTheHarness`
/// fails when a service follows a stream and has no entry here.
enum HarnessedConsumers {
    /// The consumers, given the four streams of one history (recorded or generated).
    static func all(_ streams: [String: [Event]]) -> [ConsumerUnderTest] {
        [intake(streams), dispatch(streams), supervision(streams), survey(streams), kpi(streams)]
    }

    /// The names `all` covers, for the rule that every consumer is under the harness.
    static let names: Set<String> = ["intake", "dispatch", "supervision", "survey", "kpi"]

    private static func followed(_ logic: any ServiceLogic, _ streams: [String: [Event]]) -> [String: [Event]] {
        Dictionary(uniqueKeysWithValues: logic.follows.map { ($0, streams[$0] ?? []) })
    }

    /// Intake follows dispatch and supervision into its own tickets, which its HTTP path made:
    /// `prepare` writes those rows as a submission leaves them, from the received events.
    static func intake(_ streams: [String: [Event]]) -> ConsumerUnderTest {
        let make: @Sendable () -> any ServiceLogic = { IntakeService(phoneKey: "harness-key") }
        let received = (streams["intake"] ?? []).filter { $0.type == EventType.ticketReceived }
        return ConsumerUnderTest(make, streams: followed(make(), streams), prepare: { context in
            try await context.transact { tx, _ in
                for e in received {
                    let r = try e.payload(TicketReceived.self)
                    let status = r.closedAtIntake == true ? "closed" : r.repeatOf != nil ? "repeat" : "received"
                    try tx.execute(
                        """
                        INSERT INTO tickets (id, channel, channel_ref, fingerprint, kind, domain, category, urgency, content, anonymous,
                            region, enterprise, attachments, tags, status, received_at, updated_at, repeat_of)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', '[]', ?, ?, ?, ?)
                        """,
                        [.text(e.ticket!), .text(r.channel), .text(r.channelRef), .text("fp-" + r.channelRef), .text(r.kind),
                         .text(r.domain), .text(r.category), .text(r.urgency), .text(r.content), .bool(r.caller.anonymous),
                         .optional(r.location.region), .bool(r.enterprise), .text(status), .text(r.receivedAt), .text(r.receivedAt),
                         .optional(r.repeatOf)])
                }
            }
        })
    }

    /// Dispatch follows intake, survey and supervision; units' accepts and replies and the centre's manual
    /// dispatches are its own commands, replayed from what its stream says they did. A
    /// callback can only reach it after it replied (survey learns of the reply from it).
    static func dispatch(_ streams: [String: [Event]]) -> ConsumerUnderTest {
        let make: @Sendable () -> any ServiceLogic = { DispatchService() }
        let centre = Principal(role: .centre, name: "harness")
        var commands: [HarnessCommand] = []
        for e in streams["dispatch"] ?? [] {
            switch e.type {
            case EventType.ticketDispatched:
                // One command per dispatch: a joint dispatch announces each lead, the first one first.
                guard let d = try? e.payload(TicketDispatched.self), d.by == "centre", let ticket = e.ticket,
                    d.leadUnit == d.jointLeads?.first ?? d.leadUnit
                else { continue }
                commands.append(HarnessCommand("dispatch:\(ticket)", isReady: { tx in
                    try tx.queryOne("SELECT status FROM tickets WHERE id = ?", [.text(ticket)])?.string("status") == "queued"
                }, run: { context in
                    _ = try await DispatchService.dispatchByHand(ticket: ticket, leads: d.jointLeads ?? [d.leadUnit], assists: d.assistingUnits, context)
                }))
            case EventType.returnRequested:
                guard let r = try? e.payload(ReturnRequested.self) else { continue }
                let principal = Principal(role: .unit, name: r.by.staff, unit: r.unit)
                commands.append(HarnessCommand("return:\(r.assignment.prefix(10))", isReady: { tx in
                    ["dispatched", "accepted", "paused"].contains(
                        try tx.queryOne("SELECT status FROM assignments WHERE id = ?", [.text(r.assignment)])?.string("status") ?? "")
                }, run: { context in
                    _ = try await AssignmentActions.perform(r.assignment, .requestReturn, .returnRequest(reason: r.reason), by: principal, context)
                }))
            case EventType.disputeDecided:
                guard let d = try? e.payload(DisputeDecided.self) else { continue }
                let decision = AssignmentActions.ReturnDecision(dispute: d.dispute, lead: d.newLead, jointLeads: Array((d.jointLeads ?? []).dropFirst()),
                                                                assists: d.assistingUnits, note: d.note,
                                                                panel: d.panel, boundaryRegion: d.boundaryRule.map { $0.region })
                commands.append(HarnessCommand("decide:\(d.dispute.prefix(10))", isReady: { tx in
                    try tx.queryOne("SELECT status FROM disputes WHERE id = ?", [.text(d.dispute)])?.string("status") == "open"
                }, run: { context in
                    _ = try await AssignmentActions.perform(d.assignment, d.approved ? .approveReturn : .rejectReturn, .returnDecision(decision),
                                                            by: centre, context)
                }))
            case EventType.escalationRequested, EventType.escalationRejected, EventType.ticketEscalated:
                let assignment = e.data["assignment"]?.stringValue ?? ""
                let unit = e.data["unit"]?.stringValue ?? e.data["from_unit"]?.stringValue ?? ""
                let reason = e.data["reason"]?.stringValue
                let (action, principal, ready): (AssignmentWorkflow.Action, Principal, @Sendable (Row) -> Bool) = switch e.type {
                case EventType.escalationRequested:
                    (.requestEscalation, Principal(role: .unit, name: e.data["by"]?["staff"]?.stringValue ?? "", unit: unit),
                     { ["dispatched", "accepted", "paused"].contains($0.string("status") ?? "") && !$0.bool("escalation_pending") })
                case EventType.escalationRejected: (.rejectEscalation, centre, { $0.bool("escalation_pending") })
                default:
                    // Approving a unit's request waits for it; the centre's own escalation does not.
                    (.escalate, centre, { [requested = e.data["requested_by"]?.stringValue == "unit"] row in
                        ["dispatched", "accepted", "paused"].contains(row.string("status") ?? "") && (!requested || row.bool("escalation_pending"))
                    })
                }
                commands.append(HarnessCommand("\(action.rawValue):\(assignment.prefix(10))", isReady: { tx in
                    try tx.queryOne("SELECT status, escalation_pending FROM assignments WHERE id = ?", [.text(assignment)]).map(ready) ?? false
                }, run: { context in
                    _ = try await AssignmentActions.perform(assignment, action, .escalation(reason: reason), by: principal, context)
                }))
            case EventType.assistResponded:
                guard let r = try? e.payload(AssistResponded.self) else { continue }
                let principal = Principal(role: .unit, name: r.by.staff, unit: r.unit)
                commands.append(HarnessCommand("assist:\(r.assignment.prefix(10))", isReady: { tx in
                    try tx.queryOne("SELECT status FROM assignments WHERE id = ?", [.text(r.assignment)]) != nil
                }, run: { context in
                    _ = try await AssistRoutes.respond(r.assignment, contribution: r.contribution, by: principal, unit: r.unit, context)
                }))
            case EventType.catalogueRuleRetired:
                guard let r = try? e.payload(CatalogueRuleChanged.self) else { continue }
                let principal = Principal(role: .centre, name: r.by.staff)
                commands.append(HarnessCommand("retire:\(r.rule.prefix(10))", isReady: { tx in
                    try tx.queryOne("SELECT retired_at FROM catalogue_rules WHERE id = ?", [.text(r.rule)]).map { $0.string("retired_at") == nil } ?? false
                }, run: { context in
                    _ = try await CatalogueRoutes.retire(r.rule, by: principal, context)
                }))
            case EventType.assignmentAccepted, EventType.ticketReplied, EventType.assignmentReplied, EventType.assignmentPaused,
                 EventType.assignmentResumed,
                 EventType.extensionRequested, EventType.extensionDecided:
                guard let assignment = e.data["assignment"]?.stringValue, let unit = e.data["unit"]?.stringValue else { continue }
                // The command as it was given: by the unit or by the centre (events before `by` was recorded: the centre).
                let byUnit = e.data["by"]?["role"]?.stringValue == "unit"
                let principal = byUnit ? Principal(role: .unit, name: e.data["by"]?["staff"]?.stringValue ?? "", unit: unit) : centre
                let (action, input, from): (AssignmentWorkflow.Action, AssignmentActions.Input, Set<String>)
                switch e.type {
                case EventType.assignmentAccepted: (action, input, from) = (.accept, .none, ["dispatched"])
                case EventType.ticketReplied:
                    // The lead's own words: a composed reply lists them per part.
                    let r = try? e.payload(TicketReplied.self)
                    let own = r?.parts?.first { $0.assignment == assignment }
                    (action, input, from) = (.reply, .reply(own?.result ?? r?.result ?? "", attachments: (own == nil ? r?.attachments : own?.attachments) ?? []),
                                             ["accepted"])
                case EventType.assignmentReplied:
                    let r = try? e.payload(AssignmentReplied.self)
                    (action, input, from) = (.reply, .reply(r?.result ?? "", attachments: r?.attachments ?? []), ["accepted"])
                case EventType.assignmentPaused:
                    (action, input, from) = (.pause, .pause(missing: (try? e.payload(AssignmentPaused.self))?.missing ?? ""), ["accepted"])
                case EventType.assignmentResumed: (action, input, from) = (.resume, .none, ["paused"])
                case EventType.extensionRequested:
                    let r = try? e.payload(ExtensionRequested.self)
                    (action, input, from) = (.requestExtension, .extensionRequest(until: Timestamp.parse(r?.until ?? "") ?? .distantFuture,
                                                                                  reason: r?.reason ?? ""), ["accepted", "paused"])
                default:
                    let d = try? e.payload(ExtensionDecided.self)
                    (action, input, from) = (d?.approved == true ? .approveExtension : .rejectExtension, .decision(note: d?.note),
                                             ["accepted", "paused", "replied"])
                }
                commands.append(HarnessCommand("\(action.rawValue):\(assignment.prefix(10))", isReady: { tx in
                    guard let row = try tx.queryOne("SELECT status, extension_pending FROM assignments WHERE id = ?", [.text(assignment)]),
                        from.contains(row.string("status") ?? "")
                    else { return false }
                    // A decision waits for its request.
                    return action != .approveExtension && action != .rejectExtension || row.bool("extension_pending")
                }, run: { context in
                    _ = try await AssignmentActions.perform(assignment, action, input, by: principal, context)
                }))
            default: continue
            }
        }
        return ConsumerUnderTest(make, streams: followed(make(), streams), commands: commands, isReady: { event, tx in
            if event.type == EventType.spotCheckRecorded {
                // Supervision samples closed tickets (it learns of the closing from dispatch).
                return try tx.queryOne("SELECT status FROM tickets WHERE id = ?", [.text(event.ticket ?? "")])?.string("status") == "closed"
            }
            guard let assignment = event.data["assignment"]?.stringValue else { return true }
            let row = try tx.queryOne("SELECT replied_at FROM assignments WHERE id = ?", [.text(assignment)])
            // Supervision sets deadlines for what dispatch announced; callbacks follow a reply.
            return event.stream == "supervision" ? row != nil : row?.string("replied_at") != nil
        })
    }

    static func supervision(_ streams: [String: [Event]]) -> ConsumerUnderTest {
        let make: @Sendable () -> any ServiceLogic = { SupervisionService() }
        return ConsumerUnderTest(make, streams: followed(make(), streams))
    }

    static func survey(_ streams: [String: [Event]]) -> ConsumerUnderTest {
        let make: @Sendable () -> any ServiceLogic = { SurveyService() }
        return ConsumerUnderTest(make, streams: followed(make(), streams))
    }

    static func kpi(_ streams: [String: [Event]]) -> ConsumerUnderTest {
        let make: @Sendable () -> any ServiceLogic = { KPIService() }
        return ConsumerUnderTest(make, streams: followed(make(), streams))
    }
}
