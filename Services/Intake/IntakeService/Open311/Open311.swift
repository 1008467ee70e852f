import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// Open311 GeoReport v2 (IN-7) on intake's own data, under `/open311`.
///
/// Every resource comes as `.json` or `.xml`. Errors use the spec's own format
/// (`[{"code":…,"description":…}]` / `<errors><error>…`) and status codes, for unknown paths
/// and methods under `/open311` too. Creating a request needs a channel's `api_key`. Reads
/// are public and open to other origins (CORS), so they carry only what a citizen may see of
/// any ticket: status, category, agency, dates, region code and the published reply — never
/// the content, address or coordinates (personal data).
struct Open311: Sendable {
    let intake: IntakeService
    let context: ServiceContext
    /// Creates without `attribute[channel_ref]` within this many seconds with the same
    /// normalised fields are the same request.
    let dedupeWindow: TimeInterval

    enum Format: String {
        case json, xml
    }

    /// The GeoReport v2 endpoint, below the service's root.
    static let endpointPath = "/open311/v2"

    /// Splits `name.json` / `name.xml`.
    static func split(_ file: String) -> (String, Format)? {
        guard let dot = file.lastIndex(of: "."), let format = Format(rawValue: String(file[file.index(after: dot)...])) else {
            return nil
        }
        return (String(file[..<dot]), format)
    }

    /// The format a URL asks for by its extension; JSON when it names none we serve.
    static func format(of path: String) -> Format {
        path.hasSuffix(".xml") ? .xml : .json
    }

    func routes() -> [Route] {
        var routes: [Route] = []
        for format in [Format.json, .xml] {
            let ext = format.rawValue
            routes.append(publicRead("/open311/discovery.\(ext)") { request in discovery(request) })
            routes.append(publicRead("/open311/v2/services.\(ext)") { _ in services() })
            routes.append(publicRead("/open311/v2/requests.\(ext)") { request in try await query(request) })
            routes.append(Route("POST", "/open311/v2/requests.\(ext)", roles: nil, maxBody: 64 * 1024, quick: true) { request in
                await respond(format, request, status: 201) { try await create(request) }
            })
        }
        routes.append(fileRoute("/open311/v2/services/{file}") { try definition($0) })
        routes.append(fileRoute("/open311/v2/requests/{file}") { try await single($0) })
        routes.append(fileRoute("/open311/v2/tokens/{file}") { try await token($0) })
        return routes
    }

    /// Unknown paths and methods under `/open311` answer in the spec's error format.
    func fallback() -> RouteFallback {
        RouteFallback(prefix: "/open311") { request, allowed in
            let format = Self.format(of: request.path)
            guard !allowed.isEmpty else { return Self.error(format, 404, "no resource \(request.path)") }
            var r = Self.error(format, 405, "use \(allowed.joined(separator: ", ")) on \(request.path)")
            r.headers.append(("Allow", allowed.joined(separator: ", ")))
            return r
        }
    }

    private func publicRead(_ path: String, _ body: @escaping @Sendable (HTTPRequest) async throws -> Open311Node) -> Route {
        let format = Self.format(of: path)
        return Route("GET", path, roles: nil) { request in Self.cors(await respond(format, request) { try await body(request) }) }
    }

    /// A resource named `{name}.json` or `{name}.xml`.
    private func fileRoute(_ pattern: String, _ handler: @escaping @Sendable (String) async throws -> Open311Node) -> Route {
        Route("GET", pattern, roles: nil) { request in
            guard let (name, format) = Self.split(request.parameter("file")) else {
                return Self.cors(Self.error(.json, 404, "add .json or .xml to the resource"))
            }
            return Self.cors(await respond(format, request) { try await handler(name) })
        }
    }

    /// Public reads may be used by a web page of any origin (a city's map of requests).
    private static func cors(_ response: HTTPResponse) -> HTTPResponse {
        var r = response
        r.headers.append(("Access-Control-Allow-Origin", "*"))
        return r
    }

    // MARK: Resources

    /// The endpoint's absolute URL, as the spec's discovery example gives it: from the
    /// request's Host (and X-Forwarded-Proto behind a proxy), else the bound address.
    private func discovery(_ request: HTTPRequest) -> Open311Node {
        let host = request.header("host").flatMap { h in
            h.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-:[]".unicodeScalars.contains($0)) }
                && !h.isEmpty ? h : nil
        } ?? "\(context.settings.httpHost):\(context.settings.httpPort)"
        let scheme = request.header("x-forwarded-proto")?.lowercased() == "https" ? "https" : "http"
        return .object("discovery", [
            ("changeset", .text("2026-11-23T00:00:00+08:00")),
            ("contact", .text("\(context.county.county.name) 12345 热线中心")),
            ("key_service", .text("Ask the hotline centre for a channel API key.")),
            ("endpoints", .list("endpoints", "endpoint", [
                .object("endpoint", [
                    ("specification", .text("http://wiki.open311.org/GeoReport_v2")),
                    ("url", .text("\(scheme)://\(host)\(Self.endpointPath)")),
                    ("changeset", .text("2026-11-23T00:00:00+08:00")),
                    ("type", .text("production")),
                    ("formats", .list("formats", "format", [.text("application/json"), .text("text/xml")])),
                ])
            ])),
        ])
    }

    private func services() -> Open311Node {
        .list("services", "service", context.county.categories.map { c in
            .object("service", [
                ("service_code", .text(c.id)), ("service_name", .text(c.name)),
                ("description", .text("\(c.name)（\(c.domain)）")), ("metadata", .bool(true)), ("type", .text("realtime")),
                ("keywords", .text(c.id.replacing(".", with: ","))), ("group", .text(c.domain)),
            ])
        })
    }

    private func definition(_ code: String) throws -> Open311Node {
        guard context.county.category(code) != nil else { throw Problem.notFound("no service \(code)") }
        func values(_ pairs: [(String, String)]) -> Open311Node {
            .list("values", "value", pairs.map { .object("value", [("key", .text($0.0)), ("name", .text($0.1))]) })
        }
        let kinds = [("consultation", "咨询"), ("help", "求助"), ("complaint", "投诉"), ("report", "举报"), ("suggestion", "建议"), ("praise", "表扬")]
        return .object("service_definition", [
            ("service_code", .text(code)),
            ("attributes", .list("attributes", "attribute", [
                attribute("kind", "诉求类型 (default complaint)", datatype: "singlevaluelist", required: false, order: 1, values: values(kinds)),
                attribute("urgency", "紧急程度 (default normal)", datatype: "singlevaluelist", required: false, order: 2,
                          values: values([("normal", "一般"), ("urgent", "紧急"), ("emergency", "特急")])),
                attribute("enterprise", "企业诉求", datatype: "singlevaluelist", required: false, order: 3,
                          values: values([("false", "否"), ("true", "是")])),
                attribute("channel_ref", "the caller's own reference; a retry with it returns the same request", datatype: "string",
                          required: false, order: 4, values: nil),
            ])),
        ])
    }

    private func attribute(_ code: String, _ description: String, datatype: String, required: Bool, order: Int,
                           values: Open311Node?) -> Open311Node {
        var fields: [(String, Open311Node)] = [
            ("variable", .bool(true)), ("code", .text(code)), ("datatype", .text(datatype)), ("required", .bool(required)),
            ("datatype_description", .text("")), ("order", .int(order)), ("description", .text(description)),
        ]
        if let values { fields.append(("values", values)) }
        return .object("attribute", fields)
    }

    private func create(_ request: HTTPRequest) async throws -> Open311Node {
        let contentType = request.header("content-type")?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw Problem.badRequest("send the request form-encoded (application/x-www-form-urlencoded)")
        }
        guard let text = String(validating: request.body, as: UTF8.self) else { throw Problem.badRequest("the body is not UTF-8") }
        var pairs = FormEncoding.decode(text)
        for (k, v) in request.query { pairs += v.map { (k, $0) } }
        let form = Open311Form(pairs)
        guard let key = form["api_key"], let channel = context.authenticator.authenticate(token: key)?.channel else {
            throw Problem(status: 403, detail: "api_key is missing or not a channel key")
        }
        let submission: TicketSubmission
        switch form.submission(county: context.county) {
        case .success(let s): submission = s
        case .failure(let problem): throw problem
        }
        let idempotency: IntakeService.Idempotency = form.clientReference == nil ? .sameContent(within: dedupeWindow) : .channelRef
        let view: IntakeService.Accepted
        do {
            view = try await intake.accept(submission, channel: channel, context: context, idempotency: idempotency)
        } catch let problem as Problem {
            throw Open311Form.renamed(problem)
        }
        return .list("service_requests", "request", [
            .object("request", [("service_request_id", .text(view.ticket.id)), ("service_notice", .text("")), ("account_id", .null)])
        ])
    }

    private func query(_ request: HTTPRequest) async throws -> Open311Node {
        // Every parameter is checked, also those a list of ids makes the query ignore.
        let window: Open311Window
        do {
            window = try Open311Window.resolve(start: request.queryValue("start_date"), end: request.queryValue("end_date"),
                                               now: context.clock.now(), zone: context.zone)
        } catch .notADate(let name) {
            throw Problem.badRequest("\(name) must be a W3C date or date-time, e.g. 2026-11-23 or 2026-11-23T09:00:00+08:00")
        }
        let statuses = Set(request.queryValue("status").map { Self.list($0).map { $0.lowercased() } } ?? [])
        guard statuses.isSubset(of: ["open", "closed"]) else { throw Problem.badRequest("status is open, closed or both") }
        var sql = "SELECT * FROM tickets WHERE 1 = 1"
        var params: [SQLValue] = []
        if let ids = request.queryValue("service_request_id") {
            let list = Self.list(ids).prefix(100)
            sql += " AND id IN (" + list.map { _ in "?" }.joined(separator: ", ") + ")"
            params += list.map { .text($0) }
        } else {
            sql += " AND received_at >= ? AND received_at < ?"
            params += [.text(Timestamp.format(window.from)), .text(Timestamp.format(window.to))]
            if let codes = request.queryValue("service_code") {
                let list = Self.list(codes).prefix(100)
                sql += " AND category IN (" + list.map { _ in "?" }.joined(separator: ", ") + ")"
                params += list.map { .text($0) }
            }
            if statuses == ["open"] { sql += " AND status <> 'closed'" }
            if statuses == ["closed"] { sql += " AND status = 'closed'" }
        }
        let query = sql + " ORDER BY received_at DESC LIMIT 1000"
        let bound = params
        let rows = try await context.read { tx in try tx.query(query, bound) }
        return .list("service_requests", "request", rows.map(requestNode))
    }

    /// A comma-separated parameter: items without surrounding spaces and tabs, empty ones
    /// dropped (`a, b` and `a,,b` are `a` and `b`).
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmed { $0 == " " || $0 == "\t" } }.filter { !$0.isEmpty }
    }

    private func single(_ id: String) async throws -> Open311Node {
        guard let row = try await context.read({ tx in try tx.queryOne("SELECT * FROM tickets WHERE id = ?", [.text(id)]) }) else {
            throw Problem.notFound("no service request \(id)")
        }
        return .list("service_requests", "request", [requestNode(row)])
    }

    /// Requests are created synchronously, so a token is the request id itself.
    private func token(_ token: String) async throws -> Open311Node {
        guard try await context.read({ tx in try tx.queryOne("SELECT id FROM tickets WHERE id = ?", [.text(token)]) }) != nil else {
            throw Problem.notFound("no request for token \(token)")
        }
        return .list("service_requests", "request", [
            .object("request", [("service_request_id", .text(token)), ("token", .text(token))])
        ])
    }

    private func requestNode(_ r: Row) -> Open311Node {
        let category = r.string("category") ?? ""
        let lead = r.string("lead_unit")
        return .object("request", [
            ("service_request_id", .text(r.string("id") ?? "")),
            ("status", .text(r.string("status") == "closed" ? "closed" : "open")),
            ("status_notes", r.string("reply").map(Open311Node.text) ?? .null),
            ("service_name", .text(context.county.category(category)?.name ?? category)),
            ("service_code", .text(category)),
            ("agency_responsible", lead.map { .text(context.county.unit($0)?.name ?? $0) } ?? .null),
            ("service_notice", .text("")),
            ("requested_datetime", .text(localTime(r.string("received_at")))),
            ("updated_datetime", .text(localTime(r.string("updated_at")))),
            ("expected_datetime", r.string("reply_due").map { .text(localTime($0)) } ?? .null),
            ("address_id", r.string("region").map(Open311Node.text) ?? .null),
        ])
    }

    /// ISO 8601 with the county's offset, as the spec's examples show.
    private func localTime(_ utc: String?) -> String {
        guard let utc, let date = Timestamp.parse(utc) else { return "" }
        let offset = context.zone.secondsFromGMT(for: date)
        let shifted = Timestamp.format(date.addingTimeInterval(Double(offset)))
        let sign = offset >= 0 ? "+" : "-"
        return String(shifted.prefix(19)) + sign + String(cFormat: "%02d:%02d", abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    // MARK: Rendering

    private func respond(_ format: Format, _ request: HTTPRequest, status: Int = 200, _ body: () async throws -> Open311Node) async
        -> HTTPResponse
    {
        do {
            if let problem = request.controlCharacterProblem { throw problem }
            return Self.render(try await body(), format, status: status)
        } catch {
            return Self.failure(error, format)
        }
    }

    /// A problem in the spec's format: one error per rejected field. The spec knows 400, 403
    /// and 404; validation failures are 400 there, and a missing key is 403.
    static func failure(_ error: any Error, _ format: Format) -> HTTPResponse {
        if let failure = error as? any TransientFailure, failure.isTransient {
            var r = Self.error(format, 503, "temporarily unable to store or read data; retry later")
            r.headers.append(("Retry-After", "5"))
            return r
        }
        guard let p = error as? Problem else { return Self.error(format, 500, "internal error") }
        let status = [403, 404, 409, 429].contains(p.status) ? p.status : (p.status == 401 ? 403 : p.status >= 500 ? p.status : 400)
        var entries: [(Int, String)] = [(status, p.detail ?? p.title)]
        if let fields = p.errors, !fields.isEmpty { entries = fields.map { (status, "\($0.field) \($0.message)") } }
        var r = errors(format, status, entries)
        for (k, v) in p.headers { r.headers.append((k, v)) }
        return r
    }

    static func error(_ format: Format, _ status: Int, _ description: String) -> HTTPResponse {
        errors(format, status, [(status, description)])
    }

    static func errors(_ format: Format, _ status: Int, _ entries: [(Int, String)]) -> HTTPResponse {
        let list = Open311Node.list("errors", "error", entries.map {
            .object("error", [("code", .int($0.0)), ("description", .text($0.1))])
        })
        return render(list, format, status: status)
    }

    static func render(_ node: Open311Node, _ format: Format, status: Int) -> HTTPResponse {
        switch format {
        case .json:
            return HTTPResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: Array(node.json().utf8))
        case .xml:
            return HTTPResponse(status: status, headers: [("Content-Type", "text/xml; charset=utf-8")],
                                body: Array(("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + node.xml()).utf8))
        }
    }
}
