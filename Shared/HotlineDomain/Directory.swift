/// The county's directory (DI-1): units with their parents and tiers, places with the units
/// that answer for them, and who answers for a place at each of the four tiers (DI-6).
/// Pure: built once from the configuration, asked without I/O.
public struct Directory: Sendable {
    private let units: [String: CountyConfig.Unit]
    private let regions: [String: CountyConfig.Region]
    private let childrenByParent: [String: [String]]
    private let regionsByUnit: [String: [String]]
    private let catalogue: ResponsibilityCatalogue
    /// The county task force (tier 4), the top of every escalation.
    public let taskForce: String?

    /// The county's task force (tier 4), without building the whole directory.
    public static func taskForce(of county: CountyConfig) -> String? { county.units.first { $0.tier == 4 }?.id }

    public init(_ county: CountyConfig) {
        units = Dictionary(county.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        regions = Dictionary(county.regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        childrenByParent = Dictionary(grouping: county.units.filter { $0.parent != nil }, by: { $0.parent! }).mapValues { $0.map(\.id) }
        regionsByUnit = Dictionary(grouping: county.regions.filter { $0.unit != nil }, by: { $0.unit! }).mapValues { $0.map(\.code) }
        catalogue = ResponsibilityCatalogue(county.responsibilities)
        taskForce = Self.taskForce(of: county)
    }

    public func unit(_ id: String) -> CountyConfig.Unit? { units[id] }
    public func region(_ code: String) -> CountyConfig.Region? { regions[code] }

    /// The units directly under `id` (a street's communities), in configuration order.
    public func children(of id: String) -> [String] { childrenByParent[id] ?? [] }

    /// The places `id` answers for at its own level.
    public func regions(answeredBy id: String) -> [String] { regionsByUnit[id] ?? [] }

    /// `code` and every place above it, up to the county: the place itself first.
    public func chain(_ code: String) -> [CountyConfig.Region] {
        var out: [CountyConfig.Region] = []
        var next = regions[code]
        while let r = next, out.count < 8 {
            out.append(r)
            next = r.parent.flatMap { regions[$0] }
        }
        return out
    }

    /// Who answers for a place at one tier, and why.
    public struct TierAnswer: Sendable, Equatable {
        public let tier: Int
        /// nil: nobody at this tier for this place (and category).
        public let unit: String?
        public let basis: Basis

        public enum Basis: String, Sendable {
            /// The place's own community, or the community of a grid.
            case community
            /// The street or town the place lies in.
            case street
            /// The catalogue's lead for the category in this place, a county department.
            case catalogue
            /// No category given, or the catalogue names no county department for it here.
            case noCatalogueRule
            /// The county task force.
            case taskForce
        }
    }

    /// Who answers for `code` at each tier (DI-6): 1 its community, 2 its street or town,
    /// 3 the county department the catalogue names for `category` there, 4 the task force.
    /// Escalation climbs this list. - Returns: nil for an unknown place.
    public func answering(_ code: String, category: String?) -> [TierAnswer]? {
        let chain = chain(code)
        guard !chain.isEmpty else { return nil }
        let community = chain.first { $0.level == "community" }?.unit
        let street = chain.first { $0.level == "street" }?.unit
        var department: String?
        if let category, let lead = catalogue.route(category: category, regionCode: code)?.leads.first, units[lead]?.tier == 3 {
            department = lead
        }
        return [
            TierAnswer(tier: 1, unit: community, basis: .community),
            TierAnswer(tier: 2, unit: street, basis: .street),
            TierAnswer(tier: 3, unit: department, basis: department == nil ? .noCatalogueRule : .catalogue),
            TierAnswer(tier: 4, unit: taskForce, basis: .taskForce),
        ]
    }

    /// Where an escalation from `tier` goes (DI-6): the first tier above it that has a unit
    /// for this place and category — a tier with nobody (no community for a county-level
    /// place, no county department in the catalogue) is passed over. nil at the top.
    public func escalation(from tier: Int, region: String?, category: String) -> TierAnswer? {
        let tiers: [TierAnswer]
        if let region, let answers = answering(region, category: category) {
            tiers = answers
        } else {
            // A ticket without a place: only the county's tiers can take it.
            let lead = catalogue.route(category: category, regionCode: nil)?.leads.first
            let department = lead.flatMap { units[$0]?.tier == 3 ? $0 : nil }
            tiers = [TierAnswer(tier: 3, unit: department, basis: department == nil ? .noCatalogueRule : .catalogue),
                     TierAnswer(tier: 4, unit: taskForce, basis: .taskForce)]
        }
        return tiers.first { $0.tier > tier && $0.unit != nil }
    }
}
