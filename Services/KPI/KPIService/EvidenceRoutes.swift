import Foundation
import HotlineCore
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// The evidence of one figure (KP-3): the ids in its numerator or denominator, paged, as JSON
/// or CSV, so an auditor can walk a large cohort and recount it by hand.
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
                let facts = try await KPIService.load(period, now: now, context)
                guard let figure = KPICalculator.figures(period: period, unit: unit, now: now, facts).first(where: { $0.id == figureID }) else {
                    throw Problem.notFound("\(figureID) is not a figure of a unit (it is the county's only)")
                }
                // Counts list their ids as the numerator; a count has no denominator.
                let all = (side == "numerator" ? figure.numeratorIDs : figure.denominatorIDs ?? (figure.numerator == nil ? figure.numeratorIDs : nil)) ?? []
                let rest = all.filter { id in page.after.map { id > $0.id } ?? true }
                let ids = Array(rest.prefix(page.limit))
                if format == "csv" {
                    var response = CSV.response(header: ["id"], rows: ids.map { [$0] })
                    if let next = page.nextCursor(fetched: rest.count, lastKey: ids.last, lastID: ids.last) { response.headers.append(next) }
                    return response
                }
                var response = try HTTPResponse.json([
                    "period": .string(text), "figure": .string(figureID), "unit": unit.map(JSONValue.string) ?? .null, "side": .string(side),
                    "total": .number(Double(all.count)), "ids": .array(ids.map(JSONValue.string)),
                    "definition_version": .string(KPICalculator.definitionVersion),
                ] as [String: JSONValue])
                if let next = page.nextCursor(fetched: rest.count, lastKey: ids.last, lastID: ids.last) { response.headers.append(next) }
                return response
            },
        ]
    }
}
