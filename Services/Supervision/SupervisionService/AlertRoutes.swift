import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// The alerts inbox (SU-8), the centre's urging (催办, a ladder level by hand) and the letters
/// the ladder issues (SU-4).
enum AlertRoutes {
    struct Urge: Codable, Sendable {
        let note: String
    }

    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/alerts", roles: [.unit, .centre, .auditor]) { request in
                var errors: [Problem.FieldError] = []
                let acknowledged = request.queryValue("acknowledged")
                if let acknowledged, acknowledged != "true" && acknowledged != "false" {
                    errors.append(.init("acknowledged", "must be true or false"))
                }
                let kind = request.queryValue("kind")
                if let kind, !["ladder", "hotspot", "double"].contains(kind) { errors.append(.init("kind", "must be ladder, hotspot or double")) }
                let page = PageQuery(request, defaultLimit: 100, errors: &errors)
                guard errors.isEmpty else { throw Problem.invalid(errors) }
                var sql = "SELECT * FROM alerts WHERE 1 = 1"
                var params: [SQLValue] = []
                if request.principal?.role == .unit {
                    // A unit sees what is about its work and what is addressed to it.
                    sql += " AND (unit = ? OR addressee_unit = ?)"
                    params += [.text(request.principal?.unit ?? ""), .text(request.principal?.unit ?? "")]
                }
                if let ticket = request.queryValue("ticket") {
                    sql += " AND ticket = ?"
                    params.append(.text(ticket))
                }
                if let kind {
                    sql += " AND kind = ?"
                    params.append(.text(kind))
                }
                if let acknowledged { sql += acknowledged == "true" ? " AND acknowledged_at IS NOT NULL" : " AND acknowledged_at IS NULL" }
                if let after = page.after {
                    sql += " AND (at < ? OR (at = ? AND id < ?))"
                    params += [.text(after.key), .text(after.key), .text(after.id)]
                }
                let (query, values) = (sql + " ORDER BY at DESC, id DESC LIMIT ?", params + [SQLValue.int(page.limit + 1)])
                let rows = try await context.read { tx in try tx.query(query, values) }
                var response = try HTTPResponse.json(rows.prefix(page.limit).map(view))
                let last = rows.prefix(page.limit).last
                if let next = page.nextCursor(fetched: rows.count, lastKey: last?.string("at"), lastID: last?.string("id")) { response.headers.append(next) }
                return response
            },
            Route("POST", "/v1/alerts/{id}/acknowledge", roles: [.unit, .centre], maxBody: 8 * 1024, quick: true) { request in
                guard let principal = request.principal else { throw Problem(status: 401) }
                let id = request.parameter("id")
                let row = try await context.transact { tx, emit -> Row in
                    guard let a = try tx.queryOne("SELECT * FROM alerts WHERE id = ?", [.text(id)]),
                        principal.role == .centre || a.string("unit") == principal.unit || a.string("addressee_unit") == principal.unit
                    else {
                        throw principal.role == .unit ? Problem.forbidden("alert \(id) is not among this unit's alerts") : Problem.notFound("no alert \(id)")
                    }
                    guard a.string("acknowledged_at") == nil else { throw Problem.conflict("alert \(id) was acknowledged at \(a.string("acknowledged_at") ?? "")") }
                    let now = Timestamp.format(emit.now)
                    try tx.executeDeferred("UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?", [.text(now), .text(principal.name), .text(id)])
                    try emit.emit(EventType.alertAcknowledged, ticket: a.string("ticket"), AlertAcknowledged(
                        alert: id, kind: a.string("kind") ?? "", level: a.int("level").map(Int.init),
                        by: ActedBy(staff: principal.name, role: principal.role.rawValue)))
                    guard let updated = try tx.queryOne("SELECT * FROM alerts WHERE id = ?", [.text(id)]) else {
                        throw Problem(status: 500, detail: "alert \(id) vanished inside its own transaction")
                    }
                    return updated
                }
                return try .json(view(row))
            },
            Route("POST", "/v1/tickets/{id}/urge", roles: [.centre], maxBody: 64 * 1024, quick: true) { request in
                guard let principal = request.principal else { throw Problem(status: 401) }
                let note = try request.decodeJSON(Urge.self).note
                if let problem = TextRules.problem(required: note, maxLength: 2000, lines: .multiple) { throw Problem.invalid([.init("note", problem)]) }
                let clean = Redaction.scrubPhones(note.trimmingWhitespaceAndNewlines())
                let ticket = request.parameter("id")
                let alert = try await context.transact { tx, emit -> Row in
                    guard let round = try tx.queryOne("SELECT MAX(round) AS round FROM assignments WHERE ticket = ?", [.text(ticket)])?.int("round")
                    else { throw Problem.notFound("no dispatched ticket \(ticket)") }
                    let ladder = LadderStore(tx: tx, emit: emit, context: context)
                    guard try ladder.openAssignment(ticket: ticket, round: Int(round)) != nil else {
                        throw Problem.conflict("ticket \(ticket) owes no reply: nothing to urge")
                    }
                    let current = Int(try tx.queryOne("SELECT level FROM ladder WHERE ticket = ? AND round = ? AND stopped_at IS NULL",
                                                      [.text(ticket), .integer(round)])?.int("level") ?? 0)
                    guard current < Ladder.top else { throw Problem.conflict("ticket \(ticket) is at the ladder's top level \(Ladder.top)") }
                    guard let raised = try ladder.raise(ticket: ticket, round: Int(round), to: current + 1, at: emit.now, raisedBy: "centre",
                                                        note: clean, by: ActedBy(staff: principal.name, role: principal.role.rawValue)),
                        let row = try tx.queryOne("SELECT * FROM alerts WHERE id = ?", [.text(raised)])
                    else { throw Problem.conflict("ticket \(ticket) owes no reply: nothing to urge") }
                    return row
                }
                context.logger.info("ticket urged", ["ticket.id": ticket, "ladder.level": String(alert.int("level") ?? 0)])
                return try .json(view(alert), status: 201)
            },
            Route("GET", "/v1/letters/{id}", roles: [.unit, .centre, .auditor]) { request in
                let id = request.parameter("id")
                let format = request.queryValue("format") ?? "json"
                guard format == "json" || format == "text" else { throw Problem.invalid([.init("format", "must be json or text")]) }
                guard let row = try await context.read({ tx in try tx.queryOne("SELECT * FROM letters WHERE id = ?", [.text(id)]) }),
                    request.principal?.role != .unit || row.string("unit") == request.principal?.unit
                else {
                    throw request.principal?.role == .unit ? Problem.forbidden("letter \(id) is not among this unit's letters") : Problem.notFound("no letter \(id)")
                }
                let letter = try Letter(row)
                if format == "text" { return .text(letter.printable(county: context.county.county.name, zone: context.zone)) }
                return try .json(letter)
            },
        ]
    }

    static func view(_ r: Row) -> JSONValue {
        let text = { (column: String) -> JSONValue in r.string(column).map(JSONValue.string) ?? .null }
        return .object([
            "id": text("id"), "at": text("at"), "kind": text("kind"), "ticket": text("ticket"), "assignment": text("assignment"),
            "unit": text("unit"), "level": r.int("level").map { .number(Double($0)) } ?? .null,
            "addressee": .object(["role": text("addressee_role"), "name": text("addressee_name"), "unit": text("addressee_unit")]),
            "letter": text("letter"), "note": text("note"), "acknowledged_at": text("acknowledged_at"), "acknowledged_by": text("acknowledged_by"),
        ])
    }
}

/// A letter as stored and as printed.
struct Letter: Codable, Sendable {
    let id: String
    let number: String
    let kind: String
    let ticket: String
    let assignment: String
    let unit: String
    let addressee: Ladder.Addressee
    let issuedAt: String
    let facts: LetterFacts

    enum CodingKeys: String, CodingKey {
        case id, number, kind, ticket, assignment, unit, addressee, facts
        case issuedAt = "issued_at"
    }

    init(_ r: Row) throws {
        id = r.string("id") ?? ""
        number = r.string("number") ?? ""
        kind = r.string("kind") ?? ""
        ticket = r.string("ticket") ?? ""
        assignment = r.string("assignment") ?? ""
        unit = r.string("unit") ?? ""
        issuedAt = r.string("issued_at") ?? ""
        do {
            addressee = try JSONCoding.decode(Ladder.Addressee.self, from: r.string("addressee") ?? "")
            facts = try JSONCoding.decode(LetterFacts.self, from: r.string("facts") ?? "")
        } catch {
            throw ConfigurationError("letter \(id) is unreadable in supervision's store: \(error)")
        }
    }

    /// The letter as plain text to print: title, number, addressee, the facts, the deadline
    /// history and the levels so far, the issuer and the date (local time).
    func printable(county: String, zone: TimeZone) -> String {
        let local = { (utc: String?) -> String in
            guard let utc, let date = Timestamp.parse(utc) else { return "—" }
            let day = LocalDate.day(of: date, in: zone)
            let seconds = Int(date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))) % 86_400
            return LocalDate.format(day) + String(cFormat: " %02d:%02d", seconds / 3600, seconds % 3600 / 60)
        }
        let title = kind == Ladder.LetterKind.supervisionLetter.rawValue ? "督办函" : "一事一报"
        var lines = ["\(county) 12345政务服务便民热线", title, number, "",
                     "\(addressee.name)（\(facts.unitName)）：", "",
                     "工单 \(ticket)（第\(facts.round)轮，\(facts.categoryName.isEmpty ? facts.category : facts.categoryName)，渠道 \(facts.channel)，紧急程度 \(facts.urgency)）"
                        + "于 \(local(facts.dispatchedAt)) 派至\(facts.unitName)，答复期限已过仍未答复。",
                     kind == Ladder.LetterKind.supervisionLetter.rawValue
                        ? "现予督办，请立即办理并答复诉求人，同时将办理情况书面报送热线中心。"
                        : "现将该件一事一报，请县领导关注督办。",
                     "", "期限记录："]
        for d in facts.deadlines {
            let outcome = d.metAt.map { "按时 \(local($0))" } ?? d.missedAt.map { "逾期 \(local($0))" } ?? d.cancelledAt.map { "撤销 \(local($0))" } ?? "未到期"
            lines.append("  \(d.which)  \(d.unit)  期限 \(local(d.due))  \(outcome)" + (d.pauses > 0 ? "  中止 \(d.pauses) 次" : ""))
        }
        lines += ["", "督办记录："]
        for l in facts.levels { lines.append("  第\(l.level)级  \(local(l.at))  \(l.addressee)" + (l.note.map { "  \($0)" } ?? "")) }
        if facts.levels.isEmpty { lines.append("  （无）") }
        lines += ["", "12345热线中心", local(issuedAt), ""]
        return lines.joined(separator: "\n")
    }
}
