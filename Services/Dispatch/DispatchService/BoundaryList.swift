import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The boundary list in dispatch's store: rules added by dispute decisions, with who added
/// them, when and for which dispute; retired rules stay, marked, for the record.
enum BoundaryList {
    static let migration = Migration(105, "the boundary list", """
        CREATE TABLE catalogue_rules (
            id TEXT PRIMARY KEY,
            category TEXT NOT NULL,
            region TEXT,
            lead TEXT NOT NULL,
            assists TEXT NOT NULL,
            dispute TEXT NOT NULL,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            retired_by TEXT,
            retired_at TEXT
        );
        CREATE INDEX catalogue_rules_category ON catalogue_rules (category, retired_at);
        """)

    /// The catalogue dispatch routes by: the county's rules and the active boundary rules
    /// (of `category` only, when given).
    static func catalogue(_ tx: Transaction, county: CountyConfig, category: String?) throws -> ResponsibilityCatalogue {
        var sql = "SELECT * FROM catalogue_rules WHERE retired_at IS NULL"
        var params: [SQLValue] = []
        if let category {
            sql += " AND category = ?"
            params.append(.text(category))
        }
        return ResponsibilityCatalogue(county.responsibilities, boundary: try tx.query(sql, params).map(rule))
    }

    static func rule(_ r: Row) throws -> ResponsibilityCatalogue.Rule {
        let id = r.string("id") ?? ""
        let assists: [String], joint: [String]
        do {
            assists = try JSONCoding.decode([String].self, from: r.string("assists") ?? "[]")
            joint = try JSONCoding.decode([String].self, from: r.string("joint_leads") ?? "[]")
        } catch {
            throw DispatchError("boundary rule \(id) has unreadable assisting units or joint leads: \(error)")
        }
        return .init(id: id, category: r.string("category") ?? "", region: r.string("region"), lead: r.string("lead") ?? "",
                     assists: assists, jointLeads: joint, dispute: r.string("dispute"))
    }

    /// Adds the rule a dispute decision asks for and announces it.
    static func add(_ rule: ResponsibilityCatalogue.Rule, by: ActedBy, at: String, tx: Transaction, emit: EventSink) throws {
        try tx.executeDeferred(
            """
            INSERT INTO catalogue_rules (id, category, region, lead, assists, joint_leads, dispute, added_by, added_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(rule.id), .text(rule.category), .optional(rule.region), .text(rule.lead), .text(try JSONCoding.string(rule.assists)),
             rule.jointLeads.isEmpty ? .null : .text(try JSONCoding.string(rule.jointLeads)), .optional(rule.dispute), .text(by.staff),
             .text(at)])
        try emit.emit(EventType.catalogueRuleAdded, ticket: String?.none, CatalogueRuleChanged(
            rule: rule.id, category: rule.category, region: rule.region, lead: rule.lead, assists: rule.assists,
            jointLeads: rule.jointLeads.nilIfEmpty, dispute: rule.dispute, by: by))
    }
}
