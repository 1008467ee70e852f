/// Who acted on an assignment: the staff member behind the token and their role (DI-4:
/// every event of the unit workflow records it).
public struct ActedBy: Codable, Sendable, Equatable {
    public let staff: String
    /// unit, centre
    public let role: String
    public init(staff: String, role: String) {
        self.staff = staff
        self.role = role
    }
}

/// `assignment.paused` (dispatch): the unit told the citizen, all at once, what is missing
/// (一次告知); supervision stops the clock until `assignment.resumed`.
public struct AssignmentPaused: Codable, Sendable, Equatable {
    public let assignment: String
    public let unit: String
    public let missing: String
    public let by: ActedBy
    public init(assignment: String, unit: String, missing: String, by: ActedBy) {
        self.assignment = assignment
        self.unit = unit
        self.missing = missing
        self.by = by
    }
}

/// `assignment.resumed` (dispatch).
public struct AssignmentResumed: Codable, Sendable, Equatable {
    public let assignment: String
    public let unit: String
    public let by: ActedBy
    public init(assignment: String, unit: String, by: ActedBy) {
        self.assignment = assignment
        self.unit = unit
        self.by = by
    }
}

/// `assignment.extension_requested` (dispatch): the lead unit asks for a later reply due.
public struct ExtensionRequested: Codable, Sendable, Equatable {
    public let assignment: String
    public let unit: String
    /// The reply due asked for, `Timestamp` format.
    public let until: String
    public let reason: String
    public let by: ActedBy
    public init(assignment: String, unit: String, until: String, reason: String, by: ActedBy) {
        self.assignment = assignment
        self.unit = unit
        self.until = until
        self.reason = reason
        self.by = by
    }
}

/// `assignment.extension_decided` (dispatch): approved, the reply is due at `replyDue`
/// (supervision replaces the deadline); rejected, nothing changes.
public struct ExtensionDecided: Codable, Sendable, Equatable {
    public let assignment: String
    public let unit: String
    public let approved: Bool
    public let replyDue: String?
    public let note: String?
    public let by: ActedBy
    public init(assignment: String, unit: String, approved: Bool, replyDue: String?, note: String?, by: ActedBy) {
        self.assignment = assignment
        self.unit = unit
        self.approved = approved
        self.replyDue = replyDue
        self.note = note
        self.by = by
    }
    enum CodingKeys: String, CodingKey {
        case assignment, unit, approved, note, by
        case replyDue = "reply_due"
    }
}

/// `assignment.return_requested` (dispatch): the lead unit says the ticket is not its to
/// handle; a dispute opens in the centre's queue.
public struct ReturnRequested: Codable, Sendable, Equatable {
    public let assignment: String
    public let unit: String
    public let reason: String
    public let dispute: String
    public let by: ActedBy
    public init(assignment: String, unit: String, reason: String, dispute: String, by: ActedBy) {
        self.assignment = assignment
        self.unit = unit
        self.reason = reason
        self.dispute = dispute
        self.by = by
    }
}

/// `dispute.decided` (dispatch): approved, the assignment is returned and the ticket goes to
/// `newLead` (with `assistingUnits`) as `newAssignment`; rejected, the unit keeps it and its
/// clock never stopped. `panel` records the three-party review when there was one.
public struct DisputeDecided: Codable, Sendable, Equatable {
    public let dispute: String
    public let assignment: String
    public let unit: String
    public let approved: Bool
    public let newLead: String?
    public let assistingUnits: [String]
    public let newAssignment: String?
    /// Approved to several joint leads: every lead (`new_lead` first) and every new assignment.
    public let jointLeads: [String]?
    public let newAssignments: [String]?
    public let note: String?
    public let panel: Panel?
    /// The boundary rule the decision added, if any.
    public let boundaryRule: BoundaryRule?
    public let by: ActedBy

    /// A rule of the boundary list: this category in this region (nil: anywhere) goes to the
    /// decision's lead and assisting units from now on.
    public struct BoundaryRule: Codable, Sendable, Equatable {
        public let id: String
        public let category: String
        public let region: String?
        public init(id: String, category: String, region: String?) {
            self.id = id
            self.category = category
            self.region = region
        }
    }

    /// The three-party review (centre, staffing office, justice bureau) and its conclusion.
    public struct Panel: Codable, Sendable, Equatable {
        public let centre: String
        public let staffingOffice: String
        public let justiceBureau: String
        public let conclusion: String
        public init(centre: String, staffingOffice: String, justiceBureau: String, conclusion: String) {
            self.centre = centre
            self.staffingOffice = staffingOffice
            self.justiceBureau = justiceBureau
            self.conclusion = conclusion
        }
        enum CodingKeys: String, CodingKey {
            case centre, conclusion
            case staffingOffice = "staffing_office"
            case justiceBureau = "justice_bureau"
        }
    }

    public init(dispute: String, assignment: String, unit: String, approved: Bool, newLead: String?, assistingUnits: [String],
                newAssignment: String?, jointLeads: [String]? = nil, newAssignments: [String]? = nil, note: String?, panel: Panel?,
                boundaryRule: BoundaryRule? = nil, by: ActedBy) {
        self.dispute = dispute
        self.assignment = assignment
        self.unit = unit
        self.approved = approved
        self.newLead = newLead
        self.assistingUnits = assistingUnits
        self.newAssignment = newAssignment
        self.jointLeads = jointLeads
        self.newAssignments = newAssignments
        self.note = note
        self.panel = panel
        self.boundaryRule = boundaryRule
        self.by = by
    }
    enum CodingKeys: String, CodingKey {
        case dispute, assignment, unit, approved, note, panel, by
        case boundaryRule = "boundary_rule"
        case newLead = "new_lead"
        case assistingUnits = "assisting_units"
        case newAssignment = "new_assignment"
        case jointLeads = "joint_leads"
        case newAssignments = "new_assignments"
    }
}

/// `assignment.escalation_requested` / `assignment.escalation_rejected` (dispatch): the lead
/// unit blows the whistle (吹哨) one tier up; the centre rejects, or escalates.
public struct EscalationNote: Codable, Sendable, Equatable {
    public let assignment: String
    public let unit: String
    public let reason: String?
    public let by: ActedBy
    public init(assignment: String, unit: String, reason: String?, by: ActedBy) {
        self.assignment = assignment
        self.unit = unit
        self.reason = reason
        self.by = by
    }
}

/// `ticket.escalated` (dispatch): the assignment ends and the next tier's unit leads
/// (`newAssignment`), the earlier unit assisting.
public struct TicketEscalated: Codable, Sendable, Equatable {
    public let assignment: String
    public let fromUnit: String
    public let fromTier: Int
    public let toUnit: String
    public let toTier: Int
    public let newAssignment: String
    /// unit (its request approved), centre, supervision
    public let requestedBy: String
    public let reason: String?
    public let by: ActedBy
    public init(assignment: String, fromUnit: String, fromTier: Int, toUnit: String, toTier: Int, newAssignment: String,
                requestedBy: String, reason: String?, by: ActedBy) {
        self.assignment = assignment
        self.fromUnit = fromUnit
        self.fromTier = fromTier
        self.toUnit = toUnit
        self.toTier = toTier
        self.newAssignment = newAssignment
        self.requestedBy = requestedBy
        self.reason = reason
        self.by = by
    }
    enum CodingKeys: String, CodingKey {
        case assignment, reason, by
        case fromUnit = "from_unit"
        case fromTier = "from_tier"
        case toUnit = "to_unit"
        case toTier = "to_tier"
        case newAssignment = "new_assignment"
        case requestedBy = "requested_by"
    }
}

/// `ticket.emergency_notified` (dispatch): an emergency ticket was dispatched and the linked
/// units were told at the same moment (DI-7).
public struct EmergencyNotified: Codable, Sendable, Equatable {
    public let assignment: String
    public let leadUnit: String
    public let units: [String]
    public let category: String
    public let urgency: String
    public init(assignment: String, leadUnit: String, units: [String], category: String, urgency: String) {
        self.assignment = assignment
        self.leadUnit = leadUnit
        self.units = units
        self.category = category
        self.urgency = urgency
    }
    enum CodingKeys: String, CodingKey {
        case assignment, units, category, urgency
        case leadUnit = "lead_unit"
    }
}

/// `catalogue.rule_added` / `catalogue.rule_retired` (dispatch): the boundary list changed.
public struct CatalogueRuleChanged: Codable, Sendable, Equatable {
    public let rule: String
    public let category: String
    public let region: String?
    public let lead: String
    public let assists: [String]
    /// Further joint leads of the rule (absent: one lead).
    public let jointLeads: [String]?
    public let dispute: String?
    public let by: ActedBy
    public init(rule: String, category: String, region: String?, lead: String, assists: [String], jointLeads: [String]? = nil,
                dispute: String?, by: ActedBy) {
        self.rule = rule
        self.category = category
        self.region = region
        self.lead = lead
        self.assists = assists
        self.jointLeads = jointLeads
        self.dispute = dispute
        self.by = by
    }
    enum CodingKeys: String, CodingKey {
        case rule, category, region, lead, assists, dispute, by
        case jointLeads = "joint_leads"
    }
}

/// `assist.responded` (dispatch): an assisting unit answered its 24-hour obligation, with
/// what it contributes to the lead's reply.
public struct AssistResponded: Codable, Sendable, Equatable {
    public let assignment: String
    public let unit: String
    public let contribution: String?
    public let by: ActedBy
    public init(assignment: String, unit: String, contribution: String?, by: ActedBy) {
        self.assignment = assignment
        self.unit = unit
        self.contribution = contribution
        self.by = by
    }
}
