import FoundationEssentials
import HotlineCore
import Synchronization

/// How long a unit has, as written in `sla.json`:
/// `minutes(30)`, `hours(2)`, `days(5)`, `workingDays(3)`, `sameDay(4h)`.
public enum DeadlineRule: Sendable, Equatable, CustomStringConvertible {
    /// Elapsed clock time.
    case elapsed(TimeInterval)
    /// End of the n-th calendar day after the start date.
    case days(Int)
    /// End (24:00 local) of the n-th working day after the start date; the start date itself
    /// is never counted, whatever it is.
    case workingDays(Int)
    /// End of the start date, but never less than `minimum` after the start.
    case sameDay(minimum: TimeInterval)

    public static func parse(_ text: String) -> DeadlineRule? {
        // The few texts of the county's SLA come back with every deadline event: each is
        // parsed once (Foundation's trimming alone was a fifth of supervision's event work).
        if let known = parsed.withLock({ $0[text] }) { return known }
        let rule = parseText(text)
        parsed.withLock { cache in
            if cache.count >= 256 { cache.removeAll() }  // bounded, whatever the stored texts
            cache[text] = rule
        }
        return rule
    }

    private static let parsed = Mutex<[String: DeadlineRule?]>([:])

    private static func parseText(_ text: String) -> DeadlineRule? {
        let t = text.trimmingWhitespace()
        guard let open = t.firstIndex(of: "("), t.hasSuffix(")") else { return nil }
        let name = String(t[..<open])
        let argument = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
        switch name {
        case "minutes": return Int(argument).flatMap { $0 > 0 ? .elapsed(Double($0) * 60) : nil }
        case "hours": return Int(argument).flatMap { $0 > 0 ? .elapsed(Double($0) * 3600) : nil }
        case "days": return Int(argument).flatMap { $0 > 0 ? .days($0) : nil }
        case "workingDays": return Int(argument).flatMap { $0 > 0 ? .workingDays($0) : nil }
        case "sameDay":
            if argument.isEmpty { return .sameDay(minimum: 0) }
            return DurationText.parse(argument).map { .sameDay(minimum: $0) }
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .elapsed(let s): return s.truncatingRemainder(dividingBy: 3600) == 0 ? "hours(\(Int(s / 3600)))" : "minutes(\(Int(s / 60)))"
        case .days(let n): return "days(\(n))"
        case .workingDays(let n): return "workingDays(\(n))"
        case .sameDay(let m): return "sameDay(\(Int(m / 60))m)"
        }
    }

    /// The deadline for something that started at `start`.
    public func deadline(from start: Date, calendar: WorkingCalendar, zone: TimeZone) -> Date {
        let startDay = LocalDate.day(of: start, in: zone)
        switch self {
        case .elapsed(let seconds): return start.addingTimeInterval(seconds)
        case .days(let n): return LocalDate.end(of: startDay + n, in: zone)
        case .workingDays(let n): return LocalDate.end(of: calendar.workingDay(n, after: startDay), in: zone)
        case .sameDay(let minimum): return max(LocalDate.end(of: startDay, in: zone), start.addingTimeInterval(minimum))
        }
    }
}

/// SLA policies and how one is chosen for a ticket.
public struct SLAConfig: Codable, Sendable {
    public struct Policy: Codable, Sendable {
        public let id: String
        public let name: String
        /// Which tickets it applies to; absent fields match anything.
        public let match: Match
        public let response: String
        public let reply: String
    }

    public struct Match: Codable, Sendable {
        public let channel: String?
        public let kind: String?
        public let urgency: String?
        public let enterprise: Bool?
        /// Utility categories (water, power, gas, heating).
        public let utility: Bool?

        /// How many fields it pins down (more specific policies win).
        var specificity: Int {
            [channel != nil, kind != nil, urgency != nil, enterprise != nil, utility != nil].filter { $0 }.count
        }
    }

    public let policies: [Policy]
    /// Assisting units' response obligation.
    public let assistResponse: String
    /// How long after a reply the callback is due.
    public let callbackWithin: String
    /// Extensions the centre may approve for one assignment (DI-4); beyond, a unit cannot ask.
    public let maxExtensions: Int
    /// How long the escalation ladder waits before its next level (SU-4); absent: one working day.
    public let ladderInterval: String?
    /// The sliding window of hotspot clusters (SU-5), e.g. `24h`; absent: 24 hours.
    public let hotspotWindow: String?

    /// The share of closed tickets sampled for spot checks per unit and week (SU-7); absent: 0.1.
    public let spotCheckRate: Double?

    /// Failed attempts after which a callback is unreachable (CB-2); absent: 3.
    public let callbackAttempts: Int?
    /// The least time between two failed attempts, e.g. `2h`; absent: 2 hours.
    public let callbackSpacing: String?
    /// How long an agent's claim on a callback lasts, e.g. `15m`; absent: 15 minutes.
    public let callbackClaim: String?
    /// The share of consultations closed at intake sampled for a callback (CB-4); absent: 0.1.
    public let intakeCallbackRate: Double?
    /// How long after a month ends (on the service clock) its KPI report is published (KP-4),
    /// e.g. `3d`; absent: 3 days.
    public let reportPublishAfter: String?

    /// When a callback is due after the reply: a deadline rule (`workingDays(2)`) or a plain
    /// duration (`48h`, elapsed).
    public var callbackRule: DeadlineRule? {
        DeadlineRule.parse(callbackWithin) ?? DurationText.parse(callbackWithin).flatMap { $0 > 0 ? .elapsed($0) : nil }
    }
    public var callbackMaxAttempts: Int { callbackAttempts ?? 3 }
    public var callbackSpacingSeconds: TimeInterval { callbackSpacing.flatMap(DurationText.parse) ?? 7_200 }
    public var callbackClaimSeconds: TimeInterval { callbackClaim.flatMap(DurationText.parse) ?? 900 }
    public var intakeCallbackShare: Double { intakeCallbackRate ?? 0.1 }
    public var reportDelaySeconds: TimeInterval { reportPublishAfter.flatMap(DurationText.parse) ?? 259_200 }

    /// The spot-check sampling rate in use.
    public var spotCheckShare: Double { spotCheckRate ?? 0.1 }

    /// The hotspot window in seconds.
    public var hotspotSeconds: TimeInterval { hotspotWindow.flatMap(DurationText.parse) ?? 86_400 }

    /// The ladder's interval as a rule.
    public var ladderRule: DeadlineRule { ladderInterval.flatMap(DeadlineRule.parse) ?? .workingDays(1) }

    enum CodingKeys: String, CodingKey {
        case policies
        case assistResponse = "assist_response"
        case callbackWithin = "callback_within"
        case maxExtensions = "max_extensions"
        case ladderInterval = "ladder_interval"
        case hotspotWindow = "hotspot_window"
        case spotCheckRate = "spot_check_rate"
        case callbackAttempts = "callback_attempts"
        case callbackSpacing = "callback_spacing"
        case callbackClaim = "callback_claim"
        case intakeCallbackRate = "intake_callback_rate"
        case reportPublishAfter = "report_publish_after"
    }

    /// The most specific policy matching channel × kind × urgency (× enterprise, utility); ties go to
    /// the earlier entry. Falls back to the channel's default policy.
    public func select(channel: String, kind: String, urgency: String, enterprise: Bool, utility: Bool,
                       channelDefault: String) -> Policy? {
        let candidates = policies.enumerated().filter { _, p in
            (p.match.channel == nil || p.match.channel == channel) && (p.match.kind == nil || p.match.kind == kind)
                && (p.match.urgency == nil || p.match.urgency == urgency)
                && (p.match.enterprise == nil || p.match.enterprise == enterprise)
                && (p.match.utility == nil || p.match.utility == utility) && p.match.specificity > 0
        }
        if let best = candidates.max(by: { a, b in
            a.element.match.specificity != b.element.match.specificity
                ? a.element.match.specificity < b.element.match.specificity : a.offset > b.offset
        }) {
            return best.element
        }
        return policies.first { $0.id == channelDefault }
    }
}
