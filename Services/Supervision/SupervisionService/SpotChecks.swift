import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// Spot checks (SU-7): a deterministic sample of closed tickets per unit and ISO week; staff
/// record what they found. A falsified or perfunctory reply is announced
/// (`spot_check.recorded`) and dispatch opens the ticket again for the same lead.
enum SpotChecks {
    static let outcomes = ["confirmed", "falsified", "perfunctory"]

    static let migration = Migration(106, "spot checks", """
        CREATE TABLE spot_checks (
            ticket TEXT NOT NULL,
            round BIGINT NOT NULL,
            assignment TEXT NOT NULL,
            unit TEXT NOT NULL,
            closed_at TEXT NOT NULL,
            week TEXT NOT NULL,
            sampled BIGINT NOT NULL,
            outcome TEXT,
            note TEXT,
            recorded_by TEXT,
            recorded_at TEXT,
            PRIMARY KEY (ticket, round)
        );
        CREATE INDEX spot_checks_week ON spot_checks (week, unit, sampled);
        """)

    /// A ticket closed after a reply (not at intake): it joins the week's population, sampled or not.
    static func closed(ticket: String, at: Date, tx: Transaction, context: ServiceContext) throws {
        guard let a = try tx.queryOne(
            """
            SELECT a.* FROM assignments a JOIN deadlines d ON d.assignment = a.id AND d.which = 'reply'
            WHERE a.ticket = ? AND d.done_at IS NOT NULL ORDER BY a.round DESC, d.done_at DESC, a.id DESC LIMIT 1
            """, [.text(ticket)])
        else { return }  // closed at intake, or never replied
        let unit = a.string("unit") ?? "", week = SpotCheckSample.isoWeek(LocalDate.day(of: at, in: context.zone))
        let round: Int64 = a.int("round") ?? 1
        let sampled = SpotCheckSample.isSampled(ticket: ticket, unit: unit, week: week, rate: context.county.sla.spotCheckShare)
        try tx.executeDeferred(
            """
            INSERT INTO spot_checks (ticket, round, assignment, unit, closed_at, week, sampled) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (ticket, round) DO NOTHING
            """,
            [.text(ticket), .integer(round), .text(a.string("id") ?? ""), .text(unit), .text(Timestamp.format(at)), .text(week), .bool(sampled)])
    }

    struct Record: Codable, Sendable {
        let outcome: String
        let note: String
    }

    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/spot-checks", roles: [.centre, .auditor]) { request in
                var errors: [Problem.FieldError] = []
                let week = request.queryValue("week") ?? SpotCheckSample.isoWeek(LocalDate.day(of: context.clock.now(), in: context.zone))
                if !week.wholeMatches(pattern: "[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])") {
                    errors.append(.init("week", "must be an ISO week such as 2026-W48"))
                }
                let scope = request.queryValue("scope") ?? "sample"
                if scope != "sample" && scope != "all" { errors.append(.init("scope", "must be sample or all")) }
                guard errors.isEmpty else { throw Problem.invalid(errors) }
                let rows = try await context.read { tx in
                    try tx.query("SELECT * FROM spot_checks WHERE week = ?" + (scope == "sample" ? " AND sampled = 1" : "")
                                 + " ORDER BY unit, closed_at, ticket LIMIT 1000", [.text(week)])
                }
                return try .json(rows.map(view))
            },
            Route("POST", "/v1/spot-checks/{ticket}", roles: [.centre], maxBody: 64 * 1024, quick: true) { request in
                guard let principal = request.principal else { throw Problem(status: 401) }
                let body = try request.decodeJSON(Record.self)
                var errors: [Problem.FieldError] = []
                if !outcomes.contains(body.outcome) { errors.append(.init("outcome", "must be confirmed, falsified or perfunctory")) }
                if let problem = TextRules.problem(required: body.note, maxLength: 2000, lines: .multiple) { errors.append(.init("note", problem)) }
                guard errors.isEmpty else { throw Problem.invalid(errors) }
                let note = Redaction.scrubPhones(body.note.trimmingWhitespaceAndNewlines())
                let ticket = request.parameter("ticket")
                let row = try await context.transact { tx, emit -> Row in
                    guard let c = try tx.queryOne("SELECT * FROM spot_checks WHERE ticket = ? ORDER BY round DESC LIMIT 1", [.text(ticket)]) else {
                        throw Problem.notFound("no closed ticket \(ticket) to check (closed at intake, or not closed)")
                    }
                    guard c.string("outcome") == nil else {
                        throw Problem.conflict("ticket \(ticket) was checked already in this round: \(c.string("outcome") ?? "")")
                    }
                    let by = ActedBy(staff: principal.name, role: principal.role.rawValue)
                    let round: Int64 = c.int("round") ?? 1
                    try tx.executeDeferred("UPDATE spot_checks SET outcome = ?, note = ?, recorded_by = ?, recorded_at = ? WHERE ticket = ? AND round = ?",
                                   [.text(body.outcome), .text(note), .text(principal.name), .text(Timestamp.format(emit.now)), .text(ticket),
                                    .integer(round)])
                    try emit.emit(EventType.spotCheckRecorded, ticket: ticket, SpotCheckRecorded(
                        outcome: body.outcome, assignment: c.string("assignment"), note: note, by: by))
                    guard let updated = try tx.queryOne("SELECT * FROM spot_checks WHERE ticket = ? AND round = ?",
                                                        [.text(ticket), .integer(round)])
                    else { throw Problem(status: 500, detail: "spot check of \(ticket) vanished inside its own transaction") }
                    return updated
                }
                context.logger.info("spot check recorded", ["ticket.id": ticket, "spot_check.outcome": body.outcome])
                return try .json(view(row), status: 201)
            },
        ]
    }

    static func view(_ r: Row) -> JSONValue {
        let text = { (column: String) -> JSONValue in r.string(column).map(JSONValue.string) ?? .null }
        return .object([
            "ticket": text("ticket"), "round": .number(Double(r.int("round") ?? 0)), "assignment": text("assignment"), "unit": text("unit"),
            "closed_at": text("closed_at"), "week": text("week"), "sampled": .bool(r.bool("sampled")), "outcome": text("outcome"),
            "note": text("note"), "recorded_by": text("recorded_by"), "recorded_at": text("recorded_at"),
        ])
    }
}

/// The spot-check sample as pure functions: which ISO week, and whether a ticket is in it.
public enum SpotCheckSample {
    /// `2026-W48`: the ISO week (Monday start) of a local day.
    public static func isoWeek(_ day: Int) -> String {
        let thursday = day - (CivilDate.isoWeekday(day) - 1) + 3
        let year = LocalDate.year(thursday)
        let week = (thursday - CivilDate.toDays(year, 1, 1)) / 7 + 1
        return String(cFormat: "%04d-W%02d", year, week)
    }

    /// Whether a closed ticket is in its unit's sample for the week: a keyed hash of unit,
    /// week and ticket below `rate` — the same answer for anyone who recomputes it.
    public static func isSampled(ticket: String, unit: String, week: String, rate: Double) -> Bool {
        HashSample.contains("spot-check\n\(unit)\n\(week)\n\(ticket)", rate: rate)
    }
}
