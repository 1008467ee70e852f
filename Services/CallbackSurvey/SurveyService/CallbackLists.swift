import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// Monthly callback lists per unit (CB-4): every callback finished in the month — completed
/// or unreachable — with its outcome, under the unit's name; JSON or CSV (UTF-8, RFC 4180).
enum CallbackLists {
    static let columns = ["ticket", "unit", "unit_name", "kind", "status", "due", "completed_at", "attempts", "resolved", "satisfaction",
                          "comment", "agent"]

    /// The local month `2026-11` names, as UTC instants [start, end). nil when it is not one.
    static func month(_ period: String, zone: TimeZone) -> (start: Date, end: Date)? {
        guard period.wholeMatches(pattern: "(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])"),
            let y = Int(period.prefix(4)), let m = Int(period.suffix(2))
        else { return nil }
        let first = CivilDate.toDays(y, m, 1)
        let next = m == 12 ? CivilDate.toDays(y + 1, 1, 1) : CivilDate.toDays(y, m + 1, 1)
        return (LocalDate.start(of: first, in: zone), LocalDate.start(of: next, in: zone))
    }

    static func routes(_ context: ServiceContext) -> [Route] {
        [
            Route("GET", "/v1/callback-lists", roles: [.centre, .auditor, .callbackAgent]) { request in
                var errors: [Problem.FieldError] = []
                let period = request.queryValue("period") ?? ""
                let range = month(period, zone: context.zone)
                if range == nil { errors.append(.init("period", "is required: a month such as 2026-11")) }
                let unit = request.queryValue("unit")
                if let unit, unit != "centre" && context.county.unit(unit) == nil { errors.append(.init("unit", "is not a known unit")) }
                let format = request.queryValue("format") ?? "json"
                if format != "json" && format != "csv" { errors.append(.init("format", "must be json or csv")) }
                guard errors.isEmpty, let range else { throw Problem.invalid(errors) }
                var sql = "SELECT * FROM callbacks WHERE status IN ('completed', 'unreachable') AND completed_at >= ? AND completed_at < ?"
                var params: [SQLValue] = [.text(Timestamp.format(range.start)), .text(Timestamp.format(range.end))]
                if let unit {
                    sql += " AND unit = ?"
                    params.append(.text(unit))
                }
                let (query, values) = (sql + " ORDER BY unit, completed_at, assignment LIMIT 100000", params)
                let rows = try await context.read { tx in try tx.query(query, values) }
                let now = context.clock.now()
                let views = rows.map { CallbackRoutes.view($0, now: now, county: context.county) }
                if format == "csv" {
                    let rows = views.map { v -> [String] in
                        guard case .object(let o) = v else { return [] }
                        return columns.map { key -> String in
                            switch o[key] {
                            case .string(let s)?: return s
                            case .bool(let b)?: return b ? "true" : "false"
                            case .number(let n)?: return String(Int(n))
                            default: return ""
                            }
                        }
                    }
                    return CSV.response(header: columns, rows: rows, filename: "callbacks-\(period)" + (unit.map { "-\($0)" } ?? "") + ".csv")
                }
                let unitName: JSONValue = unit.map { .string(context.county.unit($0)?.name ?? "12345热线中心") } ?? .null
                return try .json([
                    "period": .string(period), "unit": unit.map(JSONValue.string) ?? .null, "unit_name": unitName,
                    "count": .number(Double(views.count)), "callbacks": .array(views),
                ] as [String: JSONValue])
            },
        ]
    }
}
