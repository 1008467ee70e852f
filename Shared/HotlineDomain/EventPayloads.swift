import HotlineCore

/// The event contract between services (domain.md, "Events"): payload types per event type.
/// Field names are snake_case on the wire.
public enum EventType {
    public static let ticketReceived = "ticket.received"
    public static let ticketRepeatLinked = "ticket.repeat_linked"
    public static let ticketClosedAtIntake = "ticket.closed_at_intake"
    public static let ticketQueued = "ticket.queued"
    public static let ticketDispatched = "ticket.dispatched"
    public static let assignmentAccepted = "assignment.accepted"
    public static let ticketReplied = "ticket.replied"
    /// One joint lead replied for its part while other parts are still open.
    public static let assignmentReplied = "assignment.replied"
    public static let ticketReopened = "ticket.reopened"
    public static let ticketClosed = "ticket.closed"
    public static let assignmentPaused = "assignment.paused"
    public static let assignmentResumed = "assignment.resumed"
    public static let extensionRequested = "assignment.extension_requested"
    public static let extensionDecided = "assignment.extension_decided"
    public static let returnRequested = "assignment.return_requested"
    public static let disputeDecided = "dispute.decided"
    public static let escalationRequested = "assignment.escalation_requested"
    public static let escalationRejected = "assignment.escalation_rejected"
    public static let ticketEscalated = "ticket.escalated"
    public static let ticketEmergencyNotified = "ticket.emergency_notified"
    public static let assistResponded = "assist.responded"
    public static let catalogueRuleAdded = "catalogue.rule_added"
    public static let catalogueRuleRetired = "catalogue.rule_retired"
    public static let deadlineSet = "deadline.set"
    public static let deadlineMissed = "deadline.missed"
    public static let deadlineReminded = "deadline.reminded"
    public static let spotCheckRecorded = "spot_check.recorded"
    public static let levelRaised = "supervision.level_raised"
    public static let letterIssued = "letter.issued"
    public static let alertAcknowledged = "alert.acknowledged"
    public static let hotspotAlerted = "hotspot.alerted"
    public static let doubleAlertRaised = "double_alert.raised"
    public static let ticketListed = "ticket.listed"
    public static let callbackScheduled = "callback.scheduled"
    public static let callbackAttempted = "callback.attempted"
    public static let callbackCompleted = "callback.completed"
    public static let callbackUnreachable = "callback.unreachable"
    public static let reportPublished = "report.published"
}

/// Where a matter is: an address, a region code of the county, optional coordinates.
public struct TicketLocation: Codable, Sendable, Equatable {
    public var address: String?
    public var region: String?
    public var latitude: Double?
    public var longitude: Double?

    public init(address: String?, region: String?, latitude: Double?, longitude: Double?) {
        self.address = address
        self.region = region
        self.latitude = latitude
        self.longitude = longitude
    }
}

extension TicketLocation: JSONValueConvertible {
    public var jsonValue: JSONValue {
        var o: [String: JSONValue] = [:]
        o["address"] = address.jsonMember
        o["region"] = region.jsonMember
        o["latitude"] = latitude.jsonMember
        o["longitude"] = longitude.jsonMember
        return .object(o)
    }
}

/// `ticket.received` (intake): the ticket without the caller's readable contact.
public struct TicketReceived: Codable, Sendable, Equatable, JSONValueConvertible {
    public let channel: String
    public let channelRef: String
    public let kind: String
    public let domain: String
    public let category: String
    public let urgency: String
    public let content: String
    public let location: TicketLocation
    public let enterprise: Bool
    public let tags: [String]
    public let caller: MaskedCaller
    public let receivedAt: String
    /// Set when intake linked this ticket as a repeat of an open one: not dispatched again.
    public let repeatOf: String?
    /// Set when the agent answered a consultation on the call: closed, not dispatched.
    public let closedAtIntake: Bool?

    public struct MaskedCaller: Codable, Sendable, Equatable {
        public let name: String?
        public let phone: String?
        /// HMAC-SHA256 of the normalised phone under intake's key.
        public let phoneHash: String?
        public let anonymous: Bool
        public init(name: String?, phone: String?, phoneHash: String?, anonymous: Bool) {
            self.name = name
            self.phone = phone
            self.phoneHash = phoneHash
            self.anonymous = anonymous
        }
        enum CodingKeys: String, CodingKey {
            case name, phone, anonymous
            case phoneHash = "phone_hash"
        }

        public var jsonValue: JSONValue {
            var o: [String: JSONValue] = ["anonymous": .bool(anonymous)]
            o["name"] = name.jsonMember
            o["phone"] = phone.jsonMember
            o["phone_hash"] = phoneHash.jsonMember
            return .object(o)
        }
    }

    public init(channel: String, channelRef: String, kind: String, domain: String, category: String, urgency: String,
                content: String, location: TicketLocation, enterprise: Bool, tags: [String], caller: MaskedCaller,
                receivedAt: String, repeatOf: String? = nil, closedAtIntake: Bool? = nil) {
        self.repeatOf = repeatOf
        self.closedAtIntake = closedAtIntake
        self.channel = channel
        self.channelRef = channelRef
        self.kind = kind
        self.domain = domain
        self.category = category
        self.urgency = urgency
        self.content = content
        self.location = location
        self.enterprise = enterprise
        self.tags = tags
        self.caller = caller
        self.receivedAt = receivedAt
    }

    /// Built by hand: intake encodes one per ticket on its hot path.
    public var jsonValue: JSONValue {
        var o: [String: JSONValue] = [
            "channel": .string(channel), "channel_ref": .string(channelRef), "kind": .string(kind), "domain": .string(domain),
            "category": .string(category), "urgency": .string(urgency), "content": .string(content),
            "location": location.jsonValue, "enterprise": .bool(enterprise), "tags": .array(tags.map(JSONValue.string)),
            "caller": caller.jsonValue, "received_at": .string(receivedAt),
        ]
        o["repeat_of"] = repeatOf.jsonMember
        o["closed_at_intake"] = closedAtIntake.map(JSONValue.bool)
        return .object(o)
    }

    /// The same ticket, linked as a repeat of `original`.
    public func linked(to original: String) -> TicketReceived {
        TicketReceived(channel: channel, channelRef: channelRef, kind: kind, domain: domain, category: category, urgency: urgency,
                       content: content, location: location, enterprise: enterprise, tags: tags, caller: caller,
                       receivedAt: receivedAt, repeatOf: original, closedAtIntake: closedAtIntake)
    }

    enum CodingKeys: String, CodingKey {
        case channel, kind, domain, category, urgency, content, location, enterprise, tags, caller
        case channelRef = "channel_ref"
        case receivedAt = "received_at"
        case repeatOf = "repeat_of"
        case closedAtIntake = "closed_at_intake"
    }
}

/// `ticket.repeat_linked` (intake): the ticket repeats an open one (IN-4).
public struct TicketRepeatLinked: Codable, Sendable, Equatable {
    public let original: String
    /// How many repeats the original has now.
    public let repeatCount: Int
    public init(original: String, repeatCount: Int) {
        self.original = original
        self.repeatCount = repeatCount
    }
    enum CodingKeys: String, CodingKey {
        case original
        case repeatCount = "repeat_count"
    }
}

/// `ticket.closed_at_intake` (intake): a consultation answered on the call (IN-5).
public struct TicketClosedAtIntake: Codable, Sendable, Equatable {
    public let answer: String
    public let knowledgeID: String?
    public init(answer: String, knowledgeID: String?) {
        self.answer = answer
        self.knowledgeID = knowledgeID
    }
    enum CodingKeys: String, CodingKey {
        case answer
        case knowledgeID = "knowledge_id"
    }
}

/// `ticket.queued` (dispatch): no routing rule matched; the centre must dispatch by hand.
public struct TicketQueued: Codable, Sendable, Equatable {
    public let reason: String
    public init(reason: String) { self.reason = reason }
}

/// `ticket.dispatched` (dispatch). Carries the ticket facts supervision needs for the SLA.
public struct TicketDispatched: Codable, Sendable, Equatable {
    public let assignment: String
    public let round: Int
    public let tier: Int
    /// independent, lead_assist, joint
    public let mode: String
    public let leadUnit: String
    public let assistingUnits: [String]
    /// rule or centre
    public let by: String
    public let channel: String
    public let kind: String
    public let urgency: String
    public let category: String
    public let enterprise: Bool
    /// Joint mode: every lead of the joint dispatch, this one included (absent otherwise).
    public let jointLeads: [String]?
    /// The ticket's tags from intake (e.g. `petition_office`: the petition office assigned it too).
    public let tags: [String]?

    public init(assignment: String, round: Int, tier: Int, mode: String, leadUnit: String, assistingUnits: [String],
                by: String, channel: String, kind: String, urgency: String, category: String, enterprise: Bool,
                jointLeads: [String]? = nil, tags: [String]? = nil) {
        self.assignment = assignment
        self.round = round
        self.tier = tier
        self.mode = mode
        self.leadUnit = leadUnit
        self.assistingUnits = assistingUnits
        self.by = by
        self.channel = channel
        self.kind = kind
        self.urgency = urgency
        self.category = category
        self.enterprise = enterprise
        self.jointLeads = jointLeads
        self.tags = tags
    }

    enum CodingKeys: String, CodingKey {
        case assignment, round, tier, mode, by, channel, kind, urgency, category, enterprise, tags
        case leadUnit = "lead_unit"
        case assistingUnits = "assisting_units"
        case jointLeads = "joint_leads"
    }
}

/// `assignment.accepted` (dispatch).
public struct AssignmentAccepted: Codable, Sendable, Equatable {
    public let assignment: String
    public let unit: String
    /// Who accepted (absent in events written before it was recorded).
    public let by: ActedBy?
    public init(assignment: String, unit: String, by: ActedBy? = nil) {
        self.assignment = assignment
        self.unit = unit
        self.by = by
    }
}

/// `ticket.replied` (dispatch).
public struct TicketReplied: Codable, Sendable, Equatable {
    /// The assignment whose reply completed the ticket's round.
    public let assignment: String
    public let unit: String
    /// What the citizen is told: the lead's reply, or every joint lead's part, followed by
    /// what assisting units contributed.
    public let result: String
    /// Whether the caller can be called back at all.
    public let callerAnonymous: Bool
    /// Who replied (absent in events written before it was recorded).
    public let by: ActedBy?
    /// Links to photos or documents of what was done.
    public let attachments: [String]?
    /// When `result` was composed (joint leads, or contributions): each lead's own reply in
    /// this round, in the order they came.
    public let parts: [Part]?
    /// What assisting units contributed, merged into `result`.
    public let contributions: [Contribution]?

    public struct Part: Codable, Sendable, Equatable {
        public let assignment: String
        public let unit: String
        /// The lead's own words.
        public let result: String
        public let attachments: [String]?
        public init(assignment: String, unit: String, result: String, attachments: [String]?) {
            self.assignment = assignment
            self.unit = unit
            self.result = result
            self.attachments = attachments
        }
    }

    public struct Contribution: Codable, Sendable, Equatable {
        public let unit: String
        public let text: String
        public init(unit: String, text: String) {
            self.unit = unit
            self.text = text
        }
    }

    public init(assignment: String, unit: String, result: String, callerAnonymous: Bool, by: ActedBy? = nil, attachments: [String]? = nil,
                parts: [Part]? = nil, contributions: [Contribution]? = nil) {
        self.assignment = assignment
        self.unit = unit
        self.result = result
        self.callerAnonymous = callerAnonymous
        self.by = by
        self.attachments = attachments
        self.parts = parts
        self.contributions = contributions
    }
    enum CodingKeys: String, CodingKey {
        case assignment, unit, result, by, attachments, parts, contributions
        case callerAnonymous = "caller_anonymous"
    }
}

/// `assignment.replied` (dispatch): a joint lead replied for its own part while other parts
/// are still open; the ticket is replied (`ticket.replied`) when the last part comes in.
public struct AssignmentReplied: Codable, Sendable, Equatable {
    public let assignment: String
    public let unit: String
    public let result: String
    public let by: ActedBy
    public let attachments: [String]?
    /// The lead units whose parts are still open.
    public let outstanding: [String]
    public init(assignment: String, unit: String, result: String, by: ActedBy, attachments: [String]?, outstanding: [String]) {
        self.assignment = assignment
        self.unit = unit
        self.result = result
        self.by = by
        self.attachments = attachments
        self.outstanding = outstanding
    }
}

/// `spot_check.recorded` (supervision, SU-7): staff checked a closed or replied ticket;
/// falsified or perfunctory handling reopens it for the same lead (DI re-handling).
public struct SpotCheckRecorded: Codable, Sendable, Equatable {
    /// confirmed, falsified or perfunctory
    public let outcome: String
    /// The assignment checked (the round's reply), when known.
    public let assignment: String?
    public let note: String?
    public let by: ActedBy?
    public init(outcome: String, assignment: String?, note: String?, by: ActedBy?) {
        self.outcome = outcome
        self.assignment = assignment
        self.note = note
        self.by = by
    }

    /// Whether the outcome sends the ticket back for re-handling.
    public var reopens: Bool { outcome == "falsified" || outcome == "perfunctory" }
}

/// `ticket.reopened` (dispatch): a new round for the same lead unit.
public struct TicketReopened: Codable, Sendable, Equatable {
    public let reason: String
    public let round: Int
    public init(reason: String, round: Int) {
        self.reason = reason
        self.round = round
    }
}

/// `ticket.closed` (dispatch).
public struct TicketClosed: Codable, Sendable, Equatable {
    /// callback, no_callback_possible, intake
    public let how: String
    public init(how: String) { self.how = how }
}

/// `deadline.set` / `deadline.missed` (supervision).
public struct DeadlineEvent: Codable, Sendable, Equatable {
    public let assignment: String
    public let unit: String
    /// response or reply
    public let which: String
    public let due: String
    public let policy: String

    public init(assignment: String, unit: String, which: String, due: String, policy: String) {
        self.assignment = assignment
        self.unit = unit
        self.which = which
        self.due = due
        self.policy = policy
    }
}

/// `deadline.reminded` (supervision, SU-3): a deadline draws near — 75% of its allowed time
/// has passed, or one hour is left of one under a day.
public struct DeadlineReminded: Codable, Sendable, Equatable {
    public let assignment: String
    public let unit: String
    public let which: String
    public let due: String
    public let policy: String
    /// three_quarters or hour_before
    public let kind: String
    public let remindAt: String

    public init(deadline d: DeadlineEvent, kind: String, remindAt: String) {
        assignment = d.assignment
        unit = d.unit
        which = d.which
        due = d.due
        policy = d.policy
        self.kind = kind
        self.remindAt = remindAt
    }

    enum CodingKeys: String, CodingKey {
        case assignment, unit, which, due, policy, kind
        case remindAt = "remind_at"
    }
}

/// `supervision.level_raised` (SU-4): the escalation ladder of an unreplied ticket climbed.
public struct LevelRaised: Codable, Sendable, Equatable {
    /// The open assignment the level is about (at level 4 dispatch escalates it a tier).
    public let assignment: String
    public let unit: String
    public let round: Int
    public let level: Int
    public let addressee: Addressee
    /// automatic (the interval passed) or centre (urging by hand, 催办)
    public let raisedBy: String
    public let note: String?
    /// The letter issued with the level (3: supervision letter, 5: one-case report).
    public let letter: String?
    public let by: ActedBy?

    public struct Addressee: Codable, Sendable, Equatable {
        /// handler, unit, head, task_force or county_leader
        public let role: String
        public let name: String
        public let unit: String
        public init(role: String, name: String, unit: String) {
            self.role = role
            self.name = name
            self.unit = unit
        }
    }

    public init(assignment: String, unit: String, round: Int, level: Int, addressee: Addressee, raisedBy: String, note: String?,
                letter: String?, by: ActedBy?) {
        self.assignment = assignment
        self.unit = unit
        self.round = round
        self.level = level
        self.addressee = addressee
        self.raisedBy = raisedBy
        self.note = note
        self.letter = letter
        self.by = by
    }

    enum CodingKeys: String, CodingKey {
        case assignment, unit, round, level, addressee, note, letter, by
        case raisedBy = "raised_by"
    }
}

/// `alert.acknowledged` (SU-8): the addressee (or the centre) has seen an alert.
public struct AlertAcknowledged: Codable, Sendable, Equatable {
    public let alert: String
    public let kind: String
    public let level: Int?
    public let by: ActedBy
    public init(alert: String, kind: String, level: Int?, by: ActedBy) {
        self.alert = alert
        self.kind = kind
        self.level = level
        self.by = by
    }
}

/// `hotspot.alerted` (SU-5): a cluster of tickets of one category at one place first reached
/// a level within the window. About a place, not one ticket.
public struct HotspotAlerted: Codable, Sendable, Equatable {
    /// grid:CODE or address:NORMALISED
    public let place: String
    public let category: String
    /// The window's length in seconds, and the tickets in it when the level was reached.
    public let windowSeconds: Int
    public let count: Int
    /// deputy, head or county
    public let level: String
    public let unit: String?
    public let addressee: LevelRaised.Addressee
    /// The cluster's latest tickets (at most 100; `count` is how many there are).
    public let tickets: [String]
    public init(place: String, category: String, windowSeconds: Int, count: Int, level: String, unit: String?,
                addressee: LevelRaised.Addressee, tickets: [String]) {
        self.place = place
        self.category = category
        self.windowSeconds = windowSeconds
        self.count = count
        self.level = level
        self.unit = unit
        self.addressee = addressee
        self.tickets = tickets
    }
    enum CodingKeys: String, CodingKey {
        case place, category, count, level, unit, addressee, tickets
        case windowSeconds = "window_seconds"
    }
}

/// `double_alert.raised` (SU-6): a ticket the unit head and the county leader must both
/// watch — reopened twice or more, listed for supervision (挂牌督办), or also assigned by the
/// petition office. Once per reason.
public struct DoubleAlertRaised: Codable, Sendable, Equatable {
    /// reopened_twice, listed or petition_office
    public let reason: String
    /// Every reason the ticket has so far, this one included.
    public let reasons: [String]
    public let unit: String
    public let addressees: [LevelRaised.Addressee]
    public let note: String?
    public init(reason: String, reasons: [String], unit: String, addressees: [LevelRaised.Addressee], note: String?) {
        self.reason = reason
        self.reasons = reasons
        self.unit = unit
        self.addressees = addressees
        self.note = note
    }
}

/// `ticket.listed` (SU-6): the centre listed the ticket for supervision (挂牌督办).
public struct TicketListed: Codable, Sendable, Equatable {
    public let note: String
    public let by: ActedBy
    public init(note: String, by: ActedBy) {
        self.note = note
        self.by = by
    }
}

/// `letter.issued` (SU-4): a supervision letter (督办函) or a one-case report (一事一报).
public struct LetterIssued: Codable, Sendable, Equatable {
    public let letter: String
    public let number: String
    /// supervision_letter or one_case_report
    public let kind: String
    public let addressee: LevelRaised.Addressee
    public let assignment: String
    public let unit: String
    public init(letter: String, number: String, kind: String, addressee: LevelRaised.Addressee, assignment: String, unit: String) {
        self.letter = letter
        self.number = number
        self.kind = kind
        self.addressee = addressee
        self.assignment = assignment
        self.unit = unit
    }
}

/// `callback.scheduled` (survey).
public struct CallbackScheduled: Codable, Sendable, Equatable {
    /// The reply's assignment, or `intake:TICKET` for a sampled consultation closed at intake.
    public let assignment: String
    public let due: String
    /// reply (after a unit's reply) or intake_sample (CB-4); absent in events before it was recorded: reply.
    public let kind: String?
    public init(assignment: String, due: String, kind: String? = nil) {
        self.assignment = assignment
        self.due = due
        self.kind = kind
    }
}

/// `callback.attempted` (survey): the citizen was not reached this time.
public struct CallbackAttempted: Codable, Sendable, Equatable {
    public let assignment: String
    public let attempt: Int
    public let reached: Bool
    public init(assignment: String, attempt: Int) {
        self.assignment = assignment
        self.attempt = attempt
        self.reached = false
    }
}

/// `callback.completed` (survey).
public struct CallbackCompleted: Codable, Sendable, Equatable {
    public let assignment: String
    public let resolved: Bool
    /// satisfied, basic, unsatisfied
    public let satisfaction: String
    public let comment: String?
    /// reply or intake_sample (a consultation closed at intake, no unit's reply); absent: reply.
    public let kind: String?
    public init(assignment: String, resolved: Bool, satisfaction: String, comment: String?, kind: String? = nil) {
        self.assignment = assignment
        self.resolved = resolved
        self.satisfaction = satisfaction
        self.comment = comment
        self.kind = kind
    }
}

/// `callback.unreachable` (survey).
public struct CallbackUnreachable: Codable, Sendable, Equatable {
    public let assignment: String
    public let attempts: Int
    /// anonymous or unreachable
    public let reason: String
    /// reply or intake_sample; absent: reply.
    public let kind: String?
    public init(assignment: String, attempts: Int, reason: String, kind: String? = nil) {
        self.assignment = assignment
        self.attempts = attempts
        self.reason = reason
        self.kind = kind
    }
}

/// `report.published` (kpi, KP-4): a report's canonical bytes were stored immutably. The
/// bytes' SHA-256 and the history they were computed from (each followed stream's last
/// applied seq and hash) are chained in the kpi stream, so neither can change unseen.
public struct ReportPublished: Codable, Sendable, Equatable {
    public let period: String
    /// monthly (the county's ranking and health reports)
    public let scope: String
    public let version: Int
    public let sha256: String
    public let publishedAt: String
    /// scheduled or on_demand
    public let trigger: String
    public let history: [StreamPosition]

    public struct StreamPosition: Codable, Sendable, Equatable {
        public let stream: String
        public let seq: Int64
        public let hash: String
        public init(stream: String, seq: Int64, hash: String) {
            self.stream = stream
            self.seq = seq
            self.hash = hash
        }
    }

    public init(period: String, scope: String, version: Int, sha256: String, publishedAt: String, trigger: String, history: [StreamPosition]) {
        self.period = period
        self.scope = scope
        self.version = version
        self.sha256 = sha256
        self.publishedAt = publishedAt
        self.trigger = trigger
        self.history = history
    }

    enum CodingKeys: String, CodingKey {
        case period, scope, version, sha256, trigger, history
        case publishedAt = "published_at"
    }
}
