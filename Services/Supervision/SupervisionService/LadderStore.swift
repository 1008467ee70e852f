import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The escalation ladder of each unreplied ticket round (SU-4), its letters and the alerts it
/// addresses, in supervision's schema. One ladder per ticket and round: it starts when a
/// reply deadline is missed, climbs one level per interval (or by the centre's hand) while
/// the ticket stays unreplied — also across an escalation, which is its own level 4 — and
/// stops at the reply, an approved return, or the next round.
struct LadderStore {
    let tx: Transaction
    let emit: EventSink
    let context: ServiceContext

    static let migration = Migration(103, "the escalation ladder, letters and alerts", """
        CREATE TABLE assignments (
            id TEXT PRIMARY KEY,
            ticket TEXT NOT NULL,
            unit TEXT NOT NULL,
            round BIGINT NOT NULL,
            tier BIGINT NOT NULL,
            category TEXT NOT NULL,
            channel TEXT NOT NULL,
            urgency TEXT NOT NULL,
            dispatched_at TEXT NOT NULL
        );
        CREATE INDEX supervision_assignments_ticket ON assignments (ticket, round);
        CREATE TABLE ladder (
            ticket TEXT NOT NULL,
            round BIGINT NOT NULL,
            level BIGINT NOT NULL,
            raised_at TEXT NOT NULL,
            next_at TEXT,
            stopped_at TEXT,
            PRIMARY KEY (ticket, round)
        );
        CREATE INDEX ladder_timer ON ladder (next_at) WHERE stopped_at IS NULL AND next_at IS NOT NULL;
        CREATE TABLE letters (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL,
            kind TEXT NOT NULL,
            year BIGINT NOT NULL,
            sequence BIGINT NOT NULL,
            ticket TEXT NOT NULL,
            assignment TEXT NOT NULL,
            unit TEXT NOT NULL,
            addressee TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            facts TEXT NOT NULL,
            UNIQUE (kind, year, sequence)
        );
        CREATE TABLE alerts (
            id TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            ticket TEXT,
            assignment TEXT,
            unit TEXT,
            level BIGINT,
            addressee_role TEXT NOT NULL,
            addressee_name TEXT NOT NULL,
            addressee_unit TEXT,
            letter TEXT,
            note TEXT,
            acknowledged_at TEXT,
            acknowledged_by TEXT
        );
        CREATE INDEX alerts_at ON alerts (at, id);
        CREATE INDEX alerts_unit ON alerts (unit, at);
        CREATE INDEX alerts_addressee ON alerts (addressee_unit, at);
        """)

    /// Remembers what supervision needs of an assignment for letters and ladders.
    func record(_ d: TicketDispatched, ticket: String, at: String) throws {
        try tx.executeDeferred(
            """
            INSERT INTO assignments (id, ticket, unit, round, tier, category, channel, urgency, dispatched_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
            """,
            [.text(d.assignment), .text(ticket), .text(d.leadUnit), .int(d.round), .int(d.tier), .text(d.category), .text(d.channel),
             .text(d.urgency), .text(at)])
    }

    /// A reply deadline was missed at `at`: the ticket's ladder starts at level 1, unless it
    /// already climbs (a later assignment of the same round missed too).
    func missed(assignment: String, at: Date) throws {
        guard let a = try tx.queryOne("SELECT ticket, round FROM assignments WHERE id = ?", [.text(assignment)]) else { return }
        let ticket = a.string("ticket") ?? "", round = Int(a.int("round") ?? 1)
        guard try tx.queryOne("SELECT level FROM ladder WHERE ticket = ? AND round = ?", [.text(ticket), .int(round)]) == nil else { return }
        try raise(ticket: ticket, round: round, to: 1, at: at, raisedBy: "automatic", note: nil, by: nil)
    }

    /// Stops the round's ladder (the ticket was replied, or its work went elsewhere by an approved return).
    func stop(ticket: String, assignment: String?, at: Date) throws {
        var round: Int64?
        if let assignment { round = try tx.queryOne("SELECT round FROM assignments WHERE id = ?", [.text(assignment)])?.int("round") }
        let params: [SQLValue] = [.text(Timestamp.format(at)), .text(ticket)] + (round.map { [SQLValue.integer($0)] } ?? [])
        try tx.executeDeferred("UPDATE ladder SET stopped_at = ?, next_at = NULL WHERE ticket = ? AND stopped_at IS NULL" + (round == nil ? "" : " AND round = ?"),
                       params)
    }

    /// The open assignment of a round whose reply is still owed (the latest dispatched).
    func openAssignment(ticket: String, round: Int) throws -> Row? {
        try tx.queryOne(
            """
            SELECT a.* FROM assignments a JOIN deadlines d ON d.assignment = a.id AND d.which = 'reply'
            WHERE a.ticket = ? AND a.round = ? AND d.done_at IS NULL AND d.cancelled_at IS NULL
            ORDER BY a.dispatched_at DESC, a.id DESC LIMIT 1
            """, [.text(ticket), .int(round)])
    }

    /// Raises the round's ladder to `level`: records it, issues its letter, addresses its
    /// alert and announces it; schedules the next level while the reply deadline stays missed.
    /// - Returns: the level's alert, or nil when nothing is open to raise it for.
    @discardableResult
    func raise(ticket: String, round: Int, to level: Int, at: Date, raisedBy: String, note: String?, by: ActedBy?) throws -> String? {
        guard let a = try openAssignment(ticket: ticket, round: round) else {
            try stop(ticket: ticket, assignment: nil, at: at)
            return nil
        }
        let assignment = a.string("id") ?? "", unitID = a.string("unit") ?? ""
        guard let unit = context.county.unit(unitID),
            let step = Ladder.step(level, unit: unit, taskForce: Directory.taskForce(of: context.county).flatMap(context.county.unit))
        else { throw ConfigurationError("no ladder level \(level) for unit \(unitID)") }
        let when = Timestamp.format(at)
        let missed = try tx.queryOne("SELECT missed_at FROM deadlines WHERE assignment = ? AND which = 'reply'", [.text(assignment)])?
            .string("missed_at") != nil
        let next = level < Ladder.top && missed
            ? Timestamp.format(Ladder.next(after: at, interval: context.county.sla.ladderRule, calendar: context.calendar, zone: context.zone))
            : nil
        try tx.executeDeferred(
            """
            INSERT INTO ladder (ticket, round, level, raised_at, next_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (ticket, round) DO UPDATE SET level = excluded.level, raised_at = excluded.raised_at, next_at = excluded.next_at
            """, [.text(ticket), .int(round), .int(level), .text(when), .optional(next)])
        var letter: String?
        if let kind = step.letter {
            letter = try issue(kind, ticket: ticket, round: round, assignment: a, addressee: step.addressee, level: level, at: at)
        }
        let alert = "AL-" + NamedUUID.make("ladder\n\(ticket)\n\(round)\n\(level)")
        try tx.executeDeferred(
            """
            INSERT INTO alerts (id, at, kind, ticket, assignment, unit, level, addressee_role, addressee_name, addressee_unit, letter, note)
            VALUES (?, ?, 'ladder', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(alert), .text(when), .text(ticket), .text(assignment), .text(unitID), .int(level), .text(step.addressee.role),
             .text(step.addressee.name), .text(step.addressee.unit), .optional(letter), .optional(note)])
        try emit.emit(EventType.levelRaised, ticket: ticket, LevelRaised(
            assignment: assignment, unit: unitID, round: round, level: level, addressee: step.addressee, raisedBy: raisedBy, note: note,
            letter: letter, by: by))
        return alert
    }

    /// A letter reads the ticket's deadlines and ladder alerts: without these indexes each letter
    /// scanned both tables whole (19.5 ms and 3.3 ms a letter after 30 simulated days of a city,
    /// growing with every day: most of supervision's time in a month's simulation).
    static let ticketIndexes = Migration(108, "a ticket's deadlines and alerts found by the ticket", """
        CREATE INDEX deadlines_ticket ON deadlines (ticket);
        CREATE INDEX alerts_ticket ON alerts (ticket, kind, at);
        """)

    /// A letter with its number, the facts of the ticket and its deadline history.
    private func issue(_ kind: Ladder.LetterKind, ticket: String, round: Int, assignment a: Row, addressee: Ladder.Addressee, level: Int,
                       at: Date) throws -> String {
        let year = LocalDate.year(LocalDate.day(of: at, in: context.zone))
        let sequence = Int(try tx.scalarInt("SELECT COUNT(*) FROM letters WHERE kind = ? AND year = ?", [.text(kind.rawValue), .int(year)]) ?? 0) + 1
        let id = "L-" + NamedUUID.make("letter\n\(ticket)\n\(round)\n\(level)")
        let number = Ladder.number(kind, year: year, sequence: sequence)
        let assignment = a.string("id") ?? "", unitID = a.string("unit") ?? ""
        let deadlines = try tx.query("SELECT * FROM deadlines WHERE ticket = ? ORDER BY due_at, assignment, which", [.text(ticket)])
        let levels = try tx.query("SELECT level, at, addressee_role, addressee_name, note FROM alerts WHERE ticket = ? AND kind = 'ladder' ORDER BY at, level",
                                  [.text(ticket)])
        let facts = LetterFacts(
            ticket: ticket, round: round, category: a.string("category") ?? "",
            categoryName: context.county.category(a.string("category") ?? "")?.name ?? "", channel: a.string("channel") ?? "",
            urgency: a.string("urgency") ?? "", unit: unitID, unitName: context.county.unit(unitID)?.name ?? unitID,
            dispatchedAt: a.string("dispatched_at") ?? "",
            deadlines: deadlines.map { d in
                .init(assignment: d.string("assignment") ?? "", unit: d.string("unit") ?? "", which: d.string("which") ?? "",
                      due: d.string("due_at") ?? "", metAt: d.string("met_at"), missedAt: d.string("missed_at"),
                      cancelledAt: d.string("cancelled_at"), pauses: Int(d.int("pauses") ?? 0))
            },
            levels: levels.map { l in
                .init(level: Int(l.int("level") ?? 0), at: l.string("at") ?? "", addressee: "\(l.string("addressee_name") ?? "")（\(l.string("addressee_role") ?? "")）",
                      note: l.string("note"))
            })
        try tx.executeDeferred(
            """
            INSERT INTO letters (id, number, kind, year, sequence, ticket, assignment, unit, addressee, issued_at, facts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(id), .text(number), .text(kind.rawValue), .int(year), .int(sequence), .text(ticket), .text(assignment), .text(unitID),
             .text(try JSONCoding.string(addressee)), .text(Timestamp.format(at)), .text(try JSONCoding.string(facts))])
        try emit.emit(EventType.letterIssued, ticket: ticket, LetterIssued(
            letter: id, number: number, kind: kind.rawValue, addressee: addressee, assignment: assignment, unit: unitID))
        return id
    }
}

/// What a letter states: the ticket, the unit, every deadline and every level so far.
struct LetterFacts: Codable, Sendable {
    let ticket: String
    let round: Int
    let category: String
    let categoryName: String
    let channel: String
    let urgency: String
    let unit: String
    let unitName: String
    let dispatchedAt: String
    let deadlines: [Deadline]
    let levels: [Level]

    struct Deadline: Codable, Sendable {
        let assignment: String
        let unit: String
        let which: String
        let due: String
        let metAt: String?
        let missedAt: String?
        let cancelledAt: String?
        let pauses: Int

        enum CodingKeys: String, CodingKey {
            case assignment, unit, which, due, pauses
            case metAt = "met_at"
            case missedAt = "missed_at"
            case cancelledAt = "cancelled_at"
        }
    }

    struct Level: Codable, Sendable {
        let level: Int
        let at: String
        let addressee: String
        let note: String?
    }

    enum CodingKeys: String, CodingKey {
        case ticket, round, category, channel, urgency, unit, deadlines, levels
        case categoryName = "category_name"
        case unitName = "unit_name"
        case dispatchedAt = "dispatched_at"
    }
}
