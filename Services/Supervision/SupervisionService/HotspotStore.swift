import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// Hotspot clusters in supervision's schema (SU-5), from intake's `ticket.received` (repeats
/// count too). Alerts depend on the intake stream alone, so they come out the same whatever
/// order intake's and dispatch's streams arrive in.
struct HotspotStore {
    let tx: Transaction
    let emit: EventSink
    let context: ServiceContext

    /// How many of a cluster's tickets an alert names.
    static let namedTickets = 100

    static let migration = Migration(104, "hotspot clusters", """
        CREATE TABLE hotspot_tickets (
            ticket TEXT PRIMARY KEY,
            place TEXT NOT NULL,
            category TEXT NOT NULL,
            region TEXT,
            received_at TEXT NOT NULL
        );
        CREATE INDEX hotspot_tickets_cluster ON hotspot_tickets (place, category, received_at);
        CREATE INDEX hotspot_tickets_time ON hotspot_tickets (received_at);
        CREATE TABLE hotspot_alerts (
            place TEXT NOT NULL,
            category TEXT NOT NULL,
            level TEXT NOT NULL,
            at TEXT NOT NULL,
            count BIGINT NOT NULL,
            PRIMARY KEY (place, category, level, at)
        );
        """)

    /// Counts the ticket into its cluster and alerts when the cluster first reaches a level in
    /// the window ending at the ticket's receipt.
    func received(_ r: TicketReceived, ticket: String) throws {
        guard let place = Hotspots.placeKey(region: r.location.region, address: r.location.address, county: context.county),
            let at = Timestamp.parse(r.receivedAt)
        else { return }
        let when = Timestamp.format(at)
        try tx.executeDeferred(
            "INSERT INTO hotspot_tickets (ticket, place, category, region, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticket) DO NOTHING",
            [.text(ticket), .text(place), .text(r.category), .optional(r.location.region), .text(when)])
        let window = context.county.sla.hotspotSeconds
        let since = Timestamp.format(at.addingTimeInterval(-window))
        let cluster: [SQLValue] = [.text(place), .text(r.category), .text(since), .text(when)]
        // The level needs at most `countyOver + 1` of the cluster (index only): a big cluster
        // costs each new ticket no more than a small one. The whole count and the names come
        // only with an alert, which is once per level per window.
        let seen = try tx.queryOne(
            """
            SELECT COUNT(*) AS n FROM (SELECT 1 FROM hotspot_tickets
            WHERE place = ? AND category = ? AND received_at > ? AND received_at <= ? LIMIT \(Hotspots.countyOver + 1)) AS capped
            """, cluster)?.int("n") ?? 0
        guard let level = Hotspots.level(Int(seen)) else { return }
        // Once per level in a window: not again while an alert of this level lies within it.
        let last = try tx.queryOne("SELECT MAX(at) AS at FROM hotspot_alerts WHERE place = ? AND category = ? AND level = ?",
                                   [.text(place), .text(r.category), .text(level.rawValue)])?.string("at").flatMap(Timestamp.parse)
        guard Hotspots.shouldAlert(lastAlertOfLevel: last, at: at, window: window) else { return }
        let count = Int(try tx.queryOne(
            "SELECT COUNT(*) AS n FROM hotspot_tickets WHERE place = ? AND category = ? AND received_at > ? AND received_at <= ?",
            cluster)?.int("n") ?? 0)
        let members = try tx.query(
            """
            SELECT ticket FROM hotspot_tickets WHERE place = ? AND category = ? AND received_at > ? AND received_at <= ?
            ORDER BY received_at DESC, ticket DESC LIMIT \(Self.namedTickets)
            """, cluster).compactMap { $0.string("ticket") }.reversed()
        try tx.executeDeferred("INSERT INTO hotspot_alerts (place, category, level, at, count) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                       [.text(place), .text(r.category), .text(level.rawValue), .text(when), .int(count)])
        let unit = Self.leadUnit(category: r.category, region: r.location.region, county: context.county)
        let addressee = unit.map { Hotspots.addressee(level, unit: $0) } ?? .init(role: "centre", name: "12345热线中心", unit: "")
        let alert = "AH-" + NamedUUID.make("hotspot\n\(place)\n\(r.category)\n\(level.rawValue)\n\(when)")
        try tx.executeDeferred(
            """
            INSERT INTO alerts (id, at, kind, ticket, assignment, unit, level, addressee_role, addressee_name, addressee_unit, note)
            VALUES (?, ?, 'hotspot', NULL, NULL, ?, NULL, ?, ?, ?, ?)
            """,
            [.text(alert), .text(when), .optional(unit?.id), .text(addressee.role), .text(addressee.name),
             addressee.unit.isEmpty ? .null : .text(addressee.unit),
             .text("\(count) 件「\(context.county.category(r.category)?.name ?? r.category)」诉求 \(Int(window / 3600)) 小时内集中于 \(place)")])
        // A cluster over the county level can be large: the event names its latest tickets
        // (at most `namedTickets`), `count` says how many there are.
        try emit.emit(EventType.hotspotAlerted, ticket: String?.none, HotspotAlerted(
            place: place, category: r.category, windowSeconds: Int(window), count: count, level: level.rawValue, unit: unit?.id,
            addressee: addressee, tickets: Array(members)))
    }

    /// The unit that answers for the category at the place, by the county's catalogue; for a
    /// category without a rule, the place's street.
    static func leadUnit(category: String, region: String?, county: CountyConfig) -> CountyConfig.Unit? {
        if let lead = ResponsibilityCatalogue(county.responsibilities).route(category: category, regionCode: region)?.leads.first {
            return county.unit(lead)
        }
        guard let region else { return nil }
        return Directory(county).answering(region, category: nil)?.first { $0.tier == 2 }?.unit.flatMap(county.unit)
    }

    /// `GET /v1/hotspots`: the live clusters, biggest first.
    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/hotspots", roles: [.centre, .auditor]) { _ in
                let now = context.clock.now()
                let since = Timestamp.format(now.addingTimeInterval(-context.county.sla.hotspotSeconds))
                let rows = try await context.read { tx in
                    try tx.query(
                        """
                        SELECT place, category, MIN(region) AS region, COUNT(*) AS n, MIN(received_at) AS first_at, MAX(received_at) AS last_at
                        FROM hotspot_tickets WHERE received_at > ? AND received_at <= ?
                        GROUP BY place, category HAVING COUNT(*) >= ? ORDER BY n DESC, place, category LIMIT 500
                        """, [.text(since), .text(Timestamp.format(now)), .int(Hotspots.clusterFrom)])
                }
                return try .json(rows.map { r -> JSONValue in
                    let count = Int(r.int("n") ?? 0)
                    let category = r.string("category") ?? ""
                    let unit = leadUnit(category: category, region: r.string("region"), county: context.county)
                    return .object([
                        "place": .string(r.string("place") ?? ""), "category": .string(category), "count": .number(Double(count)),
                        "level": .string(Hotspots.level(count)?.rawValue ?? ""), "unit": unit.map { .string($0.id) } ?? .null,
                        "first_at": .string(r.string("first_at") ?? ""), "last_at": .string(r.string("last_at") ?? ""),
                    ])
                })
            },
        ]
    }
}
