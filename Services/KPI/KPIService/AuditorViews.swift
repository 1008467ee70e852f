import FoundationEssentials
import HotlineStorage

/// SQL views in the kpi schema for auditors who query the database read-only (KP-6; the
/// deploy's init SQL grants the auditor role these and nothing else): the facts per ticket,
/// per assignment, and the main figures per unit and month.
///
/// Months are local months of the county's zone, so the views are made again at every start
/// from the configuration (not by a migration). On SQLite the zone is applied as its current
/// UTC offset (exact for zones without daylight saving, such as China's); PostgreSQL converts
/// with the zone's rules. "Now", which decides what is still pending, is the database's clock.
enum AuditorViews {
    static let names = ["kpi_unit_month_figures", "kpi_assignment_facts", "kpi_ticket_facts"]

    /// The auditor role of `deploy/postgres/init.sql` may read the views (and, through them,
    /// nothing else); without that role (a development database) nothing is granted.
    static let auditorRole = "hotline_auditor"
    static let grant = """
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(auditorRole)') THEN
                GRANT SELECT ON \(names.joined(separator: ", ")) TO \(auditorRole);
            END IF;
        END $$;
        """

    static func script(engine: DatabaseEngine, zone: TimeZone) -> String {
        func month(_ column: String) -> String {
            switch engine {
            case .sqlite:
                return "strftime('%Y-%m', \(column), '\(zone.secondsFromGMT() >= 0 ? "+" : "")\(zone.secondsFromGMT() / 60) minutes')"
            case .postgres:
                let name = zone.identifier.replacing("'", with: "''")
                return "to_char((\(column))::timestamptz AT TIME ZONE '\(name)', 'YYYY-MM')"
            }
        }
        let now = engine == .sqlite
            ? "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')" : "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        func rate(_ met: String, _ decided: String) -> String {
            engine == .sqlite
                ? "ROUND(1.0 * \(met) / NULLIF(\(decided), 0), 4)" : "ROUND((1.0 * \(met) / NULLIF(\(decided), 0))::numeric, 4)"
        }
        func weighted(_ rate: String, _ weight: String) -> (value: String, weight: String) {
            ("COALESCE(\(rate), 0) * \(weight)", "CASE WHEN \(rate) IS NULL THEN 0 ELSE \(weight) END")
        }
        let parts = [weighted("response_rate", "0.2"), weighted("on_time_rate", "0.2"), weighted("resolution_rate", "0.3"),
                     weighted("satisfaction_rate", "0.3")]
        let composite = "100 * (\(parts.map(\.value).joined(separator: " + "))) / NULLIF(\(parts.map(\.weight).joined(separator: " + ")), 0)"
        let roundedComposite = engine == .sqlite ? "ROUND(\(composite), 2)" : "ROUND((\(composite))::numeric, 2)"
        // PostgreSQL replaces the views in place, keeping what was granted on them; SQLite has
        // no grants and no CREATE OR REPLACE VIEW.
        let create = engine == .sqlite ? "CREATE VIEW" : "CREATE OR REPLACE VIEW"
        let drops = engine == .sqlite ? names.map { "DROP VIEW IF EXISTS \($0);" }.joined(separator: "\n") + "\n" : ""
        return drops + """
            \(create) kpi_ticket_facts AS
            SELECT id AS ticket, received_at, \(month("received_at")) AS month, channel, category, kind, domain, region,
                substr(region, 1, 9) AS street, substr(region, 1, 12) AS community, tags, urgency,
                COALESCE(is_repeat, 0) AS is_repeat, COALESCE(closed_at_intake, 0) AS closed_at_intake, first_reply_at, closed_at
            FROM k_tickets WHERE received_at IS NOT NULL;
            \(create) kpi_assignment_facts AS
            SELECT a.id AS assignment, a.ticket, a.lead_unit AS unit, a.round, a.dispatched_at, \(month("a.dispatched_at")) AS dispatched_month,
                a.response_due, \(month("a.response_due")) AS response_month, a.accepted_at,
                CASE WHEN a.accepted_at IS NOT NULL AND a.accepted_at <= a.response_due THEN 1 ELSE 0 END AS responded_in_time,
                a.reply_due, \(month("a.reply_due")) AS reply_month, a.replied_at,
                CASE WHEN a.replied_at IS NOT NULL AND a.replied_at <= a.reply_due THEN 1 ELSE 0 END AS replied_in_time,
                COALESCE(a.approved_return, 0) AS approved_return, a.escalated_at,
                c.due_at AS callback_due, c.completed_at AS callback_completed_at, \(month("c.completed_at")) AS callback_month,
                c.unreachable_at AS callback_unreachable_at, c.resolved, c.satisfaction,
                t.channel, t.category, t.kind, t.domain, t.region
            FROM k_assignments a LEFT JOIN k_tickets t ON t.id = a.ticket LEFT JOIN k_callbacks c ON c.assignment = a.id
            WHERE a.lead_unit IS NOT NULL AND a.dispatched_at IS NOT NULL;
            \(create) kpi_unit_month_figures AS
            SELECT unit, month, assignments, response_met, response_decided, response_rate, reply_met, reply_decided, on_time_rate,
                reached, resolved, satisfied, resolution_rate, satisfaction_rate, \(roundedComposite) AS composite
            FROM (
                SELECT unit, month, SUM(assigned) AS assignments,
                    SUM(response_met) AS response_met, SUM(response_decided) AS response_decided,
                    \(rate("SUM(response_met)", "SUM(response_decided)")) AS response_rate,
                    SUM(reply_met) AS reply_met, SUM(reply_decided) AS reply_decided,
                    \(rate("SUM(reply_met)", "SUM(reply_decided)")) AS on_time_rate,
                    SUM(reached) AS reached, SUM(resolved) AS resolved, SUM(satisfied) AS satisfied,
                    \(rate("SUM(resolved)", "SUM(reached)")) AS resolution_rate,
                    \(rate("SUM(satisfied)", "SUM(reached)")) AS satisfaction_rate
                FROM (
                    SELECT unit, dispatched_month AS month, 1 AS assigned, 0 AS response_met, 0 AS response_decided, 0 AS reply_met,
                        0 AS reply_decided, 0 AS reached, 0 AS resolved, 0 AS satisfied
                    FROM kpi_assignment_facts
                    UNION ALL
                    SELECT unit, response_month, 0, responded_in_time,
                        CASE WHEN responded_in_time = 1 OR response_due <= \(now) THEN 1 ELSE 0 END, 0, 0, 0, 0, 0
                    FROM kpi_assignment_facts WHERE response_due IS NOT NULL AND approved_return = 0
                    UNION ALL
                    SELECT unit, reply_month, 0, 0, 0, replied_in_time,
                        CASE WHEN replied_in_time = 1 OR reply_due <= \(now) THEN 1 ELSE 0 END, 0, 0, 0
                    FROM kpi_assignment_facts WHERE reply_due IS NOT NULL AND approved_return = 0
                    UNION ALL
                    SELECT unit, callback_month, 0, 0, 0, 0, 0, 1, COALESCE(resolved, 0),
                        CASE WHEN satisfaction IN ('satisfied', 'basic') THEN 1 ELSE 0 END
                    FROM kpi_assignment_facts WHERE callback_completed_at IS NOT NULL AND approved_return = 0
                ) cohorts GROUP BY unit, month
            ) figures;
            """
    }
}
