import Foundation
import HotlineHTTP
import TestSupport
import Testing

/// The directory over HTTP (DI-1): units by tier, one unit with its communities, and who
/// answers for a place.
@Suite(.serialized) struct DirectoryRoutesTests {
    private func json(_ r: HTTPClient.Response) -> Any? { try? JSONSerialization.jsonObject(with: Data(r.body)) }

    @Test(arguments: TestEngine.available)
    func directoryAnswersWhoIsResponsible(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let communities = try await suite.call("dispatch", "GET", "/v1/units?tier=1&parent=xicheng", token: "demo-unit-xicheng-token")
        let list = json(communities) as? [[String: Any]] ?? []
        #expect(communities.status == 200 && list.count == 5)
        #expect(list.allSatisfy { ($0["roles"] as? [String: Any])?["handler"] is String })

        let street = try await suite.call("dispatch", "GET", "/v1/units/xicheng", token: "demo-auditor-token")
        let detail = json(street) as? [String: Any] ?? [:]
        #expect(detail["tier"] as? Int == 2 && (detail["children"] as? [String])?.count == 5)
        #expect(detail["regions"] as? [String] == ["330901003"])
        #expect(try await suite.call("dispatch", "GET", "/v1/units/nobody", token: "demo-centre-token").status == 404)

        let place = try await suite.call("dispatch", "GET", "/v1/regions/330901003003002?category=housing.property_mgmt", token: "demo-centre-token")
        let region = json(place) as? [String: Any] ?? [:]
        let answering = region["answering"] as? [[String: Any]] ?? []
        #expect(answering.map { $0["unit"] as? String } == ["xicheng_c3", "xicheng", "housing", "county_taskforce"])
        #expect((region["chain"] as? [[String: Any]])?.map { $0["level"] as? String } == ["grid", "community", "street", "county"])
        let bad = try await suite.call("dispatch", "GET", "/v1/regions/330901003?category=nonsense", token: "demo-centre-token")
        #expect(bad.status == 422)
        #expect(try await suite.call("dispatch", "GET", "/v1/units?tier=9", token: "demo-centre-token").status == 422)
        #expect(try await suite.call("dispatch", "GET", "/v1/units", token: "demo-agent-token").status == 403)
    }
}
