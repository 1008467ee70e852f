import FoundationEssentials
import HotlineCore
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// The evidence of one figure (KP-3): the ids in its numerator or denominator, paged (in the
/// order of the date that puts each in the cohort, then id), as JSON or CSV, so an auditor
/// can walk a large cohort and recount it by hand. The figure comes from
/// the daily sums and the ids from indexed queries (`EvidenceQueries`), both equal to the
/// calculator's.
enum EvidenceRoutes {
    static let figureIDs = ["received", "assignments", "response_rate", "on_time_rate", "resolution_rate", "satisfaction_rate", "return_rate",
                            "rehandle_rate", "callback_rate", "same_day_rate", "avg_handling_hours", "overdue_backlog"]

    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/kpi/evidence", roles: [.auditor, .centre]) { request in
                let (text, period) = try KPIService.period(request, context)
                var errors: [Problem.FieldError] = []
                let figureID = request.queryValue("figure") ?? ""
                if !figureIDs.contains(figureID) { errors.append(.init("figure", "must be one of \(figureIDs.joined(separator: ", "))")) }
                let side = request.queryValue("side") ?? "denominator"
                if side != "numerator" && side != "denominator" { errors.append(.init("side", "must be numerator or denominator")) }
                let unit = request.queryValue("unit")
                if let unit, context.county.unit(unit) == nil { errors.append(.init("unit", "is not a known unit")) }
                let format = request.queryValue("format") ?? "json"
                if format != "json" && format != "csv" { errors.append(.init("format", "must be json or csv")) }
                let page = PageQuery(request, defaultLimit: 500, maxLimit: 10_000, errors: &errors)
                guard errors.isEmpty else { throw Problem.invalid(errors) }
                let now = context.clock.now()
                let zone = context.zone
                let numerator = side == "numerator"
                // The figure from the daily sums, a page of its ids by index: fast at any size.
                let (figures, fetched) = try await context.read { tx in
                    (RollupFigures.figures(period, now: now, try RollupFigures.inputs(tx, period, now: now, zone: zone, unit: unit), unit: unit),
                     try EvidenceQueries.page(tx, figure: figureID, numerator: numerator, period, now: now, unit: unit, after: page.after,
                                              limit: page.limit + 1))
                }
                guard let figure = figures.first(where: { $0.id == figureID }) else {
                    throw Problem.notFound("\(figureID) is not a figure of a unit (it is the county's only)")
                }
                // Counts list their ids on both sides; a rate's side is its numerator or denominator.
                let total: Int
                if figure.denominator == nil { total = Int(figure.value ?? 0) }
                else if figure.id == "avg_handling_hours" { total = numerator ? 0 : figure.denominator ?? 0 }
                else { total = (numerator ? figure.numerator : figure.denominator) ?? 0 }
                let items = Array(fetched.prefix(page.limit))
                let ids = items.map(\.id)
                if format == "csv" {
                    var response = CSV.response(header: ["id"], rows: ids.map { [$0] })
                    if let next = page.nextCursor(fetched: fetched.count, lastKey: items.last?.key, lastID: items.last?.id) { response.headers.append(next) }
                    return response
                }
                var response = try HTTPResponse.json([
                    "period": .string(text), "figure": .string(figureID), "unit": unit.map(JSONValue.string) ?? .null, "side": .string(side),
                    "total": .number(Double(total)), "ids": .array(ids.map(JSONValue.string)),
                    "definition_version": .string(KPICalculator.definitionVersion),
                ] as [String: JSONValue])
                if let next = page.nextCursor(fetched: fetched.count, lastKey: items.last?.key, lastID: items.last?.id) { response.headers.append(next) }
                return response
            },
        ]
    }
}
