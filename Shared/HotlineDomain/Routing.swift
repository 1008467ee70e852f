/// The responsibility catalogue (职责清单): category × region → lead unit and assists.
public struct ResponsibilityCatalogue: Sendable {
    public struct Decision: Sendable, Equatable, Codable {
        public let lead: String
        public let assists: [String]

        public init(lead: String, assists: [String]) {
            self.lead = lead
            self.assists = assists
        }
    }

    private let rules: [CountyConfig.ResponsibilityRule]

    public init(_ rules: [CountyConfig.ResponsibilityRule]) { self.rules = rules }

    /// The rule for `category` whose region is the most specific one containing `regionCode`
    /// (region codes nest by prefix: county ⊃ street ⊃ community ⊃ grid). A rule without a
    /// region applies anywhere, below every regional rule. `nil`: no rule, manual queue.
    public func route(category: String, regionCode: String?) -> Decision? {
        var best: (rule: CountyConfig.ResponsibilityRule, depth: Int)?
        for rule in rules where rule.category == category {
            let depth: Int
            if let region = rule.region {
                guard let code = regionCode, code.hasPrefix(region) else { continue }
                depth = region.count
            } else {
                depth = 0
            }
            if best == nil || depth > best!.depth { best = (rule, depth) }
        }
        return best.map { Decision(lead: $0.rule.lead, assists: $0.rule.assists) }
    }
}
