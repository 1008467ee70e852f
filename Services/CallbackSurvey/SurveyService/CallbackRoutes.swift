import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// The callback queue over HTTP (CB-1, CB-2): agents list what is due, claim a callback so no
/// two call the same citizen at once, and record each attempt or the outcome. The decisions
/// are `CallbackRules`'; here they are read from and written to the store.
enum CallbackRoutes {
    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/callbacks", roles: [.callbackAgent, .centre, .auditor]) { request in
                var errors: [Problem.FieldError] = []
                let status = request.queryValue("status") ?? "scheduled"
                if CallbackRules.Status(rawValue: status) == nil { errors.append(.init("status", "must be scheduled, completed or unreachable")) }
                let overdue = request.queryValue("overdue")
                if let overdue, overdue != "true" && overdue != "false" { errors.append(.init("overdue", "must be true or false")) }
                let unit = request.queryValue("unit")
                if let unit, unit != "centre" && context.county.unit(unit) == nil { errors.append(.init("unit", "is not a known unit")) }
                let page = PageQuery(request, defaultLimit: 100, errors: &errors)
                guard errors.isEmpty else { throw Problem.invalid(errors) }
                let now = Timestamp.format(context.clock.now())
                var sql = "SELECT * FROM callbacks WHERE status = ?"
                var params: [SQLValue] = [.text(status)]
                if let unit {
                    sql += " AND unit = ?"
                    params.append(.text(unit))
                }
                if let overdue {
                    // Overdue: still scheduled after its due time.
                    sql += overdue == "true" ? " AND status = 'scheduled' AND due_at < ?" : " AND NOT (status = 'scheduled' AND due_at < ?)"
                    params.append(.text(now))
                }
                if let after = page.after {
                    sql += " AND (due_at > ? OR (due_at = ? AND assignment > ?))"
                    params += [.text(after.key), .text(after.key), .text(after.id)]
                }
                let (query, values) = (sql + " ORDER BY due_at, assignment LIMIT ?", params + [SQLValue.int(page.limit + 1)])
                let rows = try await context.read { tx in try tx.query(query, values) }
                let at = context.clock.now()
                var response = try HTTPResponse.json(rows.prefix(page.limit).map { view($0, now: at, county: context.county) })
                let last = rows.prefix(page.limit).last
                if let next = page.nextCursor(fetched: rows.count, lastKey: last?.string("due_at"), lastID: last?.string("assignment")) {
                    response.headers.append(next)
                }
                return response
            },
            Route("GET", "/v1/callback-summary", roles: [.callbackAgent, .centre, .auditor]) { _ in
                let now = Timestamp.format(context.clock.now())
                let rows = try await context.read { tx in
                    try tx.query(
                        """
                        SELECT status, COUNT(*) AS n, SUM(CASE WHEN status = 'scheduled' AND due_at < ? THEN 1 ELSE 0 END) AS overdue,
                               SUM(CASE WHEN status = 'scheduled' AND claim_expires_at > ? THEN 1 ELSE 0 END) AS claimed
                        FROM callbacks GROUP BY status
                        """, [.text(now), .text(now)])
                }
                var counts: [String: JSONValue] = ["scheduled": .number(0), "completed": .number(0), "unreachable": .number(0),
                                                   "overdue": .number(0), "claimed": .number(0)]
                for r in rows {
                    counts[r.string("status") ?? ""] = .number(Double(r.int("n") ?? 0))
                    if r.string("status") == "scheduled" {
                        counts["overdue"] = .number(Double(r.int("overdue") ?? 0))
                        counts["claimed"] = .number(Double(r.int("claimed") ?? 0))
                    }
                }
                return try .json(JSONValue.object(counts))
            },
            Route("POST", "/v1/callbacks/{ticket}/claim", roles: [.callbackAgent], maxBody: 8 * 1024, quick: true) { request in
                let agent = request.principal?.name ?? ""
                let ticket = request.parameter("ticket")
                let policy = CallbackRules.Policy(context.county.sla)
                let row = try await context.transact { tx, emit -> Row in
                    let c = try scheduled(ticket, tx)
                    switch CallbackRules.claim(state(c), by: agent, at: emit.now, policy: policy) {
                    case .failure(let refusal): throw problem(refusal, ticket)
                    case .success(let expires):
                        try tx.executeDeferred("UPDATE callbacks SET claimed_by = ?, claim_expires_at = ? WHERE assignment = ?",
                                       [.text(agent), .text(Timestamp.format(expires)), .text(c.string("assignment") ?? "")])
                    }
                    return try reread(c, tx)
                }
                return try .json(view(row, now: context.clock.now(), county: context.county))
            },
            Route("POST", "/v1/callbacks/{ticket}/release", roles: [.callbackAgent], maxBody: 8 * 1024, quick: true) { request in
                let agent = request.principal?.name ?? ""
                let ticket = request.parameter("ticket")
                let row = try await context.transact { tx, emit -> Row in
                    let c = try scheduled(ticket, tx)
                    if let holder = state(c).holder(at: emit.now), holder != agent {
                        throw Problem.conflict("the callback of \(ticket) is claimed by \(holder)")
                    }
                    try tx.executeDeferred("UPDATE callbacks SET claimed_by = NULL, claim_expires_at = NULL WHERE assignment = ?",
                                   [.text(c.string("assignment") ?? "")])
                    return try reread(c, tx)
                }
                return try .json(view(row, now: context.clock.now(), county: context.county))
            },
            Route("POST", "/v1/callbacks/{ticket}", roles: [.callbackAgent], maxBody: 16 * 1024, quick: true) { request in
                let outcome = try request.decodeJSON(SurveyService.Outcome.self)
                let errors = SurveyService.validate(outcome)
                guard errors.isEmpty else { throw Problem.invalid(errors) }
                let ticket = request.parameter("ticket")
                let agent = request.principal?.name ?? ""
                // Numbers a citizen gives in the call stay out of survey's store and stream (CB-2).
                let comment = outcome.comment.map { Redaction.scrubPhones($0.trimmingWhitespaceAndNewlines()) }.flatMap { $0.isEmpty ? nil : $0 }
                let report: CallbackRules.Report = outcome.reached
                    ? .reached(resolved: outcome.resolved ?? false, satisfaction: outcome.satisfaction ?? "") : .notReached
                let policy = CallbackRules.Policy(context.county.sla)
                let row = try await context.transact { tx, emit -> Row in
                    let c = try scheduled(ticket, tx)
                    let assignment = c.string("assignment") ?? ""
                    let kind = c.string("kind") == "intake_sample" ? "intake_sample" : nil
                    let now = Timestamp.format(emit.now)
                    let step: CallbackRules.Step
                    switch CallbackRules.record(state(c), report, by: agent, at: emit.now, policy: policy) {
                    case .failure(let refusal): throw problem(refusal, ticket)
                    case .success(let s): step = s
                    }
                    let attempts: Int
                    switch step {
                    case .completed(let n):
                        attempts = n
                        try tx.executeDeferred(
                            """
                            UPDATE callbacks SET status = 'completed', attempts = ?, reached = 1, resolved = ?, satisfaction = ?, comment = ?, agent = ?,
                                completed_at = ?, claimed_by = NULL, claim_expires_at = NULL WHERE assignment = ?
                            """,
                            [.int(n), .bool(outcome.resolved ?? false), .optional(outcome.satisfaction), .optional(comment), .text(agent), .text(now),
                             .text(assignment)])
                        try emit.emit(EventType.callbackCompleted, ticket: ticket, CallbackCompleted(
                            assignment: assignment, resolved: outcome.resolved ?? false, satisfaction: outcome.satisfaction ?? "", comment: comment,
                            kind: kind))
                    case .unreachable(let n):
                        attempts = n
                        try tx.executeDeferred(
                            """
                            UPDATE callbacks SET status = 'unreachable', attempts = ?, reached = 0, comment = ?, agent = ?, completed_at = ?,
                                last_attempt_at = ?, claimed_by = NULL, claim_expires_at = NULL WHERE assignment = ?
                            """, [.int(n), .optional(comment), .text(agent), .text(now), .text(now), .text(assignment)])
                        try emit.emit(EventType.callbackAttempted, ticket: ticket, CallbackAttempted(assignment: assignment, attempt: n))
                        try emit.emit(EventType.callbackUnreachable, ticket: ticket,
                                      CallbackUnreachable(assignment: assignment, attempts: n, reason: "unreachable", kind: kind))
                    case .attempted(let n, _):
                        attempts = n
                        try tx.executeDeferred("UPDATE callbacks SET attempts = ?, last_attempt_at = ?, comment = COALESCE(?, comment) WHERE assignment = ?",
                                       [.int(n), .text(now), .optional(comment), .text(assignment)])
                        try emit.emit(EventType.callbackAttempted, ticket: ticket, CallbackAttempted(assignment: assignment, attempt: n))
                    }
                    try tx.executeDeferred("INSERT INTO callback_attempts (assignment, attempt, at, agent, reached) VALUES (?, ?, ?, ?, ?)",
                                   [.text(assignment), .int(attempts), .text(now), .text(agent), .bool(outcome.reached)])
                    return try reread(c, tx)
                }
                context.logger.info("callback recorded", ["ticket.id": ticket, "callback.status": row.string("status") ?? ""])
                return try .json(view(row, now: context.clock.now(), county: context.county))
            },
        ]
    }

    /// The ticket's callback still to be made (the latest round's).
    static func scheduled(_ ticket: String, _ tx: Transaction) throws -> Row {
        // The latest due; between two due at once (a ticket's units replied together), the
        // larger assignment id — never whichever row the engine happens to return first.
        // Chosen here from the ticket's few rows: with ORDER BY … LIMIT 1, SQLite walked the
        // queue index over every scheduled callback instead (a third of survey's CPU under load).
        let rows = try tx.query("SELECT * FROM callbacks WHERE ticket = ? AND status = 'scheduled'", [.text(ticket)])
        if let c = rows.max(by: { ($0.string("due_at") ?? "", $0.string("assignment") ?? "") < ($1.string("due_at") ?? "", $1.string("assignment") ?? "") }) {
            return c
        }
        if let done = try tx.queryOne("SELECT status FROM callbacks WHERE ticket = ? ORDER BY due_at DESC LIMIT 1", [.text(ticket)]) {
            throw Problem.conflict("the callback of \(ticket) is \(done.string("status") ?? "") already")
        }
        throw Problem.notFound("no callback due for ticket \(ticket)")
    }

    static func reread(_ c: Row, _ tx: Transaction) throws -> Row {
        let assignment = c.string("assignment") ?? ""
        guard let row = try tx.queryOne("SELECT * FROM callbacks WHERE assignment = ?", [.text(assignment)]) else {
            throw Problem(status: 500, detail: "callback \(assignment) vanished inside its own transaction")
        }
        return row
    }

    static func state(_ r: Row) -> CallbackRules.State {
        CallbackRules.State(status: CallbackRules.Status(rawValue: r.string("status") ?? "") ?? .scheduled, attempts: Int(r.int("attempts") ?? 0),
                            lastAttemptAt: r.string("last_attempt_at").flatMap(Timestamp.parse), claimedBy: r.string("claimed_by"),
                            claimExpiresAt: r.string("claim_expires_at").flatMap(Timestamp.parse))
    }

    static func problem(_ refusal: CallbackRules.Refusal, _ ticket: String) -> Problem {
        switch refusal {
        case .closed(let status): return .conflict("the callback of \(ticket) is \(status.rawValue) already")
        case .claimed(let agent, let until): return .conflict("the callback of \(ticket) is claimed by \(agent) until \(Timestamp.format(until))")
        case .tooSoon(let next):
            return .conflict("the last attempt was too recent: try again from \(Timestamp.format(next)) (attempts are spaced by callback_spacing)")
        }
    }

    static func view(_ r: Row, now: Date, county: CountyConfig) -> JSONValue {
        let text = { (column: String) -> JSONValue in r.string(column).map(JSONValue.string) ?? .null }
        let due = r.string("due_at") ?? ""
        let unit = r.string("unit") ?? ""
        let claimed = state(r).holder(at: now)
        return .object([
            "ticket": text("ticket"), "assignment": text("assignment"), "kind": .string(r.string("kind") ?? "reply"), "unit": .string(unit),
            "unit_name": .string(county.unit(unit)?.name ?? (unit == "centre" ? "12345热线中心" : unit)),
            "status": text("status"), "due": .string(due),
            "overdue": .bool(r.string("status") == "scheduled" && due < Timestamp.format(now)),
            "attempts": .number(Double(r.int("attempts") ?? 0)), "last_attempt_at": text("last_attempt_at"),
            "claimed_by": claimed.map(JSONValue.string) ?? .null, "claim_expires_at": claimed == nil ? .null : text("claim_expires_at"),
            "reply": text("reply"), "reached": r.string("status") == "completed" ? .bool(true) : r.string("status") == "unreachable" ? .bool(false) : .null,
            "resolved": r.string("status") == "completed" ? .bool(r.bool("resolved")) : .null, "satisfaction": text("satisfaction"),
            "comment": text("comment"), "agent": text("agent"), "completed_at": text("completed_at"),
        ])
    }
}

