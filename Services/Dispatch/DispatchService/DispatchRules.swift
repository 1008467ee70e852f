import HotlineDomain

/// Dispatch's decisions as pure functions of (state, input).
public enum DispatchRules {
    public enum Routing: Equatable, Sendable {
        /// To `leads` (several only in joint mode, the first named first), with `assists`
        /// helping the first lead.
        case dispatch(leads: [String], assists: [String], tier: Int, mode: DispatchMode)
        case queue(reason: String)
    }

    /// Where a new ticket goes: the responsibility catalogue, or the manual queue.
    public static func route(category: String, region: String?, catalogue: ResponsibilityCatalogue, county: CountyConfig)
        -> Routing
    {
        guard let decision = catalogue.route(category: category, regionCode: region) else {
            return .queue(reason: "no responsibility rule for \(category)" + (region.map { " in \($0)" } ?? ""))
        }
        let lead = decision.leads.first ?? ""
        return .dispatch(leads: decision.leads, assists: decision.assists, tier: county.unit(lead)?.tier ?? 3,
                         mode: DispatchMode(leads: decision.leads.count, assists: decision.assists.count))
    }

    /// Whether a ticket takes the emergency fast track (DI-7): urgency `emergency`, or a
    /// category the county marks as an emergency (water, power, gas, flood, fire, traffic…).
    public static func isEmergency(urgency: String, category: String, county: CountyConfig) -> Bool {
        urgency == "emergency" || county.category(category)?.emergency == true
    }

    /// Where an emergency goes when no rule takes it: the street or town of its place, never
    /// the manual queue. nil only when the place has no street (or no place is given).
    public static func emergencyFallback(region: String?, directory: Directory) -> Routing? {
        guard let region, let street = directory.answering(region, category: nil)?.first(where: { $0.tier == 2 })?.unit else {
            return nil
        }
        return .dispatch(leads: [street], assists: [], tier: 2, mode: .independent)
    }

    public enum AfterCallback: Equatable, Sendable {
        case close(how: String)
        case reopen(reason: String)
    }

    /// Closed when resolved and not unsatisfied; otherwise re-handled by the same lead unit.
    public static func afterCallback(resolved: Bool, satisfaction: String) -> AfterCallback {
        if !resolved { return .reopen(reason: "callback_unresolved") }
        if satisfaction == "unsatisfied" { return .reopen(reason: "callback_unsatisfied") }
        return .close(how: "callback")
    }
}
