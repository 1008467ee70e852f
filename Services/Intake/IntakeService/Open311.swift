import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// Open311 GeoReport v2 (IN-7) on intake's own data, under `/open311`.
///
/// Every resource comes as `.json` or `.xml`. Errors use the spec's own format
/// (`[{"code":…,"description":…}]` / `<errors><error>…`) and status codes 400/403/404.
/// Creating a request needs a channel's `api_key`. Reads are public, so they carry only
/// what a citizen may see of any ticket: status, category, agency, dates, region code and
/// the published reply — never the content, address or coordinates (personal data).
struct Open311: Sendable {
    let intake: IntakeService
    let context: ServiceContext

    enum Format: String {
        case json, xml
    }

    /// Splits `name.json` / `name.xml`.
    static func split(_ file: String) -> (String, Format)? {
        guard let dot = file.lastIndex(of: "."), let format = Format(rawValue: String(file[file.index(after: dot)...])) else {
            return nil
        }
        return (String(file[..<dot]), format)
    }

    func routes() -> [Route] {
        var routes: [Route] = []
        for format in [Format.json, .xml] {
            let ext = format.rawValue
            routes.append(Route("GET", "/open311/discovery.\(ext)", roles: nil) { _ in respond(format) { discovery() } })
            routes.append(Route("GET", "/open311/v2/services.\(ext)", roles: nil) { _ in respond(format) { services() } })
            routes.append(Route("GET", "/open311/v2/requests.\(ext)", roles: nil) { request in
                await respondAsync(format) { try await query(request) }
            })
            routes.append(Route("POST", "/open311/v2/requests.\(ext)", roles: nil, maxBody: 64 * 1024) { request in
                await respondAsync(format, status: 201) { try await create(request) }
            })
        }
        routes.append(fileRoute("/open311/v2/services/{file}") { try definition($0) })
        routes.append(fileRoute("/open311/v2/requests/{file}") { try await single($0) })
        routes.append(fileRoute("/open311/v2/tokens/{file}") { try await token($0) })
        return routes
    }

    /// A resource named `{name}.json` or `{name}.xml`.
    private func fileRoute(_ pattern: String, _ handler: @escaping @Sendable (String) async throws -> Node) -> Route {
        Route("GET", pattern, roles: nil) { request in
            guard let (name, format) = Self.split(request.parameter("file")) else {
                return Self.error(.json, 404, "add .json or .xml to the resource")
            }
            return await respondAsync(format) { try await handler(name) }
        }
    }

    // MARK: Resources

    private func discovery() -> Node {
        .object("discovery", [
            ("changeset", .text("2026-11-22T00:00:00+08:00")),
            ("contact", .text("\(context.county.county.name) 12345 热线中心")),
            ("key_service", .text("Ask the hotline centre for a channel API key.")),
            ("endpoints", .list("endpoints", "endpoint", [
                .object("endpoint", [
                    ("specification", .text("http://wiki.open311.org/GeoReport_v2")),
                    ("url", .text("/open311/v2")),
                    ("changeset", .text("2026-11-22T00:00:00+08:00")),
                    ("type", .text("production")),
                    ("formats", .list("formats", "format", [.text("application/json"), .text("text/xml")])),
                ])
            ])),
        ])
    }

    private func services() -> Node {
        .list("services", "service", context.county.categories.map { c in
            .object("service", [
                ("service_code", .text(c.id)), ("service_name", .text(c.name)),
                ("description", .text("\(c.name)（\(c.domain)）")), ("metadata", .bool(true)), ("type", .text("realtime")),
                ("keywords", .text(c.id.replacingOccurrences(of: ".", with: ","))), ("group", .text(c.domain)),
            ])
        })
    }

    private func definition(_ code: String) throws -> Node {
        guard context.county.category(code) != nil else { throw Problem.notFound("no service \(code)") }
        func values(_ pairs: [(String, String)]) -> Node {
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

    private func attribute(_ code: String, _ description: String, datatype: String, required: Bool, order: Int, values: Node?) -> Node {
        var fields: [(String, Node)] = [
            ("variable", .bool(true)), ("code", .text(code)), ("datatype", .text(datatype)), ("required", .bool(required)),
            ("datatype_description", .text("")), ("order", .int(order)), ("description", .text(description)),
        ]
        if let values { fields.append(("values", values)) }
        return .object("attribute", fields)
    }

    private func create(_ request: HTTPRequest) async throws -> Node {
        let contentType = request.header("content-type")?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw Problem.badRequest("send the request form-encoded (application/x-www-form-urlencoded)")
        }
        guard let text = String(validating: request.body, as: UTF8.self) else { throw Problem.badRequest("the body is not UTF-8") }
        var form: [String: String] = [:]
        for (k, v) in FormEncoding.decode(text) { form[k] = v }
        for (k, v) in request.query where form[k] == nil { form[k] = v.first }
        guard let key = form["api_key"], let channel = context.authenticator.authenticate(token: key)?.channel else {
            throw Problem(status: 403, detail: "api_key is missing or not a channel key")
        }
        var errors: [String] = []
        let code = form["service_code"] ?? ""
        if code.isEmpty { errors.append("service_code is required") }
        let lat = form["lat"].flatMap(Double.init), long = form["long"].flatMap(Double.init)
        if (form["lat"] != nil && lat == nil) || (form["long"] != nil && long == nil) { errors.append("lat and long must be numbers") }
        if lat == nil && form["address_string"] == nil && form["address_id"] == nil {
            errors.append("a location is required: lat and long, address_string or address_id")
        }
        guard errors.isEmpty else { throw Problem.badRequest(errors.joined(separator: "; ")) }
        let name = [form["last_name"], form["first_name"]].compactMap { $0 }.joined()
        let phone = form["phone"].flatMap { $0.isEmpty ? nil : $0 }
        let submission = TicketSubmission(
            channelRef: form["attribute[channel_ref]"] ?? "o311-" + String(SHA256.hex(text).prefix(24)),
            kind: form["attribute[kind]"] ?? "complaint", domain: nil, category: code, urgency: form["attribute[urgency]"],
            content: form["description"] ?? "",
            caller: .init(name: name.isEmpty ? nil : name, phone: phone, anonymous: phone == nil),
            location: .init(address: form["address_string"], region: form["address_id"], latitude: lat, longitude: long),
            enterprise: form["attribute[enterprise]"].map { $0 == "true" }, attachments: form["media_url"].map { [$0] }, tags: nil)
        let view = try await intake.accept(submission, channel: channel, context: context)
        return .list("service_requests", "request", [
            .object("request", [("service_request_id", .text(view.ticket.id)), ("service_notice", .text("")), ("account_id", .null)])
        ])
    }

    private func query(_ request: HTTPRequest) async throws -> Node {
        var sql = "SELECT * FROM tickets WHERE 1 = 1"
        var params: [SQLValue] = []
        if let ids = request.queryValue("service_request_id"), !ids.isEmpty {
            let list = ids.split(separator: ",").map { $0.trimmingWhitespace() }.prefix(100)
            sql += " AND id IN (" + list.map { _ in "?" }.joined(separator: ", ") + ")"
            params += list.map { .text($0) }
        } else {
            let now = context.clock.now()
            let end = try request.queryValue("end_date").map { try Self.date($0, "end_date") } ?? now
            let start = try request.queryValue("start_date").map { try Self.date($0, "start_date") } ?? end.addingTimeInterval(-90 * 86_400)
            guard start <= end, end.timeIntervalSince(start) <= 90 * 86_400 else {
                throw Problem.badRequest("start_date must precede end_date by at most 90 days")
            }
            sql += " AND received_at >= ? AND received_at <= ?"
            params += [.text(Timestamp.format(start)), .text(Timestamp.format(end))]
            if let codes = request.queryValue("service_code"), !codes.isEmpty {
                let list = codes.split(separator: ",").map(String.init).prefix(100)
                sql += " AND category IN (" + list.map { _ in "?" }.joined(separator: ", ") + ")"
                params += list.map { .text($0) }
            }
            if let status = request.queryValue("status"), !status.isEmpty {
                let wanted = Set(status.split(separator: ",").map(String.init))
                guard wanted.isSubset(of: ["open", "closed"]) else { throw Problem.badRequest("status is open, closed or both") }
                if wanted == ["open"] { sql += " AND status <> 'closed'" }
                if wanted == ["closed"] { sql += " AND status = 'closed'" }
            }
        }
        let query = sql + " ORDER BY received_at DESC LIMIT 1000"
        let bound = params
        let rows = try await context.read { tx in try tx.query(query, bound) }
        return .list("service_requests", "request", rows.map(requestNode))
    }

    private func single(_ id: String) async throws -> Node {
        guard let row = try await context.read({ tx in try tx.queryOne("SELECT * FROM tickets WHERE id = ?", [.text(id)]) }) else {
            throw Problem.notFound("no service request \(id)")
        }
        return .list("service_requests", "request", [requestNode(row)])
    }

    /// Requests are created synchronously, so a token is the request id itself.
    private func token(_ token: String) async throws -> Node {
        guard try await context.read({ tx in try tx.queryOne("SELECT id FROM tickets WHERE id = ?", [.text(token)]) }) != nil else {
            throw Problem.notFound("no request for token \(token)")
        }
        return .list("service_requests", "request", [
            .object("request", [("service_request_id", .text(token)), ("token", .text(token))])
        ])
    }

    private func requestNode(_ r: Row) -> Node {
        let category = r.string("category") ?? ""
        let lead = r.string("lead_unit")
        return .object("request", [
            ("service_request_id", .text(r.string("id") ?? "")),
            ("status", .text(r.string("status") == "closed" ? "closed" : "open")),
            ("status_notes", r.string("reply").map(Node.text) ?? .null),
            ("service_name", .text(context.county.category(category)?.name ?? category)),
            ("service_code", .text(category)),
            ("agency_responsible", lead.map { .text(context.county.unit($0)?.name ?? $0) } ?? .null),
            ("service_notice", .text("")),
            ("requested_datetime", .text(localTime(r.string("received_at")))),
            ("updated_datetime", .text(localTime(r.string("updated_at")))),
            ("expected_datetime", r.string("reply_due").map { .text(localTime($0)) } ?? .null),
            ("address_id", r.string("region").map(Node.text) ?? .null),
        ])
    }

    /// ISO 8601 with the county's offset, as the spec's examples show.
    private func localTime(_ utc: String?) -> String {
        guard let utc, let date = Timestamp.parse(utc) else { return "" }
        let offset = context.zone.secondsFromGMT(for: date)
        let shifted = Timestamp.format(date.addingTimeInterval(Double(offset)))
        let sign = offset >= 0 ? "+" : "-"
        return String(shifted.prefix(19)) + String(format: "%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    static func date(_ text: String, _ name: String) throws -> Date {
        guard let d = Timestamp.parse(text) else { throw Problem.badRequest("\(name) must be a w3c date-time with a zone") }
        return d
    }

    // MARK: Rendering

    private func respond(_ format: Format, status: Int = 200, _ body: () throws -> Node) -> HTTPResponse {
        do { return Self.render(try body(), format, status: status) } catch { return Self.failure(error, format) }
    }

    private func respondAsync(_ format: Format, status: Int = 200, _ body: () async throws -> Node) async -> HTTPResponse {
        do { return Self.render(try await body(), format, status: status) } catch { return Self.failure(error, format) }
    }

    static func failure(_ error: any Error, _ format: Format) -> HTTPResponse {
        guard let p = error as? Problem else { return Self.error(format, 500, "internal error") }
        // The spec knows 400, 403 and 404; validation failures are 400 there.
        let status = [403, 404].contains(p.status) ? p.status : (p.status == 401 ? 403 : p.status == 429 ? 429 : p.status >= 500 ? p.status : 400)
        var detail = p.detail ?? p.title
        if let fields = p.errors, !fields.isEmpty { detail = fields.map { "\($0.field) \($0.message)" }.joined(separator: "; ") }
        var r = Self.error(format, status, detail)
        for (k, v) in p.headers { r.headers.append((k, v)) }
        return r
    }

    static func error(_ format: Format, _ status: Int, _ description: String) -> HTTPResponse {
        render(.list("errors", "error", [.object("error", [("code", .int(status)), ("description", .text(description))])]), format, status: status)
    }

    static func render(_ node: Node, _ format: Format, status: Int) -> HTTPResponse {
        switch format {
        case .json:
            return HTTPResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: Array(node.json().utf8))
        case .xml:
            return HTTPResponse(status: status, headers: [("Content-Type", "text/xml; charset=utf-8")],
                                body: Array(("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + node.xml()).utf8))
        }
    }

    /// One tree, two renderings: JSON (lists are arrays) and XML (lists wrap their items).
    indirect enum Node: Sendable {
        case text(String)
        case int(Int)
        case bool(Bool)
        case null
        case object(String, [(String, Node)])
        case list(String, String, [Node])

        func json() -> String {
            switch self {
            case .text(let s): return Self.quote(s)
            case .int(let i): return String(i)
            case .bool(let b): return b ? "true" : "false"
            case .null: return "null"
            case .object(_, let fields): return "{" + fields.map { Self.quote($0.0) + ":" + $0.1.json() }.joined(separator: ",") + "}"
            case .list(_, _, let items): return "[" + items.map { $0.json() }.joined(separator: ",") + "]"
            }
        }

        func xml(_ name: String? = nil) -> String {
            switch self {
            case .text(let s): return Self.element(name, Self.escape(s))
            case .int(let i): return Self.element(name, String(i))
            case .bool(let b): return Self.element(name, b ? "true" : "false")
            case .null: return name.map { "<\($0)/>" } ?? ""
            case .object(let tag, let fields):
                return Self.element(name ?? tag, fields.map { $0.1.xml($0.0) }.joined())
            case .list(let tag, let item, let items):
                return Self.element(name ?? tag, items.map { $0.xml(item) }.joined())
            }
        }

        private static func element(_ name: String?, _ inner: String) -> String {
            guard let name else { return inner }
            return "<\(name)>\(inner)</\(name)>"
        }

        static func escape(_ s: String) -> String {
            var out = ""
            for ch in s.unicodeScalars {
                switch ch {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&apos;"
                default:
                    // XML 1.0 forbids most control characters even escaped.
                    if ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r" { continue }
                    out.unicodeScalars.append(ch)
                }
            }
            return out
        }

        static func quote(_ s: String) -> String {
            CanonicalJSON.quoted(s)
        }
    }
}
