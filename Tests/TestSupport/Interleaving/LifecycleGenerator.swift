import Foundation
import HotlineCore
import HotlineDomain
import HotlineStreams

/// Generated histories for the interleaving harness: tickets of the sample county through
/// their whole life — received, repeats and closures at intake, dispatched, accepted late or
/// in time or never, replied or not, deadlines set and missed, callbacks completed (resolved
/// or not, satisfied or not), unreachable or anonymous, re-handled in new rounds (after a
/// callback or a spot check that found the reply falsified), joint leads each replying for
/// their part — as the
/// four streams intake, dispatch, supervision and survey would carry them, seq and hash
/// chain included. Deterministic by seed.
public struct LifecycleGenerator {
    public let county: CountyConfig
    public let start: Date
    /// Dispatch's rule after a callback: the reason to reopen, or nil to close (the service's
    /// own pure function, passed in so the generated history follows it).
    public let reopenReason: @Sendable (_ resolved: Bool, _ satisfaction: String) -> String?

    public init(county: CountyConfig, start: Date, reopenReason: @escaping @Sendable (Bool, String) -> String?) {
        self.county = county
        self.start = start
        self.reopenReason = reopenReason
    }

    /// The id dispatch gives the assignment of `ticket` in `round`.
    public static func assignmentID(ticket: String, round: Int, index: Int = 0) -> String {
        AssignmentID.make(ticket: ticket, round: Int64(round), index: index)
    }

    private struct Pending {
        let stream: String
        let at: Date
        let order: Int
        let type: String
        let ticket: String
        let data: JSONValue
    }

    /// `tickets` tickets over about `tickets × 5` minutes; every stream ordered by time.
    public func streams(tickets: Int, seed: UInt64) throws -> [String: [Event]] {
        var rng = SeededGenerator(seed: seed)
        var pending: [Pending] = []
        func add<P: Encodable>(_ stream: String, _ at: Date, _ type: String, _ ticket: String, _ payload: P) throws {
            pending.append(Pending(stream: stream, at: at, order: pending.count, type: type, ticket: ticket,
                                   data: try JSONCoding.valueAndText(payload).0))
        }
        func hours(_ range: ClosedRange<Double>) -> TimeInterval { Double.random(in: range, using: &rng) * 3600 }
        var earlier: [String] = []
        // Every tenth ticket from the sixth on starts a place three more share, so hotspots form.
        var cluster: (rule: CountyConfig.ResponsibilityRule, region: String)?
        let grids = county.regions.filter { $0.level == "grid" }.map(\.code)
        for i in 0..<tickets {
            let received = start.addingTimeInterval(Double(i) * 300 + Double.random(in: 0..<200, using: &rng))
            let ticket = String(format: "T%08d-%016llx", i, rng.next() & 0xFFFF_FFFF_FFFF)
            // Joint rules are few in the catalogue: every seventh ticket takes one, so joint parts are in every history.
            let joint = county.responsibilities.filter { !($0.jointLeads ?? []).isEmpty }
            var rule = i % 7 == 3 && !joint.isEmpty ? joint.randomElement(using: &rng)! : county.responsibilities.randomElement(using: &rng)!
            var region = rule.region ?? county.regions.randomElement(using: &rng)!.code
            if i % 10 == 5, let grid = grids.randomElement(using: &rng),
                let routed = ResponsibilityCatalogue(county.responsibilities).rule(category: rule.category, regionCode: grid) {
                // The rule dispatch will route a ticket of this category at this grid by.
                rule = CountyConfig.ResponsibilityRule(category: routed.category, region: routed.region, lead: routed.lead,
                                                       assists: routed.assists, jointLeads: routed.jointLeads.isEmpty ? nil : routed.jointLeads)
                region = grid
                cluster = (rule, grid)
            } else if (6...8).contains(i % 10), let c = cluster {
                (rule, region) = c
            }
            let channel = county.channels.randomElement(using: &rng)!.id
            let kind = ["help", "complaint", "report", "suggestion"].randomElement(using: &rng)!
            let urgency = Int.random(in: 0..<10, using: &rng) == 0 ? "urgent" : "normal"
            let anonymous = Int.random(in: 0..<10, using: &rng) == 0
            let fate = Int.random(in: 0..<100, using: &rng)
            let repeatOf = fate < 8 ? earlier.randomElement(using: &rng) : nil
            let closedAtIntake = fate >= 8 && fate < 13
            try add("intake", received, EventType.ticketReceived, ticket, TicketReceived(
                channel: channel, channelRef: "ref-\(i)", kind: closedAtIntake ? "consultation" : kind,
                domain: county.category(rule.category)?.domain ?? "livelihood", category: rule.category, urgency: urgency,
                content: "生成的诉求 \(i)", location: TicketLocation(address: nil, region: region, latitude: nil, longitude: nil),
                enterprise: false, tags: [], caller: .init(name: nil, phone: anonymous ? nil : "138****0000",
                                                           phoneHash: anonymous ? nil : "h\(i)", anonymous: anonymous),
                receivedAt: Timestamp.format(received), repeatOf: repeatOf, closedAtIntake: closedAtIntake ? true : nil))
            earlier.append(ticket)
            if repeatOf != nil { continue }
            if closedAtIntake {
                try add("dispatch", received.addingTimeInterval(1), EventType.ticketClosed, ticket, TicketClosed(how: "intake"))
                continue
            }
            var at = received.addingTimeInterval(Double.random(in: 1...60, using: &rng))
            var round = 1
            while true {
                // One assignment per lead: several in joint mode, the assisting units helping the first.
                let leads = [rule.lead] + (rule.jointLeads ?? [])
                let mode = DispatchMode(leads: leads.count, assists: rule.assists.count)
                let assignments = leads.indices.map { Self.assignmentID(ticket: ticket, round: round, index: $0) }
                for (k, lead) in leads.enumerated() {
                    try add("dispatch", at, EventType.ticketDispatched, ticket, TicketDispatched(
                        assignment: assignments[k], round: round, tier: county.unit(leads[0])?.tier ?? 3, mode: mode.rawValue, leadUnit: lead,
                        assistingUnits: k == 0 ? rule.assists : [], by: round == 1 ? "rule" : "rehandling", channel: channel, kind: kind,
                        urgency: urgency, category: rule.category, enterprise: false, jointLeads: mode == .joint ? leads : nil))
                }
                if round == 1, county.category(rule.category)?.emergency == true {
                    // DI-7: dispatch tells the linked units at the moment it dispatches.
                    try add("dispatch", at, EventType.ticketEmergencyNotified, ticket, EmergencyNotified(
                        assignment: assignments[0], leadUnit: leads[0], units: county.county.emergencyLinks.filter { $0 != leads[0] },
                        category: rule.category, urgency: urgency))
                }
                let responseDue = at.addingTimeInterval(2 * 3600)
                let replyDue = at.addingTimeInterval(3 * 86400)
                var replies: [(at: Date, k: Int)] = []
                for (k, lead) in leads.enumerated() {
                    let assignment = assignments[k]
                    for (which, due) in [("response", responseDue), ("reply", replyDue)] {
                        try add("supervision", at.addingTimeInterval(0.5), EventType.deadlineSet, ticket, DeadlineEvent(
                            assignment: assignment, unit: lead, which: which, due: Timestamp.format(due), policy: "ordinary"))
                    }
                    let behaviour = Int.random(in: 0..<100, using: &rng)
                    let accepted: Date? = behaviour < 10 ? nil : at.addingTimeInterval(hours(0.05...3))
                    let replied: Date? = accepted.flatMap { behaviour < 18 ? nil : $0.addingTimeInterval(hours(0.5...100)) }
                    if let accepted {
                        try add("dispatch", accepted, EventType.assignmentAccepted, ticket, AssignmentAccepted(assignment: assignment, unit: lead))
                    }
                    if accepted.map({ $0 > responseDue }) ?? true {
                        try add("supervision", responseDue, EventType.deadlineMissed, ticket, DeadlineEvent(
                            assignment: assignment, unit: lead, which: "response", due: Timestamp.format(responseDue), policy: "ordinary"))
                    }
                    if replied.map({ $0 > replyDue }) ?? true {
                        try add("supervision", replyDue, EventType.deadlineMissed, ticket, DeadlineEvent(
                            assignment: assignment, unit: lead, which: "reply", due: Timestamp.format(replyDue), policy: "ordinary"))
                    }
                    if let replied { replies.append((replied, k)) }
                }
                replies.sort { ($0.at, $0.k) < ($1.at, $1.k) }
                let text = { (k: Int) in "已处理 \(i)/\(round)/\(k)" }
                for (n, r) in replies.enumerated() where n < leads.count - 1 {
                    // A joint part replied while others are open (the ticket waits for all).
                    let outstanding = leads.indices.filter { k in !replies.prefix(n + 1).contains { $0.k == k } }.map { leads[$0] }
                    try add("dispatch", r.at, EventType.assignmentReplied, ticket, AssignmentReplied(
                        assignment: assignments[r.k], unit: leads[r.k], result: text(r.k), by: ActedBy(staff: "generated", role: "unit"),
                        attachments: nil, outstanding: outstanding))
                }
                guard replies.count == leads.count, let last = replies.last else { break }
                let replied = last.at
                let assignment = assignments[last.k]
                let parts = replies.map { TicketReplied.Part(assignment: assignments[$0.k], unit: leads[$0.k], result: text($0.k), attachments: nil) }
                try add("dispatch", replied, EventType.ticketReplied, ticket, TicketReplied(
                    assignment: assignment, unit: leads[last.k], result: parts.map(\.result).joined(separator: "\n\n"), callerAnonymous: anonymous,
                    by: ActedBy(staff: "generated", role: "unit"), parts: parts.count > 1 ? parts : nil))
                let surveyAt = replied.addingTimeInterval(1)
                if anonymous {
                    try add("survey", surveyAt, EventType.callbackUnreachable, ticket,
                            CallbackUnreachable(assignment: assignment, attempts: 0, reason: "anonymous"))
                    try add("dispatch", surveyAt.addingTimeInterval(1), EventType.ticketClosed, ticket, TicketClosed(how: "no_callback_possible"))
                    break
                }
                let due = replied.addingTimeInterval(2 * 86400)
                try add("survey", surveyAt, EventType.callbackScheduled, ticket,
                        CallbackScheduled(assignment: assignment, due: Timestamp.format(due)))
                let called = surveyAt.addingTimeInterval(hours(1...40))
                if Int.random(in: 0..<10, using: &rng) == 0 {
                    for attempt in 1...2 {
                        try add("survey", called.addingTimeInterval(Double(attempt) * 7200), EventType.callbackAttempted, ticket,
                                CallbackAttempted(assignment: assignment, attempt: attempt))
                    }
                    try add("survey", called.addingTimeInterval(3 * 7200), EventType.callbackUnreachable, ticket,
                            CallbackUnreachable(assignment: assignment, attempts: 3, reason: "unreachable"))
                    try add("dispatch", called.addingTimeInterval(3 * 7200 + 1), EventType.ticketClosed, ticket,
                            TicketClosed(how: "no_callback_possible"))
                    break
                }
                let resolved = Int.random(in: 0..<10, using: &rng) < 8
                let satisfaction = ["satisfied", "satisfied", "basic", "unsatisfied"].randomElement(using: &rng)!
                try add("survey", called, EventType.callbackCompleted, ticket,
                        CallbackCompleted(assignment: assignment, resolved: resolved, satisfaction: satisfaction, comment: nil))
                var reopenAt = called.addingTimeInterval(1)
                var reason = reopenReason(resolved, satisfaction)
                if reason == nil {
                    try add("dispatch", reopenAt, EventType.ticketClosed, ticket, TicketClosed(how: "callback"))
                    // SU-7: now and then a spot check finds the closed ticket's reply falsified or perfunctory.
                    guard round < 3, Int.random(in: 0..<8, using: &rng) == 0 else { break }
                    let outcome = ["falsified", "perfunctory"].randomElement(using: &rng)!
                    let checked = reopenAt.addingTimeInterval(hours(1...20))
                    try add("supervision", checked, EventType.spotCheckRecorded, ticket, SpotCheckRecorded(
                        outcome: outcome, assignment: assignment, note: "抽查", by: ActedBy(staff: "generated", role: "centre")))
                    reopenAt = checked.addingTimeInterval(1)
                    reason = "spot_check_\(outcome)"
                }
                round += 1
                try add("dispatch", reopenAt, EventType.ticketReopened, ticket, TicketReopened(reason: reason ?? "", round: round))
                at = reopenAt.addingTimeInterval(0.5)
            }
        }
        var streams: [String: [Event]] = [:]
        for stream in ["intake", "dispatch", "supervision", "survey"] {
            let ordered = pending.filter { $0.stream == stream }.sorted { ($0.at, $0.order) < ($1.at, $1.order) }
            streams[stream] = try EventChain.build(
                stream: stream, ordered.map { .init(type: $0.type, ticket: $0.ticket, at: Timestamp.format($0.at), data: $0.data) },
                idSeed: String(seed))
        }
        return streams
    }
}
