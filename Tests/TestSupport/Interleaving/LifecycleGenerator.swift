import Foundation
import HotlineCore
import HotlineDomain
import HotlineStreams

/// Generated histories for the interleaving harness: tickets of the sample county through
/// their whole life — received, repeats and closures at intake, dispatched, accepted late or
/// in time or never, replied or not, deadlines set and missed, callbacks completed (resolved
/// or not, satisfied or not), unreachable or anonymous, re-handled in new rounds — as the
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
    public static func assignmentID(ticket: String, round: Int) -> String {
        "A-" + NamedUUID.make("assignment\n\(ticket)\n\(round)")
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
        for i in 0..<tickets {
            let received = start.addingTimeInterval(Double(i) * 300 + Double.random(in: 0..<200, using: &rng))
            let ticket = String(format: "T%08d-%016llx", i, rng.next() & 0xFFFF_FFFF_FFFF)
            let rule = county.responsibilities.randomElement(using: &rng)!
            let region = rule.region ?? county.regions.randomElement(using: &rng)!.code
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
                let assignment = Self.assignmentID(ticket: ticket, round: round)
                let lead = rule.lead
                try add("dispatch", at, EventType.ticketDispatched, ticket, TicketDispatched(
                    assignment: assignment, round: round, tier: county.unit(lead)?.tier ?? 3, mode: "independent", leadUnit: lead,
                    assistingUnits: [], by: round == 1 ? "rule" : "rehandling", channel: channel, kind: kind, urgency: urgency,
                    category: rule.category, enterprise: false))
                if round == 1, county.category(rule.category)?.emergency == true {
                    // DI-7: dispatch tells the linked units at the moment it dispatches.
                    try add("dispatch", at, EventType.ticketEmergencyNotified, ticket, EmergencyNotified(
                        assignment: assignment, leadUnit: lead, units: county.county.emergencyLinks.filter { $0 != lead },
                        category: rule.category, urgency: urgency))
                }
                let responseDue = at.addingTimeInterval(2 * 3600)
                let replyDue = at.addingTimeInterval(3 * 86400)
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
                guard let replied else { break }
                try add("dispatch", replied, EventType.ticketReplied, ticket, TicketReplied(
                    assignment: assignment, unit: lead, result: "已处理 \(i)/\(round)", callerAnonymous: anonymous))
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
                guard let reason = reopenReason(resolved, satisfaction) else {
                    try add("dispatch", called.addingTimeInterval(1), EventType.ticketClosed, ticket, TicketClosed(how: "callback"))
                    break
                }
                round += 1
                try add("dispatch", called.addingTimeInterval(1), EventType.ticketReopened, ticket, TicketReopened(reason: reason, round: round))
                at = called.addingTimeInterval(1.5)
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
