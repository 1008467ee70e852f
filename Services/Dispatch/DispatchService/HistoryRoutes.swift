import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// A ticket's whole path through dispatch (DI-8): every round, unit, request and decision,
/// who acted and when — read from dispatch's own stream, the record auditors trust.
enum HistoryRoutes {
    struct Entry: Codable, Sendable {
        let seq: Int64
        let at: String
        let type: String
        let data: JSONValue
    }

    struct History: Codable, Sendable {
        let ticket: String
        let status: String
        let round: Int64
        /// The first unit the ticket was dispatched to (首接单位): accountable to the end.
        let firstUnit: String?
        let events: [Entry]

        enum CodingKeys: String, CodingKey {
            case ticket, status, round, events
            case firstUnit = "first_unit"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(ticket, forKey: .ticket)
            try c.encode(status, forKey: .status)
            try c.encode(round, forKey: .round)
            try c.encode(firstUnit, forKey: .firstUnit)
            try c.encode(events, forKey: .events)
        }
    }

    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/tickets/{id}/history", roles: [.centre, .unit, .auditor]) { request in
                let id = request.parameter("id")
                let store = context.store
                let found = try await context.read { tx -> (Row, [Event], [Row])? in
                    guard let t = try tx.queryOne("SELECT id, status, round, first_unit FROM tickets WHERE id = ?", [.text(id)]) else {
                        return nil
                    }
                    let units = try tx.query("SELECT lead_unit, assists FROM assignments WHERE ticket = ?", [.text(id)])
                    return (t, try store.events(tx, ticket: id), units)
                }
                guard let (ticket, events, assignments) = found else { throw DispatchService.unseen("ticket \(id)", request.principal) }
                if request.principal?.role == .unit {
                    // A unit sees the path of tickets it leads or led, or assists or assisted.
                    let unit = request.principal?.unit ?? ""
                    let involved = try assignments.contains { a in
                        try a.string("lead_unit") == unit || DispatchService.units(inAssists: a).contains(unit)
                    }
                    guard involved else {
                        DispatchService.logForeignAttempt(request.principal, assignment: "ticket \(id)", action: "history", context)
                        throw DispatchService.unseen("ticket \(id)", request.principal)
                    }
                }
                return try .json(History(
                    ticket: id, status: ticket.string("status") ?? "", round: ticket.int("round") ?? 0, firstUnit: ticket.string("first_unit"),
                    events: try events.map { Entry(seq: $0.seq, at: $0.at, type: $0.type, data: try $0.parsedData()) }))
            },
        ]
    }
}
