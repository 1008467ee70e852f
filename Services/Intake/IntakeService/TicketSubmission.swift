import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP

/// What a channel sends to `POST /v1/tickets`. Unknown fields are ignored (documented in
/// the OpenAPI document), so channels can send their own extras without breaking.
public struct TicketSubmission: Codable, Sendable, Equatable {
    public var channelRef: String
    public var kind: String
    public var domain: String?
    public var category: String
    public var urgency: String?
    public var content: String
    public var caller: Caller?
    public var location: TicketLocation?
    public var enterprise: Bool?
    public var attachments: [String]?
    public var tags: [String]?
    /// A consultation the agent answered on the call: closed at once (IN-5).
    public var closedAtIntake: IntakeAnswer?

    public struct IntakeAnswer: Codable, Sendable, Equatable {
        /// The answer given; taken from the knowledge base entry when omitted.
        public var answer: String?
        public var knowledgeID: String?

        public init(answer: String?, knowledgeID: String?) {
            self.answer = answer
            self.knowledgeID = knowledgeID
        }

        enum CodingKeys: String, CodingKey {
            case answer
            case knowledgeID = "knowledge_id"
        }
    }

    public struct Caller: Codable, Sendable, Equatable {
        public var name: String?
        public var phone: String?
        public var anonymous: Bool?

        public init(name: String?, phone: String?, anonymous: Bool?) {
            self.name = name
            self.phone = phone
            self.anonymous = anonymous
        }
    }

    public init(channelRef: String, kind: String, domain: String?, category: String, urgency: String?, content: String,
                caller: Caller?, location: TicketLocation?, enterprise: Bool?, attachments: [String]?, tags: [String]?,
                closedAtIntake: IntakeAnswer? = nil) {
        self.closedAtIntake = closedAtIntake
        self.channelRef = channelRef
        self.kind = kind
        self.domain = domain
        self.category = category
        self.urgency = urgency
        self.content = content
        self.caller = caller
        self.location = location
        self.enterprise = enterprise
        self.attachments = attachments
        self.tags = tags
    }

    enum CodingKeys: String, CodingKey {
        case channelRef = "channel_ref"
        case kind, domain, category, urgency, content, caller, location, enterprise, attachments, tags
        case closedAtIntake = "closed_at_intake"
    }
}

/// A submission that passed validation, normalised.
public struct ValidTicket: Sendable, Equatable {
    public let channelRef: String
    public let kind: String
    public let domain: String
    public let category: String
    public let urgency: String
    public let content: String
    public let callerName: String?
    /// Digits only, mainland form (no +86).
    public let callerPhone: String?
    public let anonymous: Bool
    public let address: String?
    public let region: String?
    public let latitude: Double?
    public let longitude: Double?
    public let enterprise: Bool
    public let attachments: [String]
    public let tags: [String]
    /// The answer given on the call, when closed at intake.
    public let intakeAnswer: String?
    public let knowledgeID: String?

    /// Where the matter is, for repeat detection: the region code, else the address without
    /// spaces and punctuation, else nothing.
    public var placeKey: String? {
        if let region { return region }
        let cleaned = (address ?? "").lowercased().filter { $0.isLetter || $0.isNumber }
        return cleaned.isEmpty ? nil : cleaned
    }
}

/// Validation of a submission against the county's catalogue: pure, every bad field named.
public enum TicketValidator {
    public static let kinds = ["consultation", "help", "complaint", "report", "suggestion", "praise"]
    public static let domains = ["livelihood", "law_enforcement", "enterprise"]
    public static let urgencies = ["normal", "urgent", "emergency"]
    public static let maxContent = 5000
    public static let maxAttachments = 10

    public static func validate(_ s: TicketSubmission, county: CountyConfig) -> Result<ValidTicket, Problem> {
        var errors: [Problem.FieldError] = []
        func check(_ field: String, _ problem: String?) {
            if let problem { errors.append(.init(field, problem)) }
        }
        check("channel_ref", TextRules.problem(required: s.channelRef, maxLength: 128, lines: .single))
        let ref = s.channelRef.trimmingWhitespaceAndNewlines()
        if !kinds.contains(s.kind) { errors.append(.init("kind", "must be one of \(kinds.joined(separator: ", "))")) }
        let category = county.category(s.category)
        if category == nil { errors.append(.init("category", "is not in the catalogue")) }
        let domain = s.domain ?? category?.domain ?? "livelihood"
        if !domains.contains(domain) { errors.append(.init("domain", "must be one of \(domains.joined(separator: ", "))")) }
        let urgency = s.urgency ?? "normal"
        if !urgencies.contains(urgency) { errors.append(.init("urgency", "must be one of \(urgencies.joined(separator: ", "))")) }
        check("content", TextRules.problem(required: s.content, maxLength: maxContent, lines: .multiple))
        let content = s.content.trimmingWhitespaceAndNewlines()
        let anonymous = s.caller?.anonymous ?? false
        var phone: String?
        if let raw = s.caller?.phone, !raw.isEmpty {
            phone = PhoneNumber.normalise(raw)
            if phone == nil { errors.append(.init("caller.phone", "is not a mainland mobile or landline number")) }
        } else if !anonymous {
            errors.append(.init("caller.phone", "is required unless the caller is anonymous"))
        }
        if let name = s.caller?.name { check("caller.name", TextRules.problem(optional: name, maxLength: 64, lines: .single)) }
        let name = s.caller?.name?.trimmingWhitespaceAndNewlines()
        if let region = s.location?.region, county.region(region) == nil {
            errors.append(.init("location.region", "is not a region code of this county"))
        }
        if let address = s.location?.address { check("location.address", TextRules.problem(optional: address, maxLength: 500, lines: .single)) }
        if let lat = s.location?.latitude, !(-90...90).contains(lat) { errors.append(.init("location.latitude", "must be within -90…90")) }
        if let lon = s.location?.longitude, !(-180...180).contains(lon) {
            errors.append(.init("location.longitude", "must be within -180…180"))
        }
        if (s.location?.latitude == nil) != (s.location?.longitude == nil) {
            errors.append(.init("location", "latitude and longitude go together"))
        }
        let attachments = s.attachments ?? []
        if attachments.count > maxAttachments { errors.append(.init("attachments", "at most \(maxAttachments)")) }
        for (i, url) in attachments.enumerated() where !AttachmentURL.isValid(url) {
            errors.append(.init("attachments[\(i)]", "must be an http(s) URL of printable ASCII, at most \(AttachmentURL.maxLength) characters"))
        }
        let tags = s.tags ?? []
        if tags.count > 10 { errors.append(.init("tags", "at most 10 tags")) }
        for (i, tag) in tags.enumerated() { check("tags[\(i)]", TextRules.problem(required: tag, maxLength: 64, lines: .single)) }
        var intakeAnswer: String?
        if let closure = s.closedAtIntake {
            if s.kind != "consultation" { errors.append(.init("closed_at_intake", "only a consultation can be closed at intake")) }
            if let answer = closure.answer { check("closed_at_intake.answer", TextRules.problem(required: answer, maxLength: maxContent, lines: .multiple)) }
            if let id = closure.knowledgeID {
                if let entry = county.knowledgeBase.entry(id) {
                    intakeAnswer = closure.answer ?? entry.answer
                } else {
                    errors.append(.init("closed_at_intake.knowledge_id", "is not in the knowledge base"))
                }
            } else if let answer = closure.answer {
                intakeAnswer = answer
            } else {
                errors.append(.init("closed_at_intake", "give an answer or a knowledge_id"))
            }
            intakeAnswer = intakeAnswer?.trimmingWhitespaceAndNewlines()
        }
        guard errors.isEmpty else { return .failure(Problem.invalid(errors)) }
        return .success(ValidTicket(
            channelRef: ref, kind: s.kind, domain: domain, category: s.category, urgency: urgency, content: content,
            callerName: anonymous || name?.isEmpty != false ? nil : name, callerPhone: anonymous ? nil : phone, anonymous: anonymous,
            address: s.location?.address, region: s.location?.region, latitude: s.location?.latitude,
            longitude: s.location?.longitude, enterprise: s.enterprise ?? false, attachments: attachments, tags: tags,
            intakeAnswer: intakeAnswer, knowledgeID: s.closedAtIntake?.knowledgeID))
    }

    /// The content fingerprint that decides whether a retry is the same submission: SHA-256
    /// over the normalised fields (so `+86 138-…` and `138…` are the same phone), each
    /// length-prefixed so that no two different tickets share a fingerprint by concatenation.
    public static func fingerprint(_ t: ValidTicket) -> String {
        var h = SHA256()
        func add(_ s: String?) {
            guard let s else {
                h.update("-;")
                return
            }
            h.update("\(s.utf8.count):")
            h.update(s)
        }
        for field in [t.kind, t.domain, t.category, t.urgency, t.content, t.callerName, t.callerPhone, String(t.anonymous),
                      t.address, t.region, t.latitude.map { String($0) }, t.longitude.map { String($0) }, String(t.enterprise),
                      t.intakeAnswer, t.knowledgeID] as [String?] {
            add(field)
        }
        for list in [t.attachments, t.tags] {
            add(String(list.count))
            for item in list { add(item) }
        }
        return Hex.encode(h.finalize())
    }
}
