import Foundation
import HotlineHTTP
import HotlineRuntime
import TestSupport
import Testing

/// Every service serves its API on a Unix socket in the run directory as well as on TCP, for
/// clients on the same host (`hotline simulate`, a reverse proxy), with the same answers.
@Suite struct LocalSocketTests {
    @Test(arguments: TestEngine.available)
    func everyServiceAnswersOnItsRunDirectorySocket(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        for service in ["intake", "dispatch", "supervision", "survey", "kpi"] {
            let socket = ServiceSettings.httpSocket(runDirectory: suite.directory.path + "/run", service: service)
            let client = HTTPClient(unixSocket: socket)
            let ready = try await client.request("GET", "/readyz")
            #expect(ready.status == 200, "\(service): \(ready.text)")
            #expect((try JSONSerialization.jsonObject(with: Data(ready.body)) as? [String: Any])?["service"] as? String == service)
            // Tokens are checked the same way on either listener.
            #expect(try await client.request("GET", "/v1/admin/dead-letters").status == 401)
            let overTCP = try await suite.call(service, "GET", "/v1/admin/dead-letters", token: "")
            #expect(overTCP.status == 401)
        }
    }
}
