import DispatchService
import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import IntakeService
import KPIService
import SupervisionService
import SurveyService
import TestSupport
import Testing

/// Every route a service serves is in its OpenAPI document, and the document describes
/// nothing the service does not serve.
@Suite struct OpenAPICoverageTests {
    static let services: [String] = ["intake", "dispatch", "supervision", "survey", "kpi"]

    static func logic(_ name: String) -> any ServiceLogic {
        switch name {
        case "intake": return IntakeService(phoneKey: "k")
        case "dispatch": return DispatchService()
        case "supervision": return SupervisionService()
        case "survey": return SurveyService()
        default: return KPIService()
        }
    }

    @Test(arguments: services)
    func documentMatchesTheRoutes(service: String) async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = [ServiceSettings.portVariable(service): "0", "HOTLINE_RUN_DIR": dir.path, "HOTLINE_DATABASE_URL": "sqlite:" + dir.path + "/data"]
        let county = try CountyConfig.load(directory: SampleCounty.directory)
        let running = try await RunningService.start(
            Self.logic(service), settings: try ServiceSettings.fromEnvironment(service: service, EnvironmentReader(env)), county: county,
            calendar: try WorkingCalendar(county.calendar), clock: SystemClock(), logger: quietLogger(service))
        let served = try await HTTPClient(port: running.port).request("GET", "/openapi.json")
        #expect(served.status == 200)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(served.body)) as? [String: Any])
        #expect(doc["openapi"] as? String == "3.1.0")
        var documented = Set<String>()
        for (path, operations) in doc["paths"] as? [String: [String: Any]] ?? [:] {
            for method in operations.keys { documented.insert(method.uppercased() + " " + path) }
        }
        let routed = Set(running.http.router.routes.map { $0.method + " " + $0.pattern })
        #expect(routed.subtracting(documented).isEmpty, "\(service): routes missing from openapi.json: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "\(service): documented but not served: \(documented.subtracting(routed).sorted())")
        // Each operation names the token its route takes, so a generator (and schemathesis)
        // sends the right one.
        let paths = doc["paths"] as? [String: [String: Any]] ?? [:]
        for route in running.http.router.routes {
            let operation = paths[route.pattern]?[route.method.lowercased()] as? [String: Any]
            let security = (operation?["security"] as? [[String: Any]] ?? []).flatMap(\.keys)
            let expected: [String]
            if let roles = route.roles {
                expected = roles.map { Self.scheme[$0]! }
            } else {
                expected = route.method == "POST" && route.pattern.hasPrefix("/open311/") ? ["open311ApiKey"] : []
            }
            #expect(Set(security) == Set(expected), "\(service): \(route.method) \(route.pattern) documents \(security), takes \(expected)")
        }
        // The county's value sets are filled in where the file marks them.
        let servedText = String(decoding: served.body, as: UTF8.self)
        #expect(!servedText.contains("\"x-hotline-values\":\"") || servedText.contains("\"enum\":["))
        if service == "intake" {
            #expect(servedText.contains("\"city.sanitation\"") && servedText.contains("\"330901003002004\""), "categories and regions enumerated")
        }
        running.requestStop()
        await running.waitUntilStopped()
    }

    static let scheme: [Principal.Role: String] = [
        .channel: "channelKey", .centre: "centreToken", .unit: "unitToken", .callbackAgent: "agentToken",
        .auditor: "auditorToken", .admin: "adminToken",
    ]
}
