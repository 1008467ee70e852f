import FoundationEssentials
import HotlineCore

/// A county's domain configuration: JSON files in the config directory, loaded once at
/// start and cross-checked so that a typo fails at start-up, not at 3 a.m.
public struct CountyConfig: Sendable {
    public let county: County
    public let channels: [Channel]
    public let regions: [Region]
    public let units: [Unit]
    public let categories: [Category]
    public let responsibilities: [ResponsibilityRule]
    public let sla: SLAConfig
    public let calendar: CalendarConfig
    public let staff: [StaffToken]
    /// Standard answers for closure at intake (`knowledge.json`, optional).
    public let knowledge: [KnowledgeBase.Entry]
    /// The same answers, indexed for search once at load.
    public let knowledgeBase: KnowledgeBase

    public struct County: Codable, Sendable {
        public let id: String
        public let name: String
        public let timezone: String
        public let region: String
        /// Units told at once of every emergency ticket (DI-7): police, petition office,
        /// public-opinion office.
        public let emergencyLinks: [String]

        enum CodingKeys: String, CodingKey {
            case id, name, timezone, region
            case emergencyLinks = "emergency_links"
        }
    }

    public struct Channel: Codable, Sendable {
        public let id: String
        public let name: String
        /// Hex SHA-256 of the channel's API key; the key itself is never stored. Absent when
        /// the keys come from a credentials file (`HOTLINE_CREDENTIALS_FILE`).
        public let keySHA256: String?
        public let defaultPolicy: String
        public let ratePerMinute: Int

        enum CodingKeys: String, CodingKey {
            case id, name
            case keySHA256 = "key_sha256"
            case defaultPolicy = "default_policy"
            case ratePerMinute = "rate_per_minute"
        }
    }

    public struct Region: Codable, Sendable {
        public let code: String
        public let name: String
        /// county, street, community, grid
        public let level: String
        public let parent: String?
        /// The unit that answers for this place at its own level: a street's office, a
        /// community's committee; nil for the county (its departments answer by category) and
        /// for grids (their community's grid workers do).
        public let unit: String?
    }

    public struct Unit: Codable, Sendable {
        public let id: String
        public let name: String
        /// department, street, community, utility, carrier, emergency, leadership
        public let kind: String
        public let parent: String?
        /// DI-6 tier: 1 community, 2 street/town, 3 county department, 4 county leadership.
        public let tier: Int
        /// Who is alerted (SU-3, SU-4).
        public let roles: Roles

        public struct Roles: Codable, Sendable, Equatable {
            /// Works the cases; reminders go here.
            public let handler: String
            public let deputyHead: String
            public let head: String
            /// The county leader in charge of the unit's field (the ladder's top, hotspots over 20).
            public let countyLeader: String

            enum CodingKeys: String, CodingKey {
                case handler, head
                case deputyHead = "deputy_head"
                case countyLeader = "county_leader"
            }
        }
    }

    public struct Category: Codable, Sendable {
        public let id: String
        public let name: String
        /// livelihood, law_enforcement, enterprise
        public let domain: String
        public let emergency: Bool
        public let utility: Bool
    }

    public struct ResponsibilityRule: Codable, Sendable {
        public let category: String
        /// A region code; the rule covers that region and everything under it. nil: anywhere.
        public let region: String?
        public let lead: String
        public let assists: [String]
        /// Joint mode (联合办理): further lead units, each replying for its own part; the
        /// ticket is replied when every lead has replied. Absent: one lead.
        public let jointLeads: [String]?

        public init(category: String, region: String?, lead: String, assists: [String], jointLeads: [String]? = nil) {
            self.category = category
            self.region = region
            self.lead = lead
            self.assists = assists
            self.jointLeads = jointLeads
        }

        enum CodingKeys: String, CodingKey {
            case category, region, lead, assists
            case jointLeads = "joint_leads"
        }
    }

    public struct StaffToken: Codable, Sendable, Equatable {
        public let tokenSHA256: String
        public let role: String
        public let name: String
        public let unit: String?
        /// When the token stops being accepted (RFC 3339): the old token's end during a rotation.
        public let expiresAt: String?

        public init(tokenSHA256: String, role: String, name: String, unit: String?, expiresAt: String? = nil) {
            self.tokenSHA256 = tokenSHA256
            self.role = role
            self.name = name
            self.unit = unit
            self.expiresAt = expiresAt
        }

        enum CodingKeys: String, CodingKey {
            case tokenSHA256 = "token_sha256"
            case role, name, unit
            case expiresAt = "expires_at"
        }
    }

    public func channel(_ id: String) -> Channel? { channels.first { $0.id == id } }
    public func category(_ id: String) -> Category? { categories.first { $0.id == id } }
    public func unit(_ id: String) -> Unit? { units.first { $0.id == id } }
    public func region(_ code: String) -> Region? { regions.first { $0.code == code } }

    public var timeZone: TimeZone { NamedTimeZone.named(county.timezone) ?? TimeZone(secondsFromGMT: 8 * 3600)! }

    /// Loads and cross-checks every file in `directory`.
    /// - Throws: `ConfigurationError` naming the file and the problem.
    public static func load(directory: String) throws -> CountyConfig {
        func read<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
            let path = PathNames.join(directory, name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError("missing configuration file \(path)")
            }
            do {
                return try JSONDecoder().decode(type, from: data)
            } catch {
                throw ConfigurationError("\(path): \(Self.describe(error))")
            }
        }
        let knowledge = FileManager.default.fileExists(atPath: PathNames.join(directory, "knowledge.json"))
            ? try read("knowledge.json", as: [KnowledgeBase.Entry].self) : []
        let config = CountyConfig(
            county: try read("county.json", as: County.self),
            channels: try read("channels.json", as: [Channel].self),
            regions: try read("regions.json", as: [Region].self),
            units: try read("units.json", as: [Unit].self),
            categories: try read("categories.json", as: [Category].self),
            responsibilities: try read("responsibilities.json", as: [ResponsibilityRule].self),
            sla: try read("sla.json", as: SLAConfig.self),
            calendar: try read("calendar.json", as: CalendarConfig.self),
            staff: try read("staff.json", as: [StaffToken].self),
            knowledge: knowledge, knowledgeBase: KnowledgeBase(knowledge))
        try config.validate()
        return config
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let c):
            return "missing '\(key.stringValue)' at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c), DecodingError.dataCorrupted(let c):
            return "bad value at \(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        default: return "\(error)"
        }
    }

    /// Checks every cross-reference.
    public func validate() throws {
        guard NamedTimeZone.named(county.timezone) != nil else {
            throw ConfigurationError("county.json: unknown time zone \(county.timezone)")
        }
        func unique(_ ids: [String], _ file: String) throws {
            var seen = Set<String>()
            for id in ids where !seen.insert(id).inserted { throw ConfigurationError("\(file): duplicate id \(id)") }
        }
        try unique(channels.map(\.id), "channels.json")
        try unique(regions.map(\.code), "regions.json")
        try unique(units.map(\.id), "units.json")
        try unique(categories.map(\.id), "categories.json")
        try unique(sla.policies.map(\.id), "sla.json")
        let regionCodes = Set(regions.map(\.code))
        let unitIDs = Set(units.map(\.id))
        let categoryIDs = Set(categories.map(\.id))
        let policyIDs = Set(sla.policies.map(\.id))
        for r in regions where r.parent != nil && !regionCodes.contains(r.parent!) {
            throw ConfigurationError("regions.json: \(r.code) has unknown parent \(r.parent!)")
        }
        let unitByID = Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for u in units {
            if let p = u.parent, !unitIDs.contains(p) { throw ConfigurationError("units.json: \(u.id) has unknown parent \(p)") }
            guard (1...4).contains(u.tier) else { throw ConfigurationError("units.json: \(u.id) tier must be 1...4") }
            // Escalation climbs from a unit to its parent: the parent is a tier above.
            if let p = u.parent.flatMap({ unitByID[$0] }), p.tier <= u.tier {
                throw ConfigurationError("units.json: \(u.id) (tier \(u.tier)) has parent \(p.id) of tier \(p.tier), not above it")
            }
            for (role, name) in [("handler", u.roles.handler), ("deputy_head", u.roles.deputyHead), ("head", u.roles.head),
                                 ("county_leader", u.roles.countyLeader)] where name.isBlank {
                throw ConfigurationError("units.json: \(u.id) has no \(role)")
            }
        }
        let levelTier = ["community": 1, "street": 2]
        for r in regions {
            guard ["county", "street", "community", "grid"].contains(r.level) else {
                throw ConfigurationError("regions.json: \(r.code) has unknown level \(r.level)")
            }
            guard let id = r.unit else { continue }
            guard let u = unitByID[id] else { throw ConfigurationError("regions.json: \(r.code) names unknown unit \(id)") }
            guard levelTier[r.level] == u.tier else {
                throw ConfigurationError("regions.json: \(r.code) (\(r.level)) is answered for by \(id) of tier \(u.tier)")
            }
        }
        for u in county.emergencyLinks where !unitIDs.contains(u) {
            throw ConfigurationError("county.json: emergency link \(u) is not a unit")
        }
        for c in channels {
            guard policyIDs.contains(c.defaultPolicy) else {
                throw ConfigurationError("channels.json: \(c.id) default_policy \(c.defaultPolicy) is not in sla.json")
            }
            if let key = c.keySHA256, !Credentials.isHash(key) {
                throw ConfigurationError("channels.json: \(c.id) key_sha256 must be 64 hex digits")
            }
            guard c.ratePerMinute > 0 else { throw ConfigurationError("channels.json: \(c.id) rate_per_minute must be > 0") }
        }
        for rule in responsibilities {
            guard categoryIDs.contains(rule.category) else {
                throw ConfigurationError("responsibilities.json: unknown category \(rule.category)")
            }
            if let r = rule.region, !regionCodes.contains(r) {
                throw ConfigurationError("responsibilities.json: unknown region \(r)")
            }
            let named = [rule.lead] + (rule.jointLeads ?? []) + rule.assists
            for u in named where !unitIDs.contains(u) {
                throw ConfigurationError("responsibilities.json: unknown unit \(u)")
            }
            guard Set(named).count == named.count else {
                throw ConfigurationError("responsibilities.json: a rule for \(rule.category) names a unit twice (lead, joint leads and assists are distinct)")
            }
        }
        for p in sla.policies {
            for text in [p.response, p.reply] where DeadlineRule.parse(text) == nil {
                throw ConfigurationError("sla.json: policy \(p.id) has an invalid rule '\(text)'")
            }
        }
        guard DeadlineRule.parse(sla.assistResponse) != nil else {
            throw ConfigurationError("sla.json: invalid assist_response '\(sla.assistResponse)'")
        }
        guard (0...10).contains(sla.maxExtensions) else { throw ConfigurationError("sla.json: max_extensions must be 0...10") }
        if let rate = sla.spotCheckRate, !(0...1).contains(rate) { throw ConfigurationError("sla.json: spot_check_rate must be 0...1") }
        if let window = sla.hotspotWindow, (DurationText.parse(window) ?? 0) <= 0 {
            throw ConfigurationError("sla.json: invalid hotspot_window '\(window)'")
        }
        if let interval = sla.ladderInterval, DeadlineRule.parse(interval) == nil {
            throw ConfigurationError("sla.json: invalid ladder_interval '\(interval)'")
        }
        guard sla.callbackRule != nil else {
            throw ConfigurationError("sla.json: invalid callback_within '\(sla.callbackWithin)' (a rule such as workingDays(2), or a duration such as 48h)")
        }
        if let n = sla.callbackAttempts, !(1...10).contains(n) { throw ConfigurationError("sla.json: callback_attempts must be 1...10") }
        for (key, text) in [("callback_spacing", sla.callbackSpacing), ("callback_claim", sla.callbackClaim),
                            ("report_publish_after", sla.reportPublishAfter)] {
            if let text, (DurationText.parse(text) ?? 0) <= 0 { throw ConfigurationError("sla.json: invalid \(key) '\(text)'") }
        }
        if let rate = sla.intakeCallbackRate, !(0...1).contains(rate) { throw ConfigurationError("sla.json: intake_callback_rate must be 0...1") }
        _ = try WorkingCalendar(calendar)
        try unique(knowledge.map(\.id), "knowledge.json")
        for k in knowledge where !categoryIDs.contains(k.category) {
            throw ConfigurationError("knowledge.json: \(k.id) has unknown category \(k.category)")
        }
        _ = try Credentials(county: self, file: "staff.json")
    }
}
