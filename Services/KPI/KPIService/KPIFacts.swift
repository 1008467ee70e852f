import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineStorage
import HotlineStreams
import Synchronization

/// What each event says, stored as facts keyed by ticket and by assignment.
///
/// KPI follows four streams and sees them in an order nobody controls: a deadline may
/// arrive before the dispatch it belongs to, a callback before either. So every event
/// upserts the row it is about and fills in only the columns its own stream owns; no write
/// depends on another stream's row existing, and the result is the same in any order.
/// Figures are computed from the joined facts (`KPIService.load`); an assignment whose
/// dispatch facts have not arrived yet has no unit and counts nowhere until they do.
enum KPIFacts {
    static let migrations = [
        Migration(100, "read models", """
            CREATE TABLE k_tickets (
                id TEXT PRIMARY KEY,
                received_at TEXT NOT NULL,
                channel TEXT NOT NULL,
                category TEXT NOT NULL,
                kind TEXT NOT NULL,
                region TEXT,
                is_repeat BIGINT NOT NULL DEFAULT 0,
                is_invalid BIGINT NOT NULL DEFAULT 0
            );
            CREATE INDEX k_tickets_received ON k_tickets (received_at);
            CREATE TABLE k_assignments (
                id TEXT PRIMARY KEY,
                ticket TEXT NOT NULL,
                lead_unit TEXT NOT NULL,
                round BIGINT NOT NULL,
                dispatched_at TEXT NOT NULL,
                response_due TEXT,
                reply_due TEXT,
                accepted_at TEXT,
                replied_at TEXT,
                approved_return BIGINT NOT NULL DEFAULT 0
            );
            CREATE TABLE k_callbacks (
                assignment TEXT PRIMARY KEY,
                ticket TEXT NOT NULL,
                lead_unit TEXT NOT NULL,
                completed_at TEXT NOT NULL,
                reached BIGINT NOT NULL,
                resolved BIGINT NOT NULL,
                satisfaction TEXT NOT NULL
            );
            """),
        // Facts filled in by whichever event arrives first: every column but the key may be
        // NULL until its stream says it. A callback's unit is the assignment's, read by a
        // join, so it is never stored (the old table attributed early callbacks to "").
        // Stores written by migration 100 may miss deadlines (the race this fixed):
        // `hotline admin rebuild kpi` recomputes them from the streams.
        Migration(101, "facts filled in by any stream in any order", """
            ALTER TABLE k_tickets RENAME TO k_tickets_v100;
            ALTER TABLE k_assignments RENAME TO k_assignments_v100;
            ALTER TABLE k_callbacks RENAME TO k_callbacks_v100;
            CREATE TABLE k_tickets (
                id TEXT PRIMARY KEY,
                received_at TEXT,
                channel TEXT,
                category TEXT,
                kind TEXT,
                region TEXT,
                is_repeat BIGINT,
                is_invalid BIGINT
            );
            CREATE TABLE k_assignments (
                id TEXT PRIMARY KEY,
                ticket TEXT,
                lead_unit TEXT,
                round BIGINT,
                dispatched_at TEXT,
                response_due TEXT,
                reply_due TEXT,
                accepted_at TEXT,
                replied_at TEXT,
                approved_return BIGINT
            );
            CREATE TABLE k_callbacks (
                assignment TEXT PRIMARY KEY,
                ticket TEXT,
                completed_at TEXT,
                reached BIGINT,
                resolved BIGINT,
                satisfaction TEXT
            );
            INSERT INTO k_tickets SELECT id, received_at, channel, category, kind, region, is_repeat, is_invalid FROM k_tickets_v100;
            INSERT INTO k_assignments SELECT id, ticket, lead_unit, round, dispatched_at, response_due, reply_due, accepted_at,
                replied_at, approved_return FROM k_assignments_v100;
            INSERT INTO k_callbacks SELECT assignment, ticket, completed_at, reached, resolved, satisfaction FROM k_callbacks_v100;
            DROP TABLE k_tickets_v100;
            DROP TABLE k_assignments_v100;
            DROP TABLE k_callbacks_v100;
            CREATE INDEX k_tickets_received ON k_tickets (received_at);
            CREATE INDEX k_assignments_dispatched ON k_assignments (dispatched_at);
            CREATE INDEX k_assignments_response_due ON k_assignments (response_due);
            CREATE INDEX k_assignments_reply_due ON k_assignments (reply_due);
            CREATE INDEX k_callbacks_completed ON k_callbacks (completed_at);
            """),
        // The rest of kpi.md's figures: returns, reopenings, callback dues, first replies,
        // closures at intake, and assignments ended by escalation (out of the backlog).
        Migration(102, "facts for every figure of kpi.md", """
            ALTER TABLE k_tickets ADD COLUMN first_reply_at TEXT;
            ALTER TABLE k_tickets ADD COLUMN closed_at_intake BIGINT;
            ALTER TABLE k_assignments ADD COLUMN escalated_at TEXT;
            ALTER TABLE k_callbacks ADD COLUMN due_at TEXT;
            ALTER TABLE k_callbacks ADD COLUMN unreachable_at TEXT;
            CREATE TABLE k_returns (
                dispute TEXT PRIMARY KEY,
                assignment TEXT,
                requested_at TEXT
            );
            CREATE INDEX k_returns_requested ON k_returns (requested_at);
            CREATE TABLE k_reopenings (
                ticket TEXT NOT NULL,
                round BIGINT NOT NULL,
                at TEXT NOT NULL,
                reason TEXT NOT NULL,
                PRIMARY KEY (ticket, round)
            );
            CREATE INDEX k_reopenings_at ON k_reopenings (at);
            CREATE INDEX k_assignments_replied ON k_assignments (replied_at);
            CREATE INDEX k_assignments_ticket ON k_assignments (ticket, round);
            CREATE INDEX k_callbacks_due ON k_callbacks (due_at);
            """),
        Migration(103, "the ticket's domain, a dimension of the figures", "ALTER TABLE k_tickets ADD COLUMN domain TEXT"),
        // Tags are single-line text (intake's rule), so a newline separates them.
        Migration(104, "the ticket's tags, a dimension of the figures", "ALTER TABLE k_tickets ADD COLUMN tags TEXT"),
        // The daily emergency bulletin: which tickets are emergencies, and when one was closed.
        Migration(105, "urgency and closure of a ticket", """
            ALTER TABLE k_tickets ADD COLUMN urgency TEXT;
            ALTER TABLE k_tickets ADD COLUMN closed_at TEXT;
            """),
    ]

    /// The tables a rebuild empties before re-applying the streams from seq 1.
    static let tables = ["k_tickets", "k_assignments", "k_callbacks", "k_returns", "k_reopenings", "k_rollup"]

    /// A ticket's own fields that figures are grouped by, from its fact columns (`column`
    /// reads one by name): region figures go by its street (9 digits) and community (12);
    /// `tag` holds its tags, one per line.
    static func attributes(_ column: (String) -> String?) -> [String: String] {
        var out: [String: String] = [:]
        for name in ["channel", "category", "kind", "domain"] { if let v = column(name) { out[name] = v } }
        if let region = column("region") {
            if region.count >= 9 { out["street"] = String(region.prefix(9)) }
            if region.count >= 12 { out["community"] = String(region.prefix(12)) }
        }
        if let tags = column("tags"), !tags.isEmpty { out["tag"] = tags }
        return out
    }

    /// Stores what each event says (see `FactChange`), and moves the daily sums (`KPIRollup`)
    /// by what the entities they touch contribute after them minus what they contributed
    /// before. Over a run of events the differences telescope: each touched entity is read
    /// before its first change and its state after the last is known (`RollupBatch`), and the
    /// sums move once — the same result as event by event, because an event changes only the
    /// entities it touches.
    static func record(_ events: [Event], _ tx: Transaction, zone: TimeZone) throws {
        var batch = RollupBatch(tx, zone: zone)
        let changesByEvent = try events.map(changes)
        try batch.prefetch(changesByEvent.flatMap { $0 })
        for changes in changesByEvent {
            for change in changes { try batch.observe(change) }
            try store(changes, tx)
        }
        try RollupStore.add(tx, try batch.delta())
    }

    private static func store(_ changes: [FactChange], _ tx: Transaction) throws {
        for change in changes {
            switch change {
            case .fill(let table, let key, let columns):
                try upsert(tx, table, key: key, columns)
            case .firstReply(let ticket, let at):
                // The earliest, whichever round's reply is applied first.
                try tx.executeDeferred(
                    """
                    INSERT INTO k_tickets (id, first_reply_at) VALUES (?, ?)
                    ON CONFLICT (id) DO UPDATE SET first_reply_at = CASE
                        WHEN k_tickets.first_reply_at IS NULL OR excluded.first_reply_at < k_tickets.first_reply_at THEN excluded.first_reply_at
                        ELSE k_tickets.first_reply_at END
                    """, [.text(ticket), .text(at)])
            case .reopening(let ticket, let round, let at, let reason):
                try tx.executeDeferred("INSERT INTO k_reopenings (ticket, round, at, reason) VALUES (?, ?, ?, ?) ON CONFLICT (ticket, round) DO NOTHING",
                               [.text(ticket), .int(round), .text(at), .text(reason)])
            }
        }
    }

    /// The fact tables and their keys.
    enum Table: String, Sendable {
        case tickets = "k_tickets", assignments = "k_assignments", callbacks = "k_callbacks", returns = "k_returns"
        var keyColumn: String {
            switch self {
            case .tickets, .assignments: return "id"
            case .callbacks: return "assignment"
            case .returns: return "dispute"
            }
        }
    }

    /// One thing an event states. Every change commutes with every other stream's: `fill`
    /// writes only the columns its stream owns, `firstReply` keeps the earliest, `reopening`
    /// inserts once. The live store (`record`) and the audit's in-memory recomputation
    /// (`FactLedger`) apply the same changes.
    enum FactChange: Sendable, Equatable {
        case fill(Table, key: String, [FactColumn])
        case firstReply(ticket: String, at: String)
        case reopening(ticket: String, round: Int, at: String, reason: String)
    }

    struct FactColumn: Sendable, Equatable {
        let name: String
        let value: SQLValue
        init(_ name: String, _ value: SQLValue) {
            self.name = name
            self.value = value
        }
    }

    /// What `event` says, as fact changes (none for events no figure reads).
    static func changes(_ event: Event) throws -> [FactChange] {
        guard let ticket = event.ticket else { return [] }
        typealias C = FactColumn
        switch event.type {
        case EventType.ticketReceived:
            let r = try event.payload(TicketReceived.self)
            return [.fill(.tickets, key: ticket, [
                C("received_at", .text(r.receivedAt)), C("channel", .text(r.channel)), C("category", .text(r.category)),
                C("kind", .text(r.kind)), C("region", .optional(r.location.region)), C("is_repeat", .bool(r.repeatOf != nil)),
                C("closed_at_intake", .bool(r.closedAtIntake == true)), C("domain", .text(r.domain)),
                C("tags", .text(r.tags.joined(separator: "\n"))), C("urgency", .text(r.urgency)),
            ])]
        case EventType.ticketDispatched:
            let d = try event.payload(TicketDispatched.self)
            return [.fill(.assignments, key: d.assignment, [
                C("ticket", .text(ticket)), C("lead_unit", .text(d.leadUnit)), C("round", .int(d.round)), C("dispatched_at", .text(event.at)),
            ])]
        case EventType.deadlineSet:
            let d = try event.payload(DeadlineEvent.self)
            // A later deadline.set for the same deadline (a new policy) replaces the earlier:
            // both come from the supervision stream, in its order.
            // Assisting units' deadlines (`assist:UNIT`) are not the lead's figures.
            guard d.which == "response" || d.which == "reply" else { return [] }
            return [.fill(.assignments, key: d.assignment, [C(d.which == "response" ? "response_due" : "reply_due", .text(d.due))])]
        case EventType.assignmentAccepted:
            let a = try event.payload(AssignmentAccepted.self)
            return [.fill(.assignments, key: a.assignment, [C("accepted_at", .text(event.at))])]
        case EventType.ticketReplied:
            let r = try event.payload(TicketReplied.self)
            // The ticket's first reply (same-day rate) too.
            return [.fill(.assignments, key: r.assignment, [C("replied_at", .text(event.at))]), .firstReply(ticket: ticket, at: event.at)]
        case EventType.assignmentReplied:
            // A joint lead's part is that assignment's reply, as a whole reply is.
            let r = try event.payload(AssignmentReplied.self)
            return [.fill(.assignments, key: r.assignment, [C("replied_at", .text(event.at))])]
        case EventType.ticketClosed:
            // The latest closure (the dispatch stream is in order); a reopening after it is open again.
            return [.fill(.tickets, key: ticket, [C("closed_at", .text(event.at))])]
        case EventType.returnRequested:
            let r = try event.payload(ReturnRequested.self)
            return [.fill(.returns, key: r.dispute, [C("assignment", .text(r.assignment)), C("requested_at", .text(event.at))])]
        case EventType.ticketReopened:
            let r = try event.payload(TicketReopened.self)
            return [.reopening(ticket: ticket, round: r.round, at: event.at, reason: r.reason)]
        case EventType.ticketEscalated:
            // Ended by escalation: no reply will come from it, and it leaves the backlog.
            let e = try event.payload(TicketEscalated.self)
            return [.fill(.assignments, key: e.assignment, [C("escalated_at", .text(event.at))])]
        case EventType.callbackScheduled:
            // A sampled consultation closed at intake had no unit's reply: not a unit's figure.
            let c = try event.payload(CallbackScheduled.self)
            guard c.kind != "intake_sample" else { return [] }
            return [.fill(.callbacks, key: c.assignment, [C("ticket", .text(ticket)), C("due_at", .text(c.due))])]
        case EventType.callbackUnreachable:
            let c = try event.payload(CallbackUnreachable.self)
            guard c.kind != "intake_sample" else { return [] }
            return [.fill(.callbacks, key: c.assignment, [C("ticket", .text(ticket)), C("unreachable_at", .text(event.at))])]
        case EventType.disputeDecided:
            // kpi.md: an assignment ended by an approved return leaves every rate of its unit.
            let d = try event.payload(DisputeDecided.self)
            guard d.approved else { return [] }
            return [.fill(.assignments, key: d.assignment, [C("approved_return", .bool(true))])]
        case EventType.callbackCompleted:
            let c = try event.payload(CallbackCompleted.self)
            guard c.kind != "intake_sample" else { return [] }
            return [.fill(.callbacks, key: c.assignment, [
                C("ticket", .text(ticket)), C("completed_at", .text(event.at)), C("reached", .bool(true)),
                C("resolved", .bool(c.resolved)), C("satisfaction", .text(c.satisfaction)),
            ])]
        default:
            return []
        }
    }

    /// Inserts the row or fills in `columns` of the existing one; other columns keep what
    /// other streams said.
    private static func upsert(_ tx: Transaction, _ table: Table, key: String, _ columns: [FactColumn]) throws {
        var parameters: [SQLValue] = [.text(key)]
        parameters.reserveCapacity(columns.count + 1)
        for column in columns { parameters.append(column.value) }
        // Deferred: on PostgreSQL it travels with the next statement (nothing reads its count).
        try tx.executeDeferred(upsertSQL(table, columns.map(\.name)), parameters)
    }

    /// The upsert statement for a table and column list, built once per shape: every event
    /// of a kind fills the same columns, and building the text per call was kpi's busiest
    /// function of its own.
    static func upsertSQL(_ table: Table, _ names: [String]) -> String {
        let shape = UpsertShape(table: table, names: names)
        if let cached = upsertStatements.withLock({ $0[shape] }) { return cached }
        let all = [table.keyColumn] + names
        let placeholders = Array(repeating: "?", count: all.count).joined(separator: ", ")
        let updates = names.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let sql = "INSERT INTO \(table.rawValue) (\(all.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT (\(table.keyColumn)) DO UPDATE SET \(updates)"
        upsertStatements.withLock { if $0.count < 1_000 { $0[shape] = sql } }
        return sql
    }

    private struct UpsertShape: Hashable {
        let table: Table
        let names: [String]
    }
    /// Bounded: the shapes come from the event kinds, a few dozen.
    private static let upsertStatements = Mutex<[UpsertShape: String]>([:])
}
