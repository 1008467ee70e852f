import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// A lead's reply and what it does to the ticket (DI-3): the ticket is replied when no part
/// of its round is still open — at once for one lead, at the last reply in joint mode. The
/// citizen is told every lead's part and what the assisting units contributed.
enum RoundReply {
    /// The states in which an assignment still owes its reply.
    static let openStates = ["dispatched", "accepted", "paused", "return_requested"]

    /// Records the effects of the reply `a` (already stored as replied): `assignment.replied`
    /// while other parts are open, otherwise `ticket.replied` with the composed reply.
    static func record(_ a: Row, by: ActedBy, county: CountyConfig, tx: Transaction, emit: EventSink) throws {
        let id = a.string("id") ?? ""
        let ticket = a.string("ticket") ?? ""
        let lead = a.string("lead_unit") ?? ""
        let round = Int(a.int("round") ?? 1)
        // The round's few parts in one read, each list ordered here: the two filtered, sorted
        // reads they replace each made SQLite build temporary B-trees.
        let roundRows = try tx.query("SELECT * FROM assignments WHERE ticket = ? AND round = ?", [.text(ticket), .int(round)])
        let open = Self.ordered(roundRows.filter { $0.string("id") != id && openStates.contains($0.string("status") ?? "") }, by: "dispatched_at")
        let own = try attachments(a)
        if !open.isEmpty {
            try emit.emit(EventType.assignmentReplied, ticket: ticket, AssignmentReplied(
                assignment: id, unit: lead, result: a.string("result") ?? "", by: by, attachments: own.isEmpty ? nil : own,
                outstanding: open.map { $0.string("lead_unit") ?? "" }))
            return
        }
        guard let t = try tx.queryOne("SELECT id, status, anonymous FROM tickets WHERE id = ?", [.text(ticket)]) else {
            throw DispatchError("ticket \(ticket) of assignment \(id) is missing")
        }
        try DispatchService.move(ticket, from: DispatchService.state(t), .reply, tx)
        let replied = Self.ordered(roundRows.filter { $0.string("status") == "replied" }, by: "replied_at")
        let parts = try replied.map { r in
            TicketReplied.Part(assignment: r.string("id") ?? "", unit: r.string("lead_unit") ?? "", result: r.string("result") ?? "",
                               attachments: try attachments(r).nilIfEmpty)
        }
        let ids = parts.map { $0.assignment }
        let contributions = try tx.query(
            """
            SELECT unit, contribution FROM assist_responses
            WHERE assignment IN (\(ids.map { _ in "?" }.joined(separator: ", "))) AND contribution IS NOT NULL ORDER BY responded_at, unit
            """, ids.map { SQLValue.text($0) }
        ).map { TicketReplied.Contribution(unit: $0.string("unit") ?? "", text: $0.string("contribution") ?? "") }
        let composed = parts.count > 1 || !contributions.isEmpty
        let name = { (unit: String) in county.unit(unit)?.name ?? unit }
        let result = ReplyComposer.compose(parts: parts.map { (name($0.unit), $0.result) },
                                           contributions: contributions.map { (name($0.unit), $0.text) })
        let every = parts.flatMap { $0.attachments ?? [] }
        try emit.emit(EventType.ticketReplied, ticket: ticket, TicketReplied(
            assignment: id, unit: lead, result: result, callerAnonymous: t.bool("anonymous"), by: by, attachments: every.nilIfEmpty,
            parts: composed ? parts : nil, contributions: contributions.nilIfEmpty))
    }

    /// `rows` by `column` (a timestamp), then id: ASCII both, so Swift's order is SQLite's.
    static func ordered(_ rows: [Row], by column: String) -> [Row] {
        rows.sorted { ($0.string(column) ?? "", $0.string("id") ?? "") < ($1.string(column) ?? "", $1.string("id") ?? "") }
    }

    static func attachments(_ r: Row) throws -> [String] {
        guard let text = r.string("reply_attachments") else { return [] }
        do { return try JSONCoding.decode([String].self, from: text) } catch {
            throw DispatchError("assignment \(r.string("id") ?? "?") has unreadable reply attachments: \(error)")
        }
    }
}

/// What the citizen is told when a reply has more than one author, as a pure function.
public enum ReplyComposer {
    /// One part alone is its own text; several are each headed by their unit (【unit】text),
    /// and the assisting units' contributions follow under their own heading.
    public static func compose(parts: [(unit: String, text: String)], contributions: [(unit: String, text: String)]) -> String {
        var blocks: [String]
        if parts.count == 1 {
            blocks = [parts[0].text]
        } else {
            blocks = parts.map { "【\($0.unit)】\($0.text)" }
        }
        if !contributions.isEmpty {
            blocks.append("协办单位：\n" + contributions.map { "【\($0.unit)】\($0.text)" }.joined(separator: "\n"))
        }
        return blocks.joined(separator: "\n\n")
    }
}

extension Array {
    /// nil for an empty array: optional event members are left out rather than empty.
    var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}
