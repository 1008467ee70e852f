import HotlineDomain
import HotlineHTTP

/// Dispatch's decisions as pure functions of (state, input).
public enum DispatchRules {
    public enum Routing: Equatable, Sendable {
        case dispatch(lead: String, assists: [String], tier: Int, mode: String)
        case queue(reason: String)
    }

    /// Where a new ticket goes: the responsibility catalogue, or the manual queue.
    public static func route(category: String, region: String?, catalogue: ResponsibilityCatalogue, county: CountyConfig)
        -> Routing
    {
        guard let decision = catalogue.route(category: category, regionCode: region) else {
            return .queue(reason: "no responsibility rule for \(category)" + (region.map { " in \($0)" } ?? ""))
        }
        return .dispatch(lead: decision.lead, assists: decision.assists, tier: county.unit(decision.lead)?.tier ?? 3,
                         mode: decision.assists.isEmpty ? "independent" : "lead_assist")
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

    /// The state an assignment moves to, or the problem that refuses the move.
    /// - Parameters:
    ///   - status: the assignment's current status.
    ///   - lead: its lead unit.
    ///   - principal: who asks.
    ///   - action: `accept` or `reply`.
    public static func transition(status: String, lead: String, principal: Principal, action: String) -> Result<String, Problem> {
        // DI-8: a unit acts on its own assignments only; the centre acts on all. Another
        // unit's assignment is not found, as on GET: the answer must not reveal that it exists.
        if principal.role == .unit && principal.unit != lead {
            return .failure(.notFound("no such assignment"))
        }
        switch (action, status) {
        case ("accept", "dispatched"): return .success("accepted")
        case ("accept", _): return .failure(.conflict("cannot accept an assignment that is \(status)"))
        case ("reply", "accepted"): return .success("replied")
        case ("reply", "dispatched"): return .failure(.conflict("accept the assignment before replying"))
        case ("reply", _): return .failure(.conflict("cannot reply to an assignment that is \(status)"))
        default: return .failure(.badRequest("unknown action \(action)"))
        }
    }
}
