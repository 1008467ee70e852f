import HotlineCore
import HotlineDomain
import HotlineHTTP

/// A GeoReport v2 create form turned into intake's own submission: pure, so every rule is
/// tested without a server.
///
/// Lenient where the spec and real clients are: empty fields count as absent, `description`
/// is optional, a flag takes the usual spellings of true and false, and names in Latin
/// letters keep a space. Strict where the service definition is: `attribute[kind]` and
/// `attribute[urgency]` take its keys exactly. Errors name the form's own fields, never
/// intake's internal ones.
struct Open311Form: Sendable {
    let fields: [String: String]

    /// Later duplicates lose; empty values count as absent.
    init(_ pairs: [(String, String)]) {
        var fields: [String: String] = [:]
        for (k, v) in pairs where fields[k] == nil && !v.isEmpty { fields[k] = v }
        self.fields = fields
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// The client's own reference, when it gave one: idempotency then follows it (IN-3).
    var clientReference: String? { fields["attribute[channel_ref]"] }

    /// A reference for validation when the client gave none (the store makes the real one).
    static let placeholderReference = "open311"

    /// The submission, or the form's errors as `(field, message)` pairs.
    func submission(county: CountyConfig) -> Result<TicketSubmission, Problem> {
        var errors: [Problem.FieldError] = []
        let code = fields["service_code"]
        if code == nil { errors.append(.init("service_code", "is required")) }
        func coordinate(_ name: String) -> Double? {
            guard let text = fields[name] else { return nil }
            // Decimal notation only: Double() would also take hex floats, `nan` and `inf`.
            let decimal = text.trimmingWhitespace()
            guard decimal.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }),
                let v = Double(decimal), v.isFinite
            else {
                errors.append(.init(name, "must be a decimal number"))
                return nil
            }
            return v
        }
        let lat = coordinate("lat"), long = coordinate("long")
        if fields["lat"] == nil && fields["long"] == nil && fields["address_string"] == nil && fields["address_id"] == nil {
            errors.append(.init("address_string", "a location is required: lat and long, address_string or address_id"))
        }
        var enterprise: Bool?
        if let text = fields["attribute[enterprise]"] {
            enterprise = Self.flag(text)
            if enterprise == nil { errors.append(.init("attribute[enterprise]", "must be true or false (or yes/no, 1/0, 是/否)")) }
        }
        for (field, limit) in [("first_name", Self.maxFirstName), ("last_name", Self.maxLastName)] {
            if let text = fields[field], let problem = TextRules.problem(optional: text, maxLength: limit, lines: .single) {
                errors.append(.init(field, problem))
            }
        }
        guard errors.isEmpty, let code else { return .failure(Self.badRequest(errors)) }
        let phone = fields["phone"]
        let name = Self.fullName(first: fields["first_name"], last: fields["last_name"])
        let description = fields["description"].flatMap { $0.isBlank ? nil : $0 }
            ?? "\(county.category(code)?.name ?? code)（市民未填写描述 / no description given）"
        return .success(TicketSubmission(
            channelRef: clientReference ?? Self.placeholderReference,
            kind: fields["attribute[kind]"] ?? "complaint", domain: nil, category: code, urgency: fields["attribute[urgency]"],
            content: description,
            caller: .init(name: name, phone: phone, anonymous: phone == nil),
            location: .init(address: fields["address_string"], region: fields["address_id"], latitude: lat, longitude: long),
            enterprise: enterprise, attachments: fields["media_url"].map { [$0] }, tags: nil))
    }

    /// Together at most the 64 characters a caller's name may have, with the space between.
    static let maxFirstName = 31
    static let maxLastName = 32

    /// The spellings of a flag clients send (Python's `str(True)` among them): exactly these.
    static let trueSpellings: Set = ["true", "True", "TRUE", "yes", "Yes", "YES", "1", "是"]
    static let falseSpellings: Set = ["false", "False", "FALSE", "no", "No", "NO", "0", "否"]

    static func flag(_ text: String) -> Bool? {
        trueSpellings.contains(text) ? true : falseSpellings.contains(text) ? false : nil
    }

    /// Chinese names are family name then given name, without a space (李 + 雷 → 李雷);
    /// names in Latin letters are written given name first, with a space (Si + Li → Si Li).
    static func fullName(first: String?, last: String?) -> String? {
        let (given, family) = (first?.trimmingWhitespace() ?? "", last?.trimmingWhitespace() ?? "")
        guard !given.isEmpty || !family.isEmpty else { return nil }
        let latin = (given + family).unicodeScalars.contains { $0.isASCII && $0.properties.isAlphabetic }
        return latin ? [given, family].filter { !$0.isEmpty }.joined(separator: " ") : family + given
    }

    /// Intake's field names → the form's, for errors a client can act on.
    static func formField(_ name: String) -> String {
        switch name {
        case "category": return "service_code"
        case "content": return "description"
        case "location.region": return "address_id"
        case "location.address": return "address_string"
        case "location.latitude": return "lat"
        case "location.longitude": return "long"
        case "location": return "lat, long"
        case "caller.phone": return "phone"
        case "caller.name": return "first_name, last_name"
        case "channel_ref": return "attribute[channel_ref]"
        case "kind": return "attribute[kind]"
        case "urgency": return "attribute[urgency]"
        case "domain": return "service_code"
        default:
            if name.hasPrefix("attachments") { return "media_url" }
            return name
        }
    }

    /// A validation problem from intake, renamed to the form's fields.
    static func renamed(_ problem: Problem) -> Problem {
        guard let errors = problem.errors else { return problem }
        return badRequest(errors.map { .init(formField($0.field), $0.message) })
    }

    static func badRequest(_ errors: [Problem.FieldError]) -> Problem {
        var p = Problem.invalid(errors)
        p.status = 400
        return p
    }
}
