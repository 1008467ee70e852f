import FoundationEssentials
import HotlineCore
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// One ticket assessed on its own (一事一考, KP-1): was each assignment accepted and replied in
/// time, what the citizen said, how often it was returned and reopened — from the same
/// facts the figures are computed from.
enum AssessmentRoutes {
    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/tickets/{id}/assessment", roles: [.auditor, .centre]) { request in
                let id = request.parameter("id")
                let now = context.clock.now()
                let found = try await context.read { tx -> (Row, [Row], [Row], Int, Int)? in
                    guard let t = try tx.queryOne("SELECT * FROM k_tickets WHERE id = ? AND received_at IS NOT NULL", [.text(id)]) else { return nil }
                    let assignments = try tx.query("SELECT * FROM k_assignments WHERE ticket = ? AND lead_unit IS NOT NULL ORDER BY round, dispatched_at, id",
                                                   [.text(id)])
                    let callbacks = try tx.query("SELECT * FROM k_callbacks WHERE ticket = ? ORDER BY due_at, assignment", [.text(id)])
                    let returns = Int(try tx.scalarInt(
                        "SELECT COUNT(*) FROM k_returns r JOIN k_assignments a ON a.id = r.assignment WHERE a.ticket = ?", [.text(id)]) ?? 0)
                    let reopenings = Int(try tx.scalarInt("SELECT COUNT(*) FROM k_reopenings WHERE ticket = ?", [.text(id)]) ?? 0)
                    return (t, assignments, callbacks, returns, reopenings)
                }
                guard let (t, assignments, callbacks, returns, reopenings) = found else { throw Problem.notFound("no ticket \(id) in the kpi store") }
                let text = { (r: Row, c: String) -> JSONValue in r.string(c).map(JSONValue.string) ?? .null }
                /// In time: done by the due; late: done after it, or not done and the due passed; pending: neither yet.
                func verdict(_ due: String?, _ done: String?) -> JSONValue {
                    guard let due else { return .null }
                    if let done { return .string(done <= due ? "in_time" : "late") }
                    return .string(due <= Timestamp.format(now) ? "late" : "pending")
                }
                let last = callbacks.last { $0.string("completed_at") != nil }
                return try .json([
                    "ticket": .string(id), "received_at": text(t, "received_at"), "channel": text(t, "channel"), "category": text(t, "category"),
                    "kind": text(t, "kind"), "closed_at_intake": .bool(t.bool("closed_at_intake")), "first_reply_at": text(t, "first_reply_at"),
                    "assignments": .array(assignments.map { a in
                        .object([
                            "id": text(a, "id"), "unit": text(a, "lead_unit"), "round": .number(Double(a.int("round") ?? 0)),
                            "dispatched_at": text(a, "dispatched_at"),
                            "response": verdict(a.string("response_due"), a.string("accepted_at")),
                            // Escalated before replying: the next tier answers; this one owed nothing more.
                            "reply": a.string("replied_at") == nil && a.string("escalated_at") != nil
                                ? .string("escalated") : verdict(a.string("reply_due"), a.string("replied_at")),
                            "approved_return": .bool(a.bool("approved_return")), "escalated_at": text(a, "escalated_at"),
                        ])
                    }),
                    "callbacks": .array(callbacks.map { c in
                        .object([
                            "assignment": text(c, "assignment"), "due": text(c, "due_at"), "completed_at": text(c, "completed_at"),
                            "unreachable_at": text(c, "unreachable_at"),
                            "resolved": c.string("completed_at") == nil ? .null : .bool(c.bool("resolved")), "satisfaction": text(c, "satisfaction"),
                        ])
                    }),
                    "resolved": last.map { .bool($0.bool("resolved")) } ?? .null,
                    "satisfaction": last.map { text($0, "satisfaction") } ?? .null,
                    "returns": .number(Double(returns)), "reopenings": .number(Double(reopenings)),
                ] as [String: JSONValue])
            },
        ]
    }
}
