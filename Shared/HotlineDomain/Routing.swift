/// The responsibility catalogue (职责清单): category × region → lead unit and assists.
///
/// Two lists: the county's configuration, and the boundary list (边界清单) — rules a
/// dispute decision added so that the same dispute does not recur. A boundary rule takes
/// precedence over every configured rule; within a list the most specific region wins.
public struct ResponsibilityCatalogue: Sendable {
    /// One rule, with where it comes from.
    public struct Rule: Sendable, Equatable {
        public let id: String
        public let category: String
        /// The rule covers this region and everything under it; nil: anywhere.
        public let region: String?
        public let lead: String
        public let assists: [String]
        /// Further lead units of a joint rule (联合办理), each replying for its own part.
        public let jointLeads: [String]
        /// The dispute whose decision added it; nil for a configured rule.
        public let dispute: String?

        public init(id: String, category: String, region: String?, lead: String, assists: [String], jointLeads: [String] = [],
                    dispute: String?) {
            self.id = id
            self.category = category
            self.region = region
            self.lead = lead
            self.assists = assists
            self.jointLeads = jointLeads
            self.dispute = dispute
        }

        public var isBoundary: Bool { dispute != nil }

        /// The mode the rule dispatches in.
        public var mode: DispatchMode { DispatchMode(leads: 1 + jointLeads.count, assists: assists.count) }

        /// How closely it fits `regionCode`: nil when it does not cover it.
        func depth(for regionCode: String?) -> Int? {
            guard let region else { return 0 }
            guard let code = regionCode, code.hasPrefix(region) else { return nil }
            return region.count
        }
    }

    public struct Decision: Sendable, Equatable, Codable {
        /// The lead units: one, or several in joint mode (the first is named first everywhere).
        public let leads: [String]
        public let assists: [String]

        public init(leads: [String], assists: [String]) {
            self.leads = leads
            self.assists = assists
        }
    }

    /// The county's rules as configured; a `Rule` is made only for those a caller gets back
    /// (dispatch builds a catalogue for every ticket it routes).
    private let configured: [CountyConfig.ResponsibilityRule]
    private let boundary: [Rule]

    /// - Parameter boundary: the boundary list's active rules.
    public init(_ rules: [CountyConfig.ResponsibilityRule], boundary: [Rule] = []) {
        configured = rules
        self.boundary = boundary
    }

    private func configuredRules(category: String?) -> [Rule] {
        configured.enumerated().compactMap { i, r in
            guard category == nil || r.category == category else { return nil }
            return Rule(id: "config-\(i + 1)", category: r.category, region: r.region, lead: r.lead, assists: r.assists,
                        jointLeads: r.jointLeads ?? [], dispute: nil)
        }
    }

    /// The rule for `category` in `regionCode`: a boundary rule first, then a configured one;
    /// in each the most specific region containing `regionCode` (codes nest by prefix); a rule
    /// without a region applies anywhere, below every regional rule. nil: no rule, manual queue.
    public func rule(category: String, regionCode: String?) -> Rule? {
        for list in [boundary, configuredRules(category: category)] {
            var best: (rule: Rule, depth: Int)?
            for rule in list where rule.category == category {
                guard let depth = rule.depth(for: regionCode) else { continue }
                if best == nil || depth > best!.depth { best = (rule, depth) }
            }
            if let best { return best.rule }
        }
        return nil
    }

    public func route(category: String, regionCode: String?) -> Decision? {
        rule(category: category, regionCode: regionCode).map { Decision(leads: [$0.lead] + $0.jointLeads, assists: $0.assists) }
    }

    /// Every rule of `category` (all categories when nil) that covers `regionCode` (any place
    /// when nil): boundary rules first, each list by how specific it is.
    public func rules(category: String?, regionCode: String?) -> [Rule] {
        func matching(_ list: [Rule]) -> [Rule] {
            list.filter { r in
                (category == nil || r.category == category) && (regionCode == nil || r.depth(for: regionCode) != nil)
            }.sorted { ($0.region?.count ?? 0) > ($1.region?.count ?? 0) }
        }
        return matching(boundary) + matching(configuredRules(category: category))
    }
}

/// How a ticket's work is shared (DI-3): one lead alone, a lead with assisting units, or
/// several joint leads (联合办理) each replying for its own part.
public enum DispatchMode: String, Sendable, Codable, CaseIterable {
    case independent
    case leadAssist = "lead_assist"
    case joint

    public init(leads: Int, assists: Int) {
        self = leads > 1 ? .joint : assists > 0 ? .leadAssist : .independent
    }
}
