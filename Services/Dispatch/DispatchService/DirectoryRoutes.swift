import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime

/// The directory as the centre, units and auditors read it (DI-1): units with their parents,
/// tiers and alert roles, and who answers for a place at each tier.
enum DirectoryRoutes {
    static let kinds = ["department", "street", "community", "utility", "carrier", "emergency", "leadership"]

    struct UnitView: Codable, Sendable {
        let id: String
        let name: String
        let kind: String
        let tier: Int
        let parent: String?
        let roles: Roles
        /// The detail view only: the units under it and the places it answers for.
        let children: [String]?
        let regions: [String]?

        struct Roles: Codable, Sendable {
            let handler: String
            let deputyHead: String
            let head: String
            let countyLeader: String
            enum CodingKeys: String, CodingKey {
                case handler, head
                case deputyHead = "deputy_head"
                case countyLeader = "county_leader"
            }
        }

        init(_ u: CountyConfig.Unit, detail directory: Directory? = nil) {
            id = u.id
            name = u.name
            kind = u.kind
            tier = u.tier
            parent = u.parent
            roles = Roles(handler: u.roles.handler, deputyHead: u.roles.deputyHead, head: u.roles.head,
                          countyLeader: u.roles.countyLeader)
            children = directory?.children(of: u.id)
            regions = directory?.regions(answeredBy: u.id)
        }

        enum CodingKeys: String, CodingKey {
            case id, name, kind, tier, parent, roles, children, regions
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(kind, forKey: .kind)
            try c.encode(tier, forKey: .tier)
            try c.encode(parent, forKey: .parent)  // null, not absent, for a unit without one
            try c.encode(roles, forKey: .roles)
            try c.encodeIfPresent(children, forKey: .children)
            try c.encodeIfPresent(regions, forKey: .regions)
        }
    }

    struct RegionView: Codable, Sendable {
        let code: String
        let name: String
        let level: String
        let parent: String?
        let unit: String?
        /// The place and every place above it, itself first.
        let chain: [Place]
        let answering: [Answer]

        struct Place: Codable, Sendable {
            let code: String
            let name: String
            let level: String
        }

        struct Answer: Codable, Sendable {
            let tier: Int
            let unit: String?
            let name: String?
            let basis: String

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(tier, forKey: .tier)
                try c.encode(unit, forKey: .unit)
                try c.encode(name, forKey: .name)
                try c.encode(basis, forKey: .basis)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode(name, forKey: .name)
            try c.encode(level, forKey: .level)
            try c.encode(parent, forKey: .parent)
            try c.encode(unit, forKey: .unit)
            try c.encode(chain, forKey: .chain)
            try c.encode(answering, forKey: .answering)
        }

        enum CodingKeys: String, CodingKey {
            case code, name, level, parent, unit, chain, answering
        }
    }

    static func routes(_ context: ServiceContext) -> [Route] {
        let directory = Directory(context.county)
        let roles: Set<Principal.Role> = [.centre, .unit, .auditor]
        return [
            Route("GET", "/v1/units", roles: roles) { request in
                var errors: [Problem.FieldError] = []
                let kind = request.queryValue("kind")
                if let kind, !kinds.contains(kind) { errors.append(.init("kind", "must be one of \(kinds.joined(separator: ", "))")) }
                let tierText = request.queryValue("tier")
                let tier = tierText.flatMap(Int.init)
                if tierText != nil && !(1...4).contains(tier ?? 0) { errors.append(.init("tier", "must be 1, 2, 3 or 4")) }
                let parent = request.queryValue("parent")
                if let parent, directory.unit(parent) == nil { errors.append(.init("parent", "is not a known unit")) }
                guard errors.isEmpty else { throw Problem.invalid(errors) }
                let list = context.county.units.filter { u in
                    (kind == nil || u.kind == kind) && (tier == nil || u.tier == tier) && (parent == nil || u.parent == parent)
                }
                return try .json(list.sorted { ($0.tier, $0.id) < ($1.tier, $1.id) }.map { UnitView($0) })
            },
            Route("GET", "/v1/units/{id}", roles: roles) { request in
                let id = request.parameter("id")
                guard let unit = directory.unit(id) else { throw Problem.notFound("no unit \(id)") }
                return try .json(UnitView(unit, detail: directory))
            },
            Route("GET", "/v1/regions/{code}", roles: roles) { request in
                let code = request.parameter("code")
                let category = request.queryValue("category")
                if let category, context.county.category(category) == nil {
                    throw Problem.invalid([.init("category", "is not in the catalogue")])
                }
                guard let region = directory.region(code), let answers = directory.answering(code, category: category) else {
                    throw Problem.notFound("no region \(code)")
                }
                return try .json(RegionView(
                    code: region.code, name: region.name, level: region.level, parent: region.parent, unit: region.unit,
                    chain: directory.chain(code).map { .init(code: $0.code, name: $0.name, level: $0.level) },
                    answering: answers.map { a in
                        .init(tier: a.tier, unit: a.unit, name: a.unit.flatMap { directory.unit($0)?.name }, basis: a.basis.rawValue)
                    }))
            },
        ]
    }
}
