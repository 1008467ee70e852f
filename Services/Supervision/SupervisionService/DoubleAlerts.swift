import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// Double alerts (SU-6, 双提醒): the lead unit's head and the county leader in charge both hear
/// of a ticket reopened twice or more, listed for supervision by the centre (挂牌督办), or also
/// assigned by the petition office (tagged `petition_office` at intake, or marked by the
/// centre). Once per reason and ticket.
enum DoubleAlerts {
    static let migration = Migration(105, "double alerts", """
        CREATE TABLE double_alerts (
            ticket TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            unit TEXT NOT NULL,
            note TEXT,
            PRIMARY KEY (ticket, reason)
        );
        """)

    static let reasons = ["reopened_twice", "listed", "petition_office"]
    /// The intake tag that says the petition office assigned the ticket too.
    static let petitionTag = "petition_office"

    struct Body: Codable, Sendable {
        let note: String
    }

    /// Raises the double alert for `reason` unless the ticket already had one for it.
    /// - Returns: false when it had.
    @discardableResult
    static func raise(ticket: String, reason: String, unitID: String, note: String?, at: Date, tx: Transaction, emit: EventSink,
                      context: ServiceContext) throws -> Bool {
        guard let unit = context.county.unit(unitID) else { throw ConfigurationError("double alert for unknown unit \(unitID)") }
        let when = Timestamp.format(at)
        guard try tx.queryOne("SELECT at FROM double_alerts WHERE ticket = ? AND reason = ?", [.text(ticket), .text(reason)]) == nil else { return false }
        try tx.executeDeferred("INSERT INTO double_alerts (ticket, reason, at, unit, note) VALUES (?, ?, ?, ?, ?)",
                       [.text(ticket), .text(reason), .text(when), .text(unitID), .optional(note)])
        let all = try tx.query("SELECT reason FROM double_alerts WHERE ticket = ? ORDER BY at, reason", [.text(ticket)]).compactMap { $0.string("reason") }
        let addressees = [LevelRaised.Addressee(role: "head", name: unit.roles.head, unit: unit.id),
                          LevelRaised.Addressee(role: "county_leader", name: unit.roles.countyLeader, unit: unit.id)]
        for a in addressees {
            try tx.executeDeferred(
                """
                INSERT INTO alerts (id, at, kind, ticket, assignment, unit, level, addressee_role, addressee_name, addressee_unit, note)
                VALUES (?, ?, 'double', ?, NULL, ?, NULL, ?, ?, ?, ?)
                """,
                [.text("AD-" + NamedUUID.make("double\n\(ticket)\n\(reason)\n\(a.role)")), .text(when), .text(ticket), .text(unitID),
                 .text(a.role), .text(a.name), .text(a.unit), .text(note ?? reason)])
        }
        try emit.emit(EventType.doubleAlertRaised, ticket: ticket, DoubleAlertRaised(reason: reason, reasons: all, unit: unitID,
                                                                                     addressees: addressees, note: note))
        return true
    }

    /// The unit that leads the ticket now (its latest assignment), as supervision knows it.
    static func leadUnit(_ ticket: String, _ tx: Transaction) throws -> String? {
        try tx.queryOne("SELECT unit FROM assignments WHERE ticket = ? ORDER BY round DESC, dispatched_at DESC, id DESC LIMIT 1",
                        [.text(ticket)])?.string("unit")
    }

    static func routes(_ context: ServiceContext) -> [Route] {
        [
            // 挂牌督办: the centre lists a ticket for supervision; the centre marks one the petition office assigned too.
            Route("POST", "/v1/tickets/{id}/listing", roles: [.centre], maxBody: 64 * 1024, quick: true) { request in
                try await mark(request, reason: "listed", context)
            },
            Route("POST", "/v1/tickets/{id}/petition", roles: [.centre], maxBody: 64 * 1024, quick: true) { request in
                try await mark(request, reason: petitionTag, context)
            },
        ]
    }

    private static func mark(_ request: HTTPRequest, reason: String, _ context: ServiceContext) async throws -> HTTPResponse {
        guard let principal = request.principal else { throw Problem(status: 401) }
        let note = try request.decodeJSON(Body.self).note
        if let problem = TextRules.problem(required: note, maxLength: 2000, lines: .multiple) { throw Problem.invalid([.init("note", problem)]) }
        let clean = Redaction.scrubPhones(note.trimmingWhitespaceAndNewlines())
        let ticket = request.parameter("id")
        let by = ActedBy(staff: principal.name, role: principal.role.rawValue)
        let reasons = try await context.transact { tx, emit -> [String] in
            guard let unit = try leadUnit(ticket, tx) else {
                throw Problem.notFound("no dispatched ticket \(ticket) (a ticket is listed once a unit leads it)")
            }
            let raised = try raise(ticket: ticket, reason: reason, unitID: unit, note: clean, at: emit.now, tx: tx, emit: emit, context: context)
            guard raised else { throw Problem.conflict("ticket \(ticket) already has its \(reason) double alert") }
            if reason == "listed" { try emit.emit(EventType.ticketListed, ticket: ticket, TicketListed(note: clean, by: by)) }
            return try tx.query("SELECT reason FROM double_alerts WHERE ticket = ? ORDER BY at, reason", [.text(ticket)]).compactMap { $0.string("reason") }
        }
        context.logger.info("double alert raised", ["ticket.id": ticket, "alert.reason": reason])
        return try .json(["ticket": .string(ticket), "reasons": .array(reasons.map(JSONValue.string))] as [String: JSONValue], status: 201)
    }
}
