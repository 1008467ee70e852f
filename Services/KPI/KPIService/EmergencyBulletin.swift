import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// 紧急诉求每日快报 (KP-4): the emergency tickets received on one local date (urgency
/// emergency, or an emergency category), each with how fast its first lead responded and
/// where it stands, as JSON or as text to circulate.
enum EmergencyBulletin {
    struct Entry: Codable, Sendable, Equatable {
        let ticket: String
        let receivedAt: String
        let category: String
        let categoryName: String
        let place: String?
        let unit: String?
        let unitName: String?
        /// Minutes from receipt to the first acceptance (nil: not accepted yet).
        let minutesToAccept: Double?
        /// in_time, late or pending against the first assignment's response deadline; nil when not dispatched.
        let response: String?
        /// received, dispatched, accepted, replied, closed or closed_at_intake
        let state: String

        enum CodingKeys: String, CodingKey {
            case ticket, category, place, unit, response, state
            case receivedAt = "received_at"
            case categoryName = "category_name"
            case unitName = "unit_name"
            case minutesToAccept = "minutes_to_accept"
        }
    }

    /// The facts of one ticket the bulletin reads.
    struct TicketFacts: Sendable {
        var received: Date
        var closedAtIntake = false
        var closedAt: Date?
        var lastReopenedAt: Date?
        /// The first assignment (earliest dispatch): its deadline and acceptance.
        var firstResponseDue: Date?
        var firstAcceptedAt: Date?
        var dispatched = false
        var anyAccepted = false
        var anyReplied = false
    }

    /// Where a ticket stands: closed unless a reopening came after the closure; otherwise the
    /// furthest step any of its assignments reached.
    static func state(_ f: TicketFacts) -> String {
        if f.closedAtIntake { return "closed_at_intake" }
        if let closed = f.closedAt, (f.lastReopenedAt.map { $0 < closed } ?? true) { return "closed" }
        if f.anyReplied { return "replied" }
        if f.anyAccepted { return "accepted" }
        return f.dispatched ? "dispatched" : "received"
    }

    /// The first lead's response against its deadline, as of `now`.
    static func response(_ f: TicketFacts, now: Date) -> String? {
        guard let due = f.firstResponseDue else { return nil }
        if let accepted = f.firstAcceptedAt { return accepted <= due ? "in_time" : "late" }
        return now > due ? "late" : "pending"
    }

    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/bulletins/emergency", roles: [.auditor, .centre, .admin]) { request in
                var errors: [Problem.FieldError] = []
                let dateText = request.queryValue("date") ?? ""
                // The OpenAPI document's pattern: a day that exists, written YYYY-MM-DD.
                let day = (try? Regex("^\(DatePattern.day)$").wholeMatch(in: dateText)) != nil ? LocalDate.parse(dateText) : nil
                if day == nil { errors.append(.init("date", "is required: a date such as 2026-11-23")) }
                let format = request.queryValue("format") ?? "json"
                if format != "json" && format != "text" { errors.append(.init("format", "must be json or text")) }
                guard errors.isEmpty, let day else { throw Problem.invalid(errors) }
                let zone = context.zone
                let from = Timestamp.format(LocalDate.start(of: day, in: zone))
                let to = Timestamp.format(LocalDate.start(of: day + 1, in: zone))
                let now = context.clock.now()
                // An emergency: so urgent by the caller, or of a category the county calls one (DI-7).
                let categories = context.county.categories.filter(\.emergency).map { SQLValue.text($0.id) }
                let inCategories = categories.isEmpty ? "" : " OR category IN (\(Array(repeating: "?", count: categories.count).joined(separator: ", ")))"
                let rows = try await context.read { tx in
                    let tickets = try tx.query(
                        "SELECT * FROM k_tickets WHERE received_at >= ? AND received_at < ? AND (urgency = 'emergency'\(inCategories)) ORDER BY received_at, id",
                        [.text(from), .text(to)] + categories)
                    return try tickets.map { t -> (Row, [Row], String?) in
                        let id = t.string("id") ?? ""
                        let assignments = try tx.query(
                            "SELECT * FROM k_assignments WHERE ticket = ? AND lead_unit IS NOT NULL ORDER BY dispatched_at, id", [.text(id)])
                        let reopened = try tx.queryOne("SELECT MAX(at) AS at FROM k_reopenings WHERE ticket = ?", [.text(id)])?.string("at")
                        return (t, assignments, reopened)
                    }
                }
                let entries = rows.map { t, assignments, reopened -> Entry in
                    func date(_ r: Row?, _ c: String) -> Date? { r?.string(c).flatMap(Timestamp.parse) }
                    let first = assignments.first
                    var f = TicketFacts(received: date(t, "received_at") ?? now)
                    f.closedAtIntake = t.bool("closed_at_intake")
                    f.closedAt = date(t, "closed_at")
                    f.lastReopenedAt = reopened.flatMap(Timestamp.parse)
                    f.firstResponseDue = date(first, "response_due")
                    f.firstAcceptedAt = date(first, "accepted_at")
                    f.dispatched = first != nil
                    f.anyAccepted = assignments.contains { $0.string("accepted_at") != nil }
                    f.anyReplied = assignments.contains { $0.string("replied_at") != nil }
                    let category = t.string("category") ?? ""
                    let region = t.string("region")
                    let unit = first?.string("lead_unit")
                    return Entry(
                        ticket: t.string("id") ?? "", receivedAt: t.string("received_at") ?? "", category: category,
                        categoryName: context.county.category(category)?.name ?? category,
                        place: region.flatMap { context.county.region($0)?.name ?? $0 }, unit: unit, unitName: unit.map { context.county.unit($0)?.name ?? $0 },
                        minutesToAccept: f.firstAcceptedAt.map { (($0.timeIntervalSince(f.received) / 60) * 10).rounded() / 10 },
                        response: response(f, now: now), state: state(f))
                }
                if format == "text" { return .text(text(dateText, entries, county: context.county.county.name)) }
                return try .json(JSONValue.object([
                    "date": .string(dateText), "count": .number(Double(entries.count)), "as_of": .string(Timestamp.format(now)),
                    "tickets": try JSONValueEncoder.encode(entries),
                ]))
            },
        ]
    }

    /// The bulletin as circulated: a headline count, then one line per ticket.
    static func text(_ date: String, _ entries: [Entry], county: String) -> String {
        let late = entries.filter { $0.response == "late" }.count
        let closed = entries.filter { $0.state == "closed" || $0.state == "closed_at_intake" }.count
        var lines = ["\(county)12345热线紧急诉求每日快报（\(date)）",
                     "共受理紧急诉求\(entries.count)件，超时响应\(late)件，已办结\(closed)件。", ""]
        let states = ["received": "待派单", "dispatched": "待签收", "accepted": "办理中", "replied": "已答复", "closed": "已办结",
                      "closed_at_intake": "当场办结"]
        let verdicts = ["in_time": "按时响应", "late": "超时响应", "pending": "待响应"]
        for (n, e) in entries.enumerated() {
            let minutes = e.minutesToAccept.map { String(cFormat: "%.1f分钟签收", $0) } ?? "未签收"
            lines.append("\(n + 1). \(e.ticket) \(e.categoryName) \(e.place ?? "") 承办：\(e.unitName ?? "未派单") "
                + "\(minutes) \(e.response.flatMap { verdicts[$0] } ?? "") \(states[e.state] ?? e.state)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
