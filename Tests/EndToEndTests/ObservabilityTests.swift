import Foundation
import HotlineCore
import TestSupport
import Testing

/// What monitoring reads (issue 11): every service's /metrics passes `promtool check metrics`
/// (Prometheus's own parser and linter), and every line the services log is one JSON object
/// with the fields log shippers index.
@Suite(.serialized) struct ObservabilityTests {
    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: promtool != nil, "promtool (Debian's prometheus package; setup.sh installs it)"))
    func metricsPassPromtoolAndLogsAreJSON() async throws {
        let suite = try await RunningSuite.start(engine: .sqlite, logLevel: "info")
        defer { suite.stop() }
        // Some traffic, so that labelled series (routes, statuses, streams) exist.
        let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
            #"{"channel_ref":"obs-1","kind":"complaint","category":"city.sanitation","content":"清运","caller":{"name":"王先生","phone":"13912345678"},"location":{"region":"330901003002004"}}"#)
        #expect(created.status == 201)
        _ = try await suite.call("intake", "GET", "/v1/tickets/nope", token: "demo-centre-token")
        try await waitUntil(timeout: 20) {
            try await suite.call("kpi", "GET", "/metrics", token: "").text.contains(#"hotline_events_applied_total{stream="intake"}"#)
        }
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        for service in ["intake", "dispatch", "supervision", "survey", "kpi"] {
            let metrics = try await suite.call(service, "GET", "/metrics", token: "")
            #expect(metrics.status == 200)
            #expect(metrics.text.contains("# TYPE hotline_http_requests_total counter"))
            let file = dir.path + "/\(service).prom"
            try Data(metrics.body).write(to: URL(fileURLWithPath: file))
            // promtool reads the exposition from stdin; a shell feeds it the file.
            let checked = try await runProgramAsync("/bin/sh", ["-c", "\(Self.promtool!) check metrics < '\(file)'"])
            #expect(checked.status == 0 && checked.output.isEmpty, "\(service): \(checked.output)")
        }

        let log = suite.logText()
        var records = 0
        for line in log.split(separator: "\n") {
            // `hotline run` itself tells the terminal each service's URL and when all are ready;
            // every other line is a JSON record.
            if line.wholeMatch(of: /(intake|dispatch|supervision|survey|kpi) +http:\/\/127\.0\.0\.1:\d+/) != nil
                || line.hasPrefix("hotline: all services ready") { continue }
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not one JSON object: \(line.prefix(200))")
            guard let object else { continue }
            for field in ["time", "level", "service", "message"] {
                #expect(object[field] is String, "no \(field): \(line.prefix(200))")
            }
            #expect(Timestamp.parse(object["time"] as? String ?? "") != nil)
            records += 1
        }
        #expect(records >= 20, "the services logged at info level: \(records) records")
        let services = Set(log.split(separator: "\n").compactMap { line -> String? in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["service"] as? String
        })
        #expect(services.isSuperset(of: ["intake", "dispatch", "supervision", "survey", "kpi"]), "\(services)")
    }
}
