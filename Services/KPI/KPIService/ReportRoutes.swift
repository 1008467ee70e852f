import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// Published monthly reports (KP-4) and the live ranking (KP-2).
enum ReportRoutes {
    static func routes(_ context: ServiceContext, publication: ReportPublication, streams: [String]) -> [Route] {
        let readers: Set<Principal.Role> = [.auditor, .centre, .admin]
        /// The exact stored bytes, with their hash and version in the headers.
        @Sendable func exact(_ r: ReportStore.Stored) -> HTTPResponse {
            HTTPResponse(status: 200, headers: [("Content-Type", "application/json"), ("ETag", "\"\(r.sha256)\""),
                                                ("X-Report-SHA256", r.sha256), ("X-Report-Version", String(r.version))], body: r.body)
        }
        @Sendable func summary(_ r: ReportStore.Stored) -> JSONValue {
            .object([
                "period": .string(r.period), "version": .number(Double(r.version)), "scope": .string(r.scope),
                "published_at": .string(r.publishedAt), "trigger": .string(r.trigger), "sha256": .string(r.sha256),
                "history": (try? JSONValueParser.parse(Array(r.history.utf8))) ?? .array([]),
            ])
        }
        @Sendable func month(_ request: HTTPRequest) throws -> String {
            let label = request.parameter("period")
            guard ReportPublication.month(label, zone: context.zone) != nil else {
                throw Problem.invalid([.init("period", "must be a month such as 2026-10")])
            }
            return label
        }
        return [
            Route("GET", "/v1/reports", roles: readers) { _ in
                let all = try await context.read { tx in try ReportStore.list(tx, limit: 1000) }
                return try .json(JSONValue.array(all.map(summary)))
            },
            Route("GET", "/v1/reports/{period}", roles: readers) { request in
                let label = try month(request)
                guard let r = try await context.read({ tx in try ReportStore.find(tx, period: label) }) else {
                    throw Problem.notFound("no report of \(label) has been published")
                }
                return exact(r)
            },
            Route("GET", "/v1/reports/{period}/versions/{n}", roles: readers) { request in
                let label = try month(request)
                guard let n = Int(request.parameter("n")), n >= 1, n <= 1_000_000 else {
                    throw Problem.invalid([.init("n", "must be a version number from 1")])
                }
                guard let r = try await context.read({ tx in try ReportStore.find(tx, period: label, version: n) }) else {
                    throw Problem.notFound("no version \(n) of the report of \(label)")
                }
                return exact(r)
            },
            // Publishing again makes a new version; the earlier ones stay as they were.
            Route("POST", "/v1/reports/{period}/publish", roles: [.centre, .admin]) { request in
                let label = try month(request)
                let r = try await publication.publish(month: label, trigger: "on_demand", at: context.clock.now(), streams: streams, context)
                return try .json(summary(r), status: 201)
            },
            // The ranking of any period, live (kpi.md): composite, then assignments, then unit id.
            Route("GET", "/v1/ranking", roles: readers) { request in
                let (text, period) = try KPIService.period(request, context)
                let format = try KPIService.format(request)
                let now = context.clock.now()
                let zone = context.zone
                let inputs = try await context.read { tx in try RollupFigures.inputs(tx, period, now: now, zone: zone) }
                let ranking = MonthlyReport.ranking(period, now: now, inputs, county: context.county)
                if format == "csv" {
                    func number(_ v: Double?) -> String { v.map { String($0) } ?? "" }
                    return CSV.response(
                        header: ["period", "rank", "unit", "name", "composite", "assignments", "response_rate", "on_time_rate", "resolution_rate",
                                 "satisfaction_rate", "overdue_backlog"],
                        rows: ranking.map { r in
                            [text, String(r.rank), r.unit, r.name, number(r.rates.composite), String(r.rates.assignments), number(r.rates.responseRate),
                             number(r.rates.onTimeRate), number(r.rates.resolutionRate), number(r.rates.satisfactionRate), String(r.rates.overdueBacklog)]
                        }, filename: "ranking-\(text).csv")
                }
                return try .json(JSONValue.object([
                    "period": .string(text), "definition_version": .string(KPICalculator.definitionVersion),
                    "ranking": try JSONValueEncoder.encode(ranking),
                ]))
            },
        ]
    }
}
