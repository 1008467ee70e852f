import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// Returns and disputes (DI-5): a lead unit asks to give a ticket back; the centre approves
/// (re-dispatch to another unit, with assisting units) or rejects (the unit keeps it), and
/// can record the three-party review.
enum DisputeRoutes {
    struct ReturnRequest: Codable, Sendable {
        let reason: String
    }

    struct Decision: Codable, Sendable {
        let approved: Bool
        let leadUnit: String?
        let assistingUnits: [String]?
        /// Approved to several joint leads: the leads besides `lead_unit`.
        let jointUnits: [String]?
        let note: String?
        /// The three-party review, in the event's own shape.
        let panel: DisputeDecided.Panel?
        /// Add the decision to the boundary list for the ticket's category in this region.
        let boundaryRule: BoundaryRuleRequest?

        struct BoundaryRuleRequest: Codable, Sendable {
            /// A region code, or nil for anywhere in the county.
            let region: String?
        }

        enum CodingKeys: String, CodingKey {
            case approved, note, panel
            case leadUnit = "lead_unit"
            case assistingUnits = "assisting_units"
            case jointUnits = "joint_units"
            case boundaryRule = "boundary_rule"
        }
    }

    struct DisputeView: Codable, Sendable {
        let id: String
        let assignment: String
        let ticket: String
        let unit: String
        let reason: String
        let requestedBy: String
        let requestedAt: String
        let status: String
        let decidedBy: String?
        let decidedAt: String?
        let decision: JSONValue?

        enum CodingKeys: String, CodingKey {
            case id, assignment, ticket, unit, reason, status, decision
            case requestedBy = "requested_by"
            case requestedAt = "requested_at"
            case decidedBy = "decided_by"
            case decidedAt = "decided_at"
        }

        init(_ r: Row) throws {
            id = r.string("id") ?? ""
            assignment = r.string("assignment") ?? ""
            ticket = r.string("ticket") ?? ""
            unit = r.string("unit") ?? ""
            reason = r.string("reason") ?? ""
            requestedBy = r.string("requested_by") ?? ""
            requestedAt = r.string("requested_at") ?? ""
            status = r.string("status") ?? ""
            decidedBy = r.string("decided_by")
            decidedAt = r.string("decided_at")
            decision = try r.string("decision").map { try JSONCoding.decode(JSONValue.self, from: $0) }
        }
    }

    static let statuses = ["open", "approved", "rejected"]

    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("POST", "/v1/assignments/{id}/return", roles: [.unit], maxBody: 16 * 1024, quick: true) { request in
                guard let principal = request.principal else { throw Problem(status: 401) }
                let reason = try request.decodeJSON(ReturnRequest.self).reason
                if let problem = TextRules.problem(required: reason, maxLength: 2000, lines: .multiple) {
                    throw Problem.invalid([.init("reason", problem)])
                }
                return try .json(try await AssignmentActions.perform(
                    request.parameter("id"), .requestReturn, .returnRequest(reason: Redaction.scrubPhones(reason.trimmingWhitespaceAndNewlines())),
                    by: principal, context))
            },
            Route("GET", "/v1/disputes", roles: [.centre]) { request in
                let status = request.queryValue("status") ?? "open"
                guard statuses.contains(status) else {
                    throw Problem.invalid([.init("status", "must be one of \(statuses.joined(separator: ", "))")])
                }
                let rows = try await context.read { tx in
                    try tx.query("SELECT * FROM disputes WHERE status = ? ORDER BY requested_at LIMIT 500", [.text(status)])
                }
                return try .json(try rows.map(DisputeView.init))
            },
            Route("POST", "/v1/disputes/{id}/decision", roles: [.centre], maxBody: 32 * 1024, quick: true) { request in
                guard let principal = request.principal else { throw Problem(status: 401) }
                let id = request.parameter("id")
                let body = try request.decodeJSON(Decision.self)
                guard let dispute = try await context.read({ tx in try tx.queryOne("SELECT * FROM disputes WHERE id = ?", [.text(id)]) })
                else { throw Problem.notFound("no dispute \(id)") }
                guard dispute.string("status") == "open" else { throw Problem.conflict("dispute \(id) is \(dispute.string("status") ?? "")") }
                let decision = try check(body, returning: dispute.string("unit") ?? "", dispute: id, county: context.county)
                return try .json(try await AssignmentActions.perform(
                    dispute.string("assignment") ?? "", body.approved ? .approveReturn : .rejectReturn, .returnDecision(decision),
                    by: principal, context))
            },
        ]
    }

    /// Every rejected field of a decision, or the checked decision.
    static func check(_ body: Decision, returning unit: String, dispute: String, county: CountyConfig) throws -> AssignmentActions.ReturnDecision {
        let units = DispatchService.checkUnits(lead: body.leadUnit, joint: body.jointUnits, assists: body.assistingUnits, county: county)
        var errors = units.errors
        if body.approved {
            if let lead = body.leadUnit {
                if lead == unit { errors.append(.init("lead_unit", "is the unit that returned it")) }
            } else {
                errors.append(.init("lead_unit", "is required when the return is approved"))
            }
            if body.jointUnits?.contains(unit) == true { errors.append(.init("joint_units", "names the unit that returned it")) }
        } else {
            if body.leadUnit != nil { errors.append(.init("lead_unit", "only an approved return goes to another unit")) }
            if !(body.assistingUnits ?? []).isEmpty { errors.append(.init("assisting_units", "only an approved return goes to other units")) }
            if !(body.jointUnits ?? []).isEmpty { errors.append(.init("joint_units", "only an approved return goes to other units")) }
        }
        if let note = body.note, let problem = TextRules.problem(optional: note, maxLength: 2000, lines: .multiple) {
            errors.append(.init("note", problem))
        }
        if let p = body.panel {
            for (field, text) in [("centre", p.centre), ("staffing_office", p.staffingOffice), ("justice_bureau", p.justiceBureau),
                                  ("conclusion", p.conclusion)] {
                if let problem = TextRules.problem(required: text, maxLength: 2000, lines: .multiple) { errors.append(.init("panel.\(field)", problem)) }
            }
        }
        if let rule = body.boundaryRule {
            if !body.approved { errors.append(.init("boundary_rule", "only an approved return adds a boundary rule")) }
            if let region = rule.region, county.region(region) == nil { errors.append(.init("boundary_rule.region", "is not a region of the county")) }
        }
        guard errors.isEmpty else { throw Problem.invalid(errors) }
        let clean = { (t: String) in Redaction.scrubPhones(t.trimmingWhitespaceAndNewlines()) }
        return AssignmentActions.ReturnDecision(
            dispute: dispute, lead: body.approved ? body.leadUnit : nil, jointLeads: body.approved ? Array(units.leads.dropFirst()) : [],
            assists: units.assists,
            note: body.note.map(clean).flatMap { $0.isEmpty ? nil : $0 },
            panel: body.panel.map { .init(centre: clean($0.centre), staffingOffice: clean($0.staffingOffice),
                                          justiceBureau: clean($0.justiceBureau), conclusion: clean($0.conclusion)) },
            boundaryRegion: body.boundaryRule.map { $0.region })
    }
}
