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
