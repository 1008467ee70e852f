import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// Assisting units (DI-3): each answers its 24-hour obligation once, with what it contributes
/// to the lead's reply; the lead and the centre see who has answered.
enum AssistRoutes {
    struct Response: Codable, Sendable {
        let contribution: String?
    }

    struct AssistView: Codable, Sendable {
        let unit: String
        let respondedAt: String?
        let contribution: String?

        enum CodingKeys: String, CodingKey {
            case unit, contribution
            case respondedAt = "responded_at"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(unit, forKey: .unit)
            try c.encode(respondedAt, forKey: .respondedAt)
            try c.encode(contribution, forKey: .contribution)
        }
    }

    static let migration = Migration(106, "assisting units' responses", """
        CREATE TABLE assist_responses (
            assignment TEXT NOT NULL,
            unit TEXT NOT NULL,
            responded_at TEXT NOT NULL,
            contribution TEXT,
            by_whom TEXT NOT NULL,
            PRIMARY KEY (assignment, unit)
        );
        """)

    /// Why `unit` may not respond now, or nil: it must assist, the assignment must still be
    /// open, and it answers once.
    static func refusal(status: String, assists: [String], unit: String, responded: Bool) -> Problem? {
        guard assists.contains(unit) else { return .forbidden("\(unit) does not assist on this assignment") }
        guard ["dispatched", "accepted", "paused"].contains(status) else { return .conflict("the assignment is \(status)") }
        return responded ? .conflict("\(unit) has already responded") : nil
    }

    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("POST", "/v1/assignments/{id}/assist", roles: [.unit], maxBody: 64 * 1024, quick: true) { request in
                guard let principal = request.principal, let unit = principal.unit else { throw Problem(status: 401) }
                var contribution: String?
                if !request.body.isEmpty, let text = try request.decodeJSON(Response.self).contribution {
                    if let problem = TextRules.problem(optional: text, maxLength: 5000, lines: .multiple) {
                        throw Problem.invalid([.init("contribution", problem)])
                    }
                    let clean = Redaction.scrubPhones(text.trimmingWhitespaceAndNewlines())
                    contribution = clean.isEmpty ? nil : clean
                }
                return try .json(try await respond(request.parameter("id"), contribution: contribution, by: principal, unit: unit, context))
            },
            Route("GET", "/v1/assignments/{id}/assists", roles: [.unit, .centre]) { request in
                let id = request.parameter("id")
                let found = try await context.read { tx -> (Row, [Row])? in
                    guard let a = try tx.queryOne("SELECT * FROM assignments WHERE id = ?", [.text(id)]) else { return nil }
                    return (a, try tx.query("SELECT * FROM assist_responses WHERE assignment = ?", [.text(id)]))
                }
                guard let (a, responses) = found else { throw DispatchService.unseen("assignment \(id)", request.principal) }
                let assists = try DispatchService.units(inAssists: a)
                if request.principal?.role == .unit, a.string("lead_unit") != request.principal?.unit,
                    !assists.contains(request.principal?.unit ?? "") {
                    DispatchService.logForeignAttempt(request.principal, assignment: id, action: "assists", context)
                    throw DispatchService.unseen("assignment \(id)", request.principal)
                }
                let byUnit = Dictionary(responses.map { ($0.string("unit") ?? "", $0) }, uniquingKeysWith: { a, _ in a })
                return try .json(assists.map { u in
                    AssistView(unit: u, respondedAt: byUnit[u]?.string("responded_at"), contribution: byUnit[u]?.string("contribution"))
                })
            },
        ]
    }

    static func respond(_ id: String, contribution: String?, by principal: Principal, unit: String, _ context: ServiceContext) async throws
        -> AssistView
    {
        try await context.transact { tx, emit -> AssistView in
            guard let a = try tx.queryOne("SELECT * FROM assignments WHERE id = ?", [.text(id)]) else {
                throw DispatchService.unseen("assignment \(id)", principal)
            }
            let assists = try DispatchService.units(inAssists: a)
            if a.string("lead_unit") != unit && !assists.contains(unit) {
                DispatchService.logForeignAttempt(principal, assignment: id, action: "assist", context)
                throw DispatchService.unseen("assignment \(id)", principal)
            }
            let responded = try tx.queryOne("SELECT unit FROM assist_responses WHERE assignment = ? AND unit = ?", [.text(id), .text(unit)]) != nil
            if let problem = refusal(status: a.string("status") ?? "", assists: assists, unit: unit, responded: responded) { throw problem }
            let now = Timestamp.format(emit.now)
            try tx.executeDeferred("INSERT INTO assist_responses (assignment, unit, responded_at, contribution, by_whom) VALUES (?, ?, ?, ?, ?)",
                           [.text(id), .text(unit), .text(now), .optional(contribution), .text(principal.name)])
            try emit.emit(EventType.assistResponded, ticket: a.string("ticket"), AssistResponded(
                assignment: id, unit: unit, contribution: contribution, by: ActedBy(staff: principal.name, role: principal.role.rawValue)))
            return AssistView(unit: unit, respondedAt: now, contribution: contribution)
        }
    }
}
