import Foundation
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
        let ref = s.channelRef.trimmingWhitespace()
        if ref.isEmpty || ref.count > 128 { errors.append(.init("channel_ref", "must be 1–128 characters")) }
        if !kinds.contains(s.kind) { errors.append(.init("kind", "must be one of \(kinds.joined(separator: ", "))")) }
        let category = county.category(s.category)
        if category == nil { errors.append(.init("category", "is not in the category catalogue")) }
        let domain = s.domain ?? category?.domain ?? "livelihood"
        if !domains.contains(domain) { errors.append(.init("domain", "must be one of \(domains.joined(separator: ", "))")) }
        let urgency = s.urgency ?? "normal"
        if !urgencies.contains(urgency) { errors.append(.init("urgency", "must be one of \(urgencies.joined(separator: ", "))")) }
        let content = s.content.trimmingWhitespaceAndNewlines()
        if content.isEmpty { errors.append(.init("content", "must not be empty")) }
        if content.count > maxContent { errors.append(.init("content", "must be at most \(maxContent) characters")) }
        let anonymous = s.caller?.anonymous ?? false
        var phone: String?
        if let raw = s.caller?.phone, !raw.isEmpty {
            phone = normalisePhone(raw)
            if phone == nil { errors.append(.init("caller.phone", "is not a mainland mobile or landline number")) }
        }
        let name = s.caller?.name?.trimmingWhitespace()
        if let name, name.count > 64 { errors.append(.init("caller.name", "must be at most 64 characters")) }
        if !anonymous && phone == nil { errors.append(.init("caller.phone", "is required unless the caller is anonymous")) }
        if let region = s.location?.region, county.region(region) == nil {
            errors.append(.init("location.region", "is not a region code of this county"))
        }
        if let address = s.location?.address, address.count > 500 {
            errors.append(.init("location.address", "must be at most 500 characters"))
        }
        if let lat = s.location?.latitude, !(-90...90).contains(lat) { errors.append(.init("location.latitude", "must be within -90…90")) }
        if let lon = s.location?.longitude, !(-180...180).contains(lon) {
            errors.append(.init("location.longitude", "must be within -180…180"))
        }
        if (s.location?.latitude == nil) != (s.location?.longitude == nil) {
            errors.append(.init("location", "latitude and longitude go together"))
        }
        let attachments = s.attachments ?? []
        if attachments.count > maxAttachments { errors.append(.init("attachments", "at most \(maxAttachments)")) }
        for (i, url) in attachments.enumerated() {
            guard url.count <= 2048, let u = URL(string: url), ["http", "https"].contains(u.scheme ?? ""), u.host != nil else {
                errors.append(.init("attachments[\(i)]", "must be an http(s) URL"))
                continue
            }
        }
        let tags = s.tags ?? []
        if tags.count > 10 || tags.contains(where: { $0.isEmpty || $0.count > 64 }) {
            errors.append(.init("tags", "at most 10 tags of 1–64 characters"))
        }
        var intakeAnswer: String?
        if let closure = s.closedAtIntake {
            if s.kind != "consultation" { errors.append(.init("closed_at_intake", "only a consultation can be closed at intake")) }
            if let id = closure.knowledgeID {
                if let entry = county.knowledgeBase.entry(id) {
                    intakeAnswer = closure.answer ?? entry.answer
                } else {
                    errors.append(.init("closed_at_intake.knowledge_id", "is not in the knowledge base"))
                }
            } else {
                intakeAnswer = closure.answer
            }
            let text = intakeAnswer?.trimmingWhitespaceAndNewlines() ?? ""
            if s.closedAtIntake?.knowledgeID == nil && (text.isEmpty || text.count > maxContent) {
                errors.append(.init("closed_at_intake.answer", "must be 1–\(maxContent) characters, or give a knowledge_id"))
            }
        }
        guard errors.isEmpty else { return .failure(Problem.invalid(errors)) }
        return .success(ValidTicket(
            channelRef: ref, kind: s.kind, domain: domain, category: s.category, urgency: urgency, content: content,
            callerName: anonymous ? nil : name, callerPhone: anonymous ? nil : phone, anonymous: anonymous,
            address: s.location?.address, region: s.location?.region, latitude: s.location?.latitude,
            longitude: s.location?.longitude, enterprise: s.enterprise ?? false, attachments: attachments, tags: tags,
            intakeAnswer: intakeAnswer, knowledgeID: s.closedAtIntake?.knowledgeID))
    }

    /// `+86 138-1234-5678` → `13812345678`; landlines keep their area code (`057188886666`).
    public static func normalisePhone(_ raw: String) -> String? {
        var digits = raw.filter { $0.isASCII && $0.isNumber }
        let allowed = raw.allSatisfy { ($0.isASCII && $0.isNumber) || " -+()".contains($0) }
        guard allowed else { return nil }
        if digits.hasPrefix("86") && digits.count == 13 { digits.removeFirst(2) }
        if digits.count == 11 && digits.hasPrefix("1") { return digits }
        if digits.hasPrefix("0") && (10...12).contains(digits.count) { return digits }
        return nil
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
