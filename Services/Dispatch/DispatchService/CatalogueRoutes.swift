import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// The catalogue and the boundary list (DI-2, DI-5): the rules, which one would route a
/// ticket and why, and retiring a boundary rule.
enum CatalogueRoutes {
    struct RuleView: Codable, Sendable {
        let id: String
        let category: String
        let region: String?
        let lead: String
        let assists: [String]
        /// Joint mode: the leads besides `lead`, each replying for its own part.
        let jointLeads: [String]
        /// independent, lead_assist or joint
        let mode: String
        /// configuration or boundary
        let source: String
        let dispute: String?
        let addedBy: String?
        let addedAt: String?
        let retiredAt: String?

        enum CodingKeys: String, CodingKey {
            case id, category, region, lead, assists, source, dispute, mode
            case jointLeads = "joint_leads"
            case addedBy = "added_by"
            case addedAt = "added_at"
            case retiredAt = "retired_at"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(category, forKey: .category)
            try c.encode(region, forKey: .region)
            try c.encode(lead, forKey: .lead)
            try c.encode(assists, forKey: .assists)
            try c.encode(jointLeads, forKey: .jointLeads)
            try c.encode(mode, forKey: .mode)
            try c.encode(source, forKey: .source)
            try c.encode(dispute, forKey: .dispute)
            try c.encode(addedBy, forKey: .addedBy)
            try c.encode(addedAt, forKey: .addedAt)
            try c.encode(retiredAt, forKey: .retiredAt)
        }

        init(_ rule: ResponsibilityCatalogue.Rule, stored: Row? = nil) {
            id = rule.id
            category = rule.category
            region = rule.region
            lead = rule.lead
            assists = rule.assists
            jointLeads = rule.jointLeads
            mode = rule.mode.rawValue
            source = rule.isBoundary ? "boundary" : "configuration"
            dispute = rule.dispute
            addedBy = stored?.string("added_by")
            addedAt = stored?.string("added_at")
            retiredAt = stored?.string("retired_at")
        }
    }

    struct RouteView: Codable, Sendable {
        let category: String
        let region: String?
        /// The rule that would route it; nil: the centre's manual queue.
        let rule: RuleView?
        let reason: String

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(category, forKey: .category)
            try c.encode(region, forKey: .region)
            try c.encode(rule, forKey: .rule)
            try c.encode(reason, forKey: .reason)
        }

        enum CodingKeys: String, CodingKey { case category, region, rule, reason }
    }

    /// The category and region query parameters, checked against the county.
    static func filters(_ request: HTTPRequest, _ county: CountyConfig, categoryRequired: Bool) throws -> (String?, String?) {
        var errors: [Problem.FieldError] = []
        let category = request.queryValue("category")
        if let category, county.category(category) == nil { errors.append(.init("category", "is not in the catalogue")) }
        if categoryRequired && category == nil { errors.append(.init("category", "is required")) }
        let region = request.queryValue("region")
        if let region, county.region(region) == nil { errors.append(.init("region", "is not a region of the county")) }
        guard errors.isEmpty else { throw Problem.invalid(errors) }
        return (category, region)
    }

    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/catalogue/rules", roles: [.centre, .unit, .auditor]) { request in
                let (category, region) = try filters(request, context.county, categoryRequired: false)
                let (catalogue, stored) = try await context.read { tx in
                    (try BoundaryList.catalogue(tx, county: context.county, category: category),
                     try tx.query("SELECT * FROM catalogue_rules ORDER BY added_at"))
                }
                let byID = Dictionary(stored.map { ($0.string("id") ?? "", $0) }, uniquingKeysWith: { a, _ in a })
                var views = catalogue.rules(category: category, regionCode: region).map { RuleView($0, stored: byID[$0.id]) }
                // Retired boundary rules stay listed, marked, for the record.
                for row in stored where row.string("retired_at") != nil {
                    let rule = try BoundaryList.rule(row)
                    guard category == nil || rule.category == category else { continue }
                    guard region == nil || rule.region == nil || region!.hasPrefix(rule.region!) else { continue }
                    views.append(RuleView(rule, stored: row))
                }
                return try .json(views)
            },
            Route("GET", "/v1/catalogue/route", roles: [.centre, .unit, .auditor]) { request in
                let (category, region) = try filters(request, context.county, categoryRequired: true)
                let catalogue = try await context.read { tx in try BoundaryList.catalogue(tx, county: context.county, category: category) }
                let rule = catalogue.rule(category: category ?? "", regionCode: region)
                let reason: String
                switch rule {
                case nil: reason = "no rule covers \(category ?? "") here: the ticket waits in the centre's manual queue"
                case let r? where r.isBoundary:
                    reason = "the boundary list's rule from dispute \(r.dispute ?? "") (it takes precedence over the configured catalogue)"
                case let r?:
                    reason = r.region.map { "the configured rule for region \($0), the most specific one containing the place" }
                        ?? "the configured county-wide rule (no rule for a region containing the place)"
                }
                return try .json(RouteView(category: category ?? "", region: region, rule: rule.map { RuleView($0) }, reason: reason))
            },
            Route("POST", "/v1/catalogue/rules/{id}/retire", roles: [.centre], maxBody: 8 * 1024, quick: true) { request in
                guard let principal = request.principal else { throw Problem(status: 401) }
                return try .json(try await retire(request.parameter("id"), by: principal, context))
            },
        ]
    }

    /// Retires a boundary rule (configured rules change with the configuration, not here).
    static func retire(_ id: String, by principal: Principal, _ context: ServiceContext) async throws -> RuleView {
        try await context.transact { tx, emit -> RuleView in
            guard let row = try tx.queryOne("SELECT * FROM catalogue_rules WHERE id = ?", [.text(id)]) else {
                throw Problem.notFound("no boundary rule \(id) (configured rules change with the county's configuration)")
            }
            guard row.string("retired_at") == nil else { throw Problem.conflict("boundary rule \(id) is already retired") }
            let now = Timestamp.format(emit.now)
            try tx.executeDeferred("UPDATE catalogue_rules SET retired_by = ?, retired_at = ? WHERE id = ?", [.text(principal.name), .text(now), .text(id)])
            let rule = try BoundaryList.rule(row)
            try emit.emit(EventType.catalogueRuleRetired, ticket: String?.none, CatalogueRuleChanged(
                rule: id, category: rule.category, region: rule.region, lead: rule.lead, assists: rule.assists,
                jointLeads: rule.jointLeads.nilIfEmpty, dispute: rule.dispute, by: ActedBy(staff: principal.name, role: principal.role.rawValue)))
            guard let updated = try tx.queryOne("SELECT * FROM catalogue_rules WHERE id = ?", [.text(id)]) else {
                throw DispatchError("boundary rule \(id) vanished inside its own transaction")
            }
            return RuleView(rule, stored: updated)
        }
    }
}
