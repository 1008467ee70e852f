import FoundationEssentials
import HotlineCore
import HotlineDomain

/// The callback's decisions as pure functions (CB-1, CB-2, CB-4): when it is due, who may
/// work on it, what an attempt or an outcome does, and which consultations are sampled.
public enum CallbackRules {
    public enum Status: String, Sendable, CaseIterable {
        case scheduled
        case completed
        case unreachable
    }

    /// What the rules need of a callback.
    public struct State: Sendable, Equatable {
        public var status: Status
        public var attempts: Int
        public var lastAttemptAt: Date?
        public var claimedBy: String?
        public var claimExpiresAt: Date?

        public init(status: Status, attempts: Int = 0, lastAttemptAt: Date? = nil, claimedBy: String? = nil, claimExpiresAt: Date? = nil) {
            self.status = status
            self.attempts = attempts
            self.lastAttemptAt = lastAttemptAt
            self.claimedBy = claimedBy
            self.claimExpiresAt = claimExpiresAt
        }

        /// The agent holding a live claim at `now`, if any.
        public func holder(at now: Date) -> String? {
            guard let claimedBy, let expires = claimExpiresAt, expires > now else { return nil }
            return claimedBy
        }
    }

    public struct Policy: Sendable, Equatable {
        public let maxAttempts: Int
        public let spacing: TimeInterval
        public let claim: TimeInterval

        public init(maxAttempts: Int, spacing: TimeInterval, claim: TimeInterval) {
            self.maxAttempts = maxAttempts
            self.spacing = spacing
            self.claim = claim
        }

        public init(_ sla: SLAConfig) {
            self.init(maxAttempts: sla.callbackMaxAttempts, spacing: sla.callbackSpacingSeconds, claim: sla.callbackClaimSeconds)
        }
    }

    /// What an agent records: reached (with resolved, satisfaction, comment), or not reached.
    public enum Report: Sendable, Equatable {
        case reached(resolved: Bool, satisfaction: String)
        case notReached
    }

    public enum Step: Sendable, Equatable {
        /// The citizen answered: the callback is completed.
        case completed(attempts: Int)
        /// Not reached; more attempts are allowed (the next not before `nextAt`).
        case attempted(attempt: Int, nextAt: Date)
        /// Not reached for the last allowed time: unreachable.
        case unreachable(attempts: Int)
    }

    public enum Refusal: Error, Sendable, Equatable {
        /// It is completed or unreachable already.
        case closed(Status)
        /// Another agent holds it until the given time.
        case claimed(by: String, until: Date)
        /// A failed attempt too soon after the last one: the next is allowed at the given time.
        case tooSoon(next: Date)
    }

    /// The step a report by `agent` at `now` takes the callback to, or why it is refused.
    public static func record(_ state: State, _ report: Report, by agent: String, at now: Date, policy: Policy) -> Result<Step, Refusal> {
        guard state.status == .scheduled else { return .failure(.closed(state.status)) }
        if let holder = state.holder(at: now), holder != agent, let until = state.claimExpiresAt {
            return .failure(.claimed(by: holder, until: until))
        }
        let attempt = state.attempts + 1
        switch report {
        case .reached:
            return .success(.completed(attempts: attempt))
        case .notReached:
            if let last = state.lastAttemptAt, now < last.addingTimeInterval(policy.spacing) {
                return .failure(.tooSoon(next: last.addingTimeInterval(policy.spacing)))
            }
            if attempt >= policy.maxAttempts { return .success(.unreachable(attempts: attempt)) }
            return .success(.attempted(attempt: attempt, nextAt: now.addingTimeInterval(policy.spacing)))
        }
    }

    /// Whether `agent` may claim the callback at `now`: a scheduled callback nobody else holds.
    /// - Returns: the claim's expiry, or why not.
    public static func claim(_ state: State, by agent: String, at now: Date, policy: Policy) -> Result<Date, Refusal> {
        guard state.status == .scheduled else { return .failure(.closed(state.status)) }
        if let holder = state.holder(at: now), holder != agent, let until = state.claimExpiresAt {
            return .failure(.claimed(by: holder, until: until))
        }
        return .success(now.addingTimeInterval(policy.claim))
    }

    /// When a callback is due after a reply at `repliedAt`.
    public static func due(repliedAt: Date, rule: DeadlineRule, calendar: WorkingCalendar, zone: TimeZone) -> Date {
        rule.deadline(from: repliedAt, calendar: calendar, zone: zone)
    }

    /// Whether a consultation closed at intake is called back (CB-4): a hash of the ticket id
    /// below `rate`, so nobody can steer which are picked.
    public static func isSampled(ticket: String, rate: Double) -> Bool {
        HashSample.contains("intake-callback\n\(ticket)", rate: rate)
    }
}
