import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// Supervision's deadlines and reminders in its schema, changed inside one transaction with
/// the events that announce the changes. The arithmetic is `SLA` and `DeadlineClock`'s.
struct DeadlineStore {
    let tx: Transaction
    let emit: EventSink
    let ticket: String
    let context: ServiceContext

    static let migration = Migration(102, "reminders, pauses, late replies, calendar gaps", """
        ALTER TABLE deadlines ADD COLUMN rule TEXT;
        ALTER TABLE deadlines ADD COLUMN start_at TEXT;
        ALTER TABLE deadlines ADD COLUMN done_at TEXT;
        ALTER TABLE deadlines ADD COLUMN paused_since TEXT;
        ALTER TABLE deadlines ADD COLUMN pause_reason TEXT;
        ALTER TABLE deadlines ADD COLUMN pauses BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE deadlines ADD COLUMN calendar_gap TEXT;
        DROP INDEX deadlines_open;
        CREATE INDEX deadlines_timer ON deadlines (due_at)
            WHERE met_at IS NULL AND missed_at IS NULL AND cancelled_at IS NULL AND paused_since IS NULL;
        CREATE INDEX deadlines_assignment ON deadlines (assignment);
        CREATE INDEX deadlines_calendar_gap ON deadlines (calendar_gap) WHERE calendar_gap IS NOT NULL;
        CREATE TABLE reminders (
            assignment TEXT NOT NULL,
            which TEXT NOT NULL,
            kind TEXT NOT NULL,
            remind_at TEXT NOT NULL,
            sent_at TEXT,
            PRIMARY KEY (assignment, which, kind)
        );
        CREATE INDEX reminders_timer ON reminders (remind_at) WHERE sent_at IS NULL;
        """)

    /// The primary key (assignment, which) answers look-ups by assignment alone: a separate
    /// index on assignment only cost every new deadline another index insert.
    static let dropAssignmentIndex = Migration(107, "deadlines looked up by assignment through the primary key",
                                               "DROP INDEX deadlines_assignment")

    /// A deadline still running: not met, missed or cancelled.
    static let running = "met_at IS NULL AND missed_at IS NULL AND cancelled_at IS NULL"

    /// Sets a deadline and its reminders, and announces it.
    func set(_ d: SLA.Deadline, assignment: String, unit: String, start: Date) throws {
        let due = Timestamp.format(d.due)
        let gap = d.uncoveredYears.isEmpty ? nil : d.uncoveredYears.map(String.init).joined(separator: ",")
        // Deferred (here and for reminders): on PostgreSQL these travel with the next statement.
        try tx.executeDeferred(
            """
            INSERT INTO deadlines (assignment, which, ticket, unit, policy, due_at, rule, start_at, calendar_gap)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(assignment), .text(d.which), .text(ticket), .text(unit), .text(d.policy), .text(due), .text(d.rule),
             .text(Timestamp.format(start)), .optional(gap)])
        if let gap { reportGap(gap, assignment: assignment, which: d.which) }
        // A new deadline has no reminders to clear: the insert above fails on an existing one.
        try schedule(assignment, d.which, start: start, due: d.due, clearing: false)
        try emit.emit(EventType.deadlineSet, ticket: ticket, DeadlineEvent(assignment: assignment, unit: unit, which: d.which, due: due,
                                                                           policy: d.policy))
    }

    /// The obligations `which` (in that order) are done at `at`: each met when in time; a late
    /// one is missed, never met — announced now if the timer has not yet.
    /// - Parameter clearingReminders: false when the caller cancels what the assignment still
    ///   owes right after (`cancel` drops every unsent reminder of it at once).
    func fulfil(_ assignment: String, which: [String], at: Date, clearingReminders: Bool = true) throws {
        let now = Timestamp.format(at)
        // All of the assignment's open deadlines (two or three, by the key's prefix): a `which IN
        // (…)` list made SQLite build a temporary B-tree in every call, a third of its cost.
        let open = try tx.query("SELECT * FROM deadlines WHERE assignment = ? AND done_at IS NULL AND cancelled_at IS NULL", [.text(assignment)])
        for w in which {
            guard let d = open.first(where: { $0.string("which") == w }) else { continue }
            let due = d.string("due_at").flatMap(Timestamp.parse) ?? .distantPast
            if d.string("missed_at") == nil && at > due {
                try tx.executeDeferred("UPDATE deadlines SET missed_at = ?, done_at = ?, paused_since = NULL WHERE assignment = ? AND which = ?",
                               [.text(now), .text(now), .text(assignment), .text(w)])
                try emit.emit(EventType.deadlineMissed, ticket: ticket, event(d))
            } else if d.string("missed_at") == nil {
                try tx.executeDeferred("UPDATE deadlines SET met_at = ?, done_at = ?, paused_since = NULL WHERE assignment = ? AND which = ?",
                               [.text(now), .text(now), .text(assignment), .text(w)])
            } else {
                try tx.executeDeferred("UPDATE deadlines SET done_at = ? WHERE assignment = ? AND which = ?", [.text(now), .text(assignment), .text(w)])
            }
            if clearingReminders { try unschedule(assignment, w) }
        }
    }

    /// The clock stops (一次告知) for the running reply deadline; the reason shows on it.
    func pause(_ assignment: String, reason: String, at: Date) throws {
        try tx.executeDeferred(
            "UPDATE deadlines SET paused_since = ?, pause_reason = ?, pauses = pauses + 1 WHERE assignment = ? AND which = 'reply' AND \(Self.running) AND paused_since IS NULL",
            [.text(Timestamp.format(at)), .text(reason), .text(assignment)])
        // A stopped clock reminds of nothing; resuming schedules what is still unsent.
        try unschedule(assignment, "reply")
    }

    /// The clock runs again: the due moves by the pause (`DeadlineClock.resumed`), announced
    /// with `deadline.set`.
    func resume(_ assignment: String, at: Date) throws {
        guard let d = try tx.queryOne("SELECT * FROM deadlines WHERE assignment = ? AND which = 'reply' AND paused_since IS NOT NULL AND \(Self.running)",
                                      [.text(assignment)]),
            let pausedAt = d.string("paused_since").flatMap(Timestamp.parse), let due = d.string("due_at").flatMap(Timestamp.parse)
        else { return }
        let moved = DeadlineClock.resumed(due: due, rule: d.string("rule").flatMap(DeadlineRule.parse), pausedAt: pausedAt, resumedAt: at,
                                          calendar: context.calendar, zone: context.zone)
        try move(d, to: moved.due, policy: d.string("policy") ?? "", uncovered: moved.uncoveredYears, extraSQL: ", paused_since = NULL")
    }

    /// An approved extension: the reply due becomes the granted time (a fixed due from now on).
    func extend(_ assignment: String, to due: Date) throws {
        guard let d = try tx.queryOne("SELECT * FROM deadlines WHERE assignment = ? AND which = 'reply' AND \(Self.running)", [.text(assignment)])
        else { return }
        try move(d, to: due, policy: "extension", uncovered: [], extraSQL: ", rule = NULL")
    }

    /// An approved return or an escalation ends the assignment: its deadlines stop.
    func cancel(_ assignment: String, at: Date) throws {
        try tx.executeDeferred("UPDATE deadlines SET cancelled_at = ? WHERE assignment = ? AND \(Self.running)", [.text(Timestamp.format(at)), .text(assignment)])
        try tx.executeDeferred("DELETE FROM reminders WHERE assignment = ? AND sent_at IS NULL", [.text(assignment)])
    }

    private func move(_ d: Row, to due: Date, policy: String, uncovered: [Int], extraSQL: String) throws {
        let assignment = d.string("assignment") ?? "", which = d.string("which") ?? ""
        let text = Timestamp.format(due)
        let gap = uncovered.isEmpty ? d.string("calendar_gap") : uncovered.map(String.init).joined(separator: ",")
        try tx.executeDeferred("UPDATE deadlines SET due_at = ?, policy = ?, calendar_gap = ?\(extraSQL) WHERE assignment = ? AND which = ?",
                       [.text(text), .text(policy), .optional(gap), .text(assignment), .text(which)])
        if !uncovered.isEmpty, let gap { reportGap(gap, assignment: assignment, which: which) }
        try schedule(assignment, which, start: d.string("start_at").flatMap(Timestamp.parse) ?? emit.now, due: due)
        try emit.emit(EventType.deadlineSet, ticket: ticket, DeadlineEvent(assignment: assignment, unit: d.string("unit") ?? "",
                                                                           which: which, due: text, policy: policy))
    }

    /// (Re)schedules the reminders not yet sent; one already sent is never sent again.
    /// - Parameter clearing: whether unsent reminders of an earlier due may be there to drop.
    private func schedule(_ assignment: String, _ which: String, start: Date, due: Date, clearing: Bool = true) throws {
        if clearing { try unschedule(assignment, which) }
        for r in DeadlineClock.reminders(start: start, due: due) {
            try tx.executeDeferred(
                "INSERT INTO reminders (assignment, which, kind, remind_at) VALUES (?, ?, ?, ?) ON CONFLICT (assignment, which, kind) DO NOTHING",
                [.text(assignment), .text(which), .text(r.kind.rawValue), .text(Timestamp.format(r.at))])
        }
    }

    private func unschedule(_ assignment: String, _ which: String) throws {
        try tx.executeDeferred("DELETE FROM reminders WHERE assignment = ? AND which = ? AND sent_at IS NULL", [.text(assignment), .text(which)])
    }

    private func event(_ d: Row) -> DeadlineEvent {
        DeadlineEvent(assignment: d.string("assignment") ?? "", unit: d.string("unit") ?? "", which: d.string("which") ?? "",
                      due: d.string("due_at") ?? "", policy: d.string("policy") ?? "")
    }

    private func reportGap(_ years: String, assignment: String, which: String) {
        context.metrics.describe("hotline_deadlines_calendar_gap_total", type: "counter",
                                 help: "Deadlines counted across a year calendar.json does not list (plain Monday-Friday)")
        context.metrics.increment("hotline_deadlines_calendar_gap_total")
        context.logger.warning("deadline counted as plain Monday–Friday: calendar.json lacks a year", [
            "calendar.years": years, "assignment.id": assignment, "deadline.which": which,
        ])
    }

    /// Fires reminders and misses whose time is at or before `until`, in time order, at most
    /// `limit` of each kind. - Returns: how many fired, and whether more may be due.
    /// - Parameter limit: a county's working hour brings ~570 timers: one batch, one commit
    ///   (about 35 ms on the writer). Batches of 200 took three commits, each a sync on every
    ///   clock move's critical path (simulation duels: 1–5% more tickets/s, 1–3% less CPU).
    static func fireDue(until: Date, limit: Int = 1000, tx: Transaction, emit: EventSink, context: ServiceContext) throws -> (Int, Bool) {
        let now = Timestamp.format(until)
        let misses = try tx.query("SELECT * FROM deadlines WHERE \(running) AND paused_since IS NULL AND due_at <= ? ORDER BY due_at, assignment, which LIMIT ?",
                                  [.text(now), .int(limit)])
        let reminders = try tx.query(
            """
            SELECT r.assignment, r.which, r.kind, r.remind_at, d.ticket, d.unit, d.due_at, d.policy FROM reminders r
            JOIN deadlines d ON d.assignment = r.assignment AND d.which = r.which
            WHERE r.sent_at IS NULL AND r.remind_at <= ? ORDER BY r.remind_at, r.assignment, r.which, r.kind LIMIT ?
            """, [.text(now), .int(limit)])
        let levels = try tx.query(
            "SELECT * FROM ladder WHERE stopped_at IS NULL AND next_at IS NOT NULL AND next_at <= ? ORDER BY next_at, ticket, round LIMIT ?",
            [.text(now), .int(limit)])
        // Each list comes in time order; when one is full, what lies beyond its last time waits
        // for the next batch, so the merged order holds across batches.
        var cut = now
        if misses.count == limit, let last = misses.last?.string("due_at") { cut = min(cut, last) }
        if reminders.count == limit, let last = reminders.last?.string("remind_at") { cut = min(cut, last) }
        if levels.count == limit, let last = levels.last?.string("next_at") { cut = min(cut, last) }
        // At one instant: reminders, then misses, then ladder levels.
        var timers: [(at: String, order: Int, row: Row)] = reminders.map { ($0.string("remind_at") ?? "", 0, $0) }
            + misses.map { ($0.string("due_at") ?? "", 1, $0) } + levels.map { ($0.string("next_at") ?? "", 2, $0) }
        timers = timers.filter { $0.at <= cut }.sorted { ($0.at, $0.order) < ($1.at, $1.order) }
        let ladder = LadderStore(tx: tx, emit: emit, context: context)
        for t in timers {
            let r = t.row
            if t.order == 2 {
                // The interval passed with the ticket still unreplied: one level more, at its time.
                let ticket = r.string("ticket") ?? "", round = Int(r.int("round") ?? 1), level = Int(r.int("level") ?? 0)
                try ladder.raise(ticket: ticket, round: round, to: level + 1, at: Timestamp.parse(t.at) ?? until, raisedBy: "automatic",
                                     note: nil, by: nil)
                continue
            }
            let assignment = r.string("assignment") ?? "", which = r.string("which") ?? ""
            let event = DeadlineEvent(assignment: assignment, unit: r.string("unit") ?? "", which: which, due: r.string("due_at") ?? "",
                                      policy: r.string("policy") ?? "")
            if t.order == 1 {
                try tx.executeDeferred("UPDATE deadlines SET missed_at = ? WHERE assignment = ? AND which = ?", [.text(now), .text(assignment), .text(which)])
                try tx.executeDeferred("DELETE FROM reminders WHERE assignment = ? AND which = ? AND sent_at IS NULL", [.text(assignment), .text(which)])
                try emit.emit(EventType.deadlineMissed, ticket: r.string("ticket"), event)
                // A missed reply starts the ticket's ladder at level 1, as of the due.
                if which == "reply" { try ladder.missed(assignment: assignment, at: Timestamp.parse(t.at) ?? until) }
            } else {
                let kind = r.string("kind") ?? ""
                try tx.executeDeferred("UPDATE reminders SET sent_at = ? WHERE assignment = ? AND which = ? AND kind = ?",
                               [.text(now), .text(assignment), .text(which), .text(kind)])
                try emit.emit(EventType.deadlineReminded, ticket: r.string("ticket"),
                              DeadlineReminded(deadline: event, kind: kind, remindAt: r.string("remind_at") ?? ""))
            }
        }
        return (timers.count, misses.count == limit || reminders.count == limit || levels.count == limit)
    }
}
