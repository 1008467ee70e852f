import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// Intake's idempotent ticket store: the SQL behind a submission, run on the serial writer.
public enum TicketStore {
    enum Outcome: Sendable {
        case created(IntakeService.TicketView)
        case replay(IntakeService.TicketView)
        case conflict(String)
    }

    /// The ticket this submission repeats as a retry, if any: by the channel's reference, or
    /// (with `since`) by the same normalised content received since then under a made-up
    /// reference. `.conflict` when the reference was used for different content.
    static func earlier(channel: String, ticket t: ValidTicket, fingerprint: String, since: String?, tx: Transaction) throws
        -> Outcome?
    {
        let columns = IntakeService.viewColumns
        if let since {
            let row = try tx.queryOne(contentDuplicateSQL(columns: columns), [.text(channel), .text(fingerprint), .text(since)])
            return row.map { .replay(IntakeService.TicketView($0)) }
        }
        guard let row = try tx.queryOne(
            "SELECT \(columns), fingerprint FROM tickets WHERE channel = ? AND channel_ref = ?", [.text(channel), .text(t.channelRef)])
        else { return nil }
        return row.string("fingerprint") == fingerprint ? .replay(IntakeService.TicketView(row)) : .conflict(row.string("id") ?? "")
    }

    /// The condition that picks tickets deduplicated on content; the partial index
    /// `tickets_content_dedupe` (migration 104) has it as its predicate, and a look-up can use
    /// that index only when it repeats the term exactly.
    public static let madeUpReferenceTerm = "channel_ref LIKE '\(TicketDraft.contentRefPrefix)%'"

    /// The latest ticket of a channel with this fingerprint received since a time, among those
    /// deduplicated on content (parameters: channel, fingerprint, since).
    public static func contentDuplicateSQL(columns: String) -> String {
        """
        SELECT \(columns) FROM tickets WHERE channel = ? AND fingerprint = ? AND received_at >= ?
            AND \(madeUpReferenceTerm) ORDER BY received_at DESC LIMIT 1
        """
    }

    /// Idempotent store of a prepared ticket.
    static func store(_ draft: TicketDraft, tx: Transaction, emit: EventSink) throws -> Outcome {
        let t = draft.ticket
        if let since = draft.dedupeSince,
            let earlier = try earlier(channel: draft.channel, ticket: t, fingerprint: draft.fingerprint, since: since, tx: tx)
        {
            return earlier
        }
        let id = draft.id
        let now = draft.now
        // IN-4: the same caller about the same category and place while an earlier ticket is open.
        var original: (id: String, count: Int)?
        if let phoneHash = draft.phoneHash, t.intakeAnswer == nil,
            let row = try tx.queryOne(
                """
                SELECT id, repeat_count FROM tickets WHERE caller_phone_hash = ? AND category = ? AND COALESCE(place_key, '') = ?
                    AND repeat_of IS NULL AND status <> 'closed' ORDER BY received_at LIMIT 1
                """, [.text(phoneHash), .text(t.category), .text(t.placeKey ?? "")])
        {
            original = (row.string("id") ?? "", Int(row.int("repeat_count") ?? 0) + 1)
        }
        let status = t.intakeAnswer != nil ? "closed" : original != nil ? "repeat" : "received"
        // The channel's reference decides whether this is a retry: the insert does nothing when
        // it was used before (one statement instead of a look-up first, on the serial writer).
        let inserted = try tx.execute(
            """
            INSERT INTO tickets (id, channel, channel_ref, fingerprint, kind, domain, category, urgency, content,
                caller_name, caller_phone, caller_phone_hash, anonymous, address, region, latitude, longitude, enterprise,
                attachments, tags, status, received_at, updated_at, place_key, repeat_of, intake_answer)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (channel, channel_ref) DO NOTHING
            """,
            [.text(id), .text(draft.channel), .text(draft.channelRef), .text(draft.fingerprint), .text(t.kind), .text(t.domain),
             .text(t.category), .text(t.urgency), .text(t.content), .optional(t.callerName), .optional(t.callerPhone),
             .optional(draft.phoneHash), .bool(t.anonymous), .optional(t.address), .optional(t.region),
             t.latitude.map(SQLValue.real) ?? .null, t.longitude.map(SQLValue.real) ?? .null, .bool(t.enterprise),
             .text(try JSONCoding.string(t.attachments)), .text(try JSONCoding.string(t.tags)), .text(status), .text(now),
             .text(now), .optional(t.placeKey), .optional(original?.id), .optional(t.intakeAnswer)])
        if inserted == 0 {
            guard let existing = try earlier(channel: draft.channel, ticket: t, fingerprint: draft.fingerprint, since: nil, tx: tx)
            else { throw Problem(status: 503, detail: "could not store the ticket; retry") }
            return existing
        }
        if let original {
            // The rare case: the prepared payload did not know it was a repeat.
            try emit.emit(EventType.ticketReceived, ticket: id, draft.received.linked(to: original.id))
            try tx.executeDeferred("UPDATE tickets SET repeat_count = ?, updated_at = ? WHERE id = ?",
                           [.int(original.count), .text(now), .text(original.id)])
            try emit.emit(EventType.ticketRepeatLinked, ticket: id, TicketRepeatLinked(original: original.id, repeatCount: original.count))
        } else {
            try emit.emit(draft.event)
        }
        if let answer = t.intakeAnswer {
            try emit.emit(EventType.ticketClosedAtIntake, ticket: id, TicketClosedAtIntake(answer: answer, knowledgeID: t.knowledgeID))
        }
        return .created(draft.view(status: status, repeatOf: original?.id))
    }
}
