import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime

/// `GET /dashboard` (KP-6) for people: with a staff token (auditor, centre, admin) in the
/// Authorization header, or through a link a staff member made for a browser or a wall
/// screen (`POST /v1/dashboard-links`): signed for one period, valid 12 hours on the service
/// clock and until the service restarts (the key lives in memory only). Links never reach a
/// log: requests are logged by route, not by URL.
enum DashboardRoutes {
    static let linkLifetime: TimeInterval = 12 * 3600
    static let readers: Set<Principal.Role> = [.auditor, .centre, .admin]

    /// A link's signature over the period and expiry.
    static func sign(period: String, expires: Int64, key: [UInt8]) -> String {
        Hex.encode(HMACSHA256.authenticate(Array("dashboard\n\(period)\n\(expires)".utf8), key: key))
    }

    /// Whether `link` (`EXPIRES.SIGNATURE`) opens the dashboard of `period` at `now`.
    static func valid(_ link: String, period: String, now: Date, key: [UInt8]) -> Bool {
        let parts = link.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let expires = Int64(parts[0]), Double(expires) > now.timeIntervalSince1970 else { return false }
        return ConstantTime.equal(Array(parts[1].utf8), Array(sign(period: period, expires: expires, key: key).utf8))
    }

    /// The period asked for (a month by default: the service clock's), checked as `/v1/kpi` checks it.
    static func period(_ request: HTTPRequest, _ context: ServiceContext) throws -> (String, KPICalculator.Period) {
        if request.queryValue("period") != nil { return try KPIService.period(request, context) }
        let today = CivilDate.fromDays(LocalDate.day(of: context.clock.now(), in: context.zone))
        let label = MonthlyReport.label(year: today.year, month: today.month)
        return (label, KPICalculator.period(label, zone: context.zone)!)
    }

    static func routes(_ context: ServiceContext, key: [UInt8]) -> [Route] {
        [
            Route("POST", "/v1/dashboard-links", roles: readers) { request in
                let (label, _) = try period(request, context)
                let expires = Int64(context.clock.now().addingTimeInterval(linkLifetime).timeIntervalSince1970)
                let link = "\(expires).\(sign(period: label, expires: expires, key: key))"
                let query = "period=\(FormEncoding.encode(label))&link=\(link)"
                return try .json(JSONValue.object([
                    "url": .string("/dashboard?\(query)"), "period": .string(label),
                    "expires_at": .string(Timestamp.format(Date(timeIntervalSince1970: Double(expires)))),
                ]), status: 201)
            },
            Route("GET", "/dashboard", roles: nil) { request in
                let (label, p) = try period(request, context)
                if let link = request.queryValue("link"), (try? Regex("^[0-9]{1,20}\\.[0-9a-f]{64}$").wholeMatch(in: link)) == nil {
                    throw Problem.invalid([.init("link", "is not a dashboard link (EXPIRES.SIGNATURE)")])
                }
                let bearer = request.header("authorization").flatMap { h in
                    h.lowercased().hasPrefix("bearer ") ? context.authenticator.authenticate(token: h.dropFirst(7).trimmingWhitespace()) : nil
                }
                let now = context.clock.now()
                if let bearer {
                    guard readers.contains(bearer.role) else { throw Problem.forbidden("the dashboard is for auditors, the centre and admins") }
                } else {
                    guard let link = request.queryValue("link") else {
                        throw Problem(status: 401, detail: "a staff token, or a link from POST /v1/dashboard-links, is required")
                    }
                    guard valid(link, period: label, now: now, key: key) else {
                        throw Problem(status: 401, detail: "this dashboard link is not valid for \(label), has expired, or the service restarted since")
                    }
                }
                let page = try await model(label, p, now: now, context)
                return .text(page.render(), contentType: "text/html; charset=utf-8")
            },
        ]
    }

    /// The figures the page shows, from the same facts and functions as the JSON API.
    static func model(_ label: String, _ p: KPICalculator.Period, now: Date, _ context: ServiceContext) async throws -> DashboardPage {
        let zone = context.zone
        let months = ReportPublication.trend(ending: label, p, zone: zone)
        let (inputs, monthInputs) = try await context.read { tx in
            (try RollupFigures.inputs(tx, p, now: now, zone: zone), try months.map { m in try RollupFigures.inputs(tx, m.period, now: now, zone: zone) })
        }
        let ranking = MonthlyReport.ranking(p, now: now, inputs, county: context.county)
        let trend = zip(months, monthInputs).map { m, i in
            MonthlyReport.TrendPoint(period: m.label, rates: MonthlyReport.Rates(RollupFigures.figures(m.period, now: now, i, unit: nil)))
        }
        // The hot places of the week the period ends in (or of this week, while it runs).
        let day = LocalDate.day(of: min(now, p.to.addingTimeInterval(-1)), in: context.zone)
        let (year, week) = HotTopics.isoWeek(ofDay: day)
        let weekLabel = String(cFormat: "%04d-W%02d", year, week)
        var hot: [HotTopics.Topic] = []
        if let w = KPICalculator.period(weekLabel, zone: context.zone) {
            hot = try await HotTopics.topics(week: w, year: year, number: week, by: "street", context)
        }
        return DashboardPage(county: context.county.county.name, period: label, asOf: Timestamp.format(now),
                             definitionVersion: KPICalculator.definitionVersion,
                             total: RollupFigures.figures(p, now: now, inputs, unit: nil), ranking: ranking, trend: trend,
                             hotWeek: weekLabel, hotPlaces: Array(hot.prefix(10)))
    }
}
