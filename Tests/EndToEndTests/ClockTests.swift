import Foundation
import HotlineCore
import TestSupport
import Testing

/// A clock move that has happened (issue 15): `hotline clock set/advance` returns only once
/// every service has applied the new time, so the next request carries it; `/readyz` shows
/// each service's clock; a restarted service takes the suite's time before it serves.
@Suite(.serialized) struct ClockTests {
    @Test(arguments: TestEngine.available)
    func aMoveIsAppliedEverywhereBeforeItReturns(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine, manualClock: true)
        defer { suite.stop() }
        let services = ["intake", "dispatch", "supervision", "survey", "kpi"]
        var now = try #require(Timestamp.parse("2026-11-23T09:00:00+08:00"))
        let set = try await suite.hotline(["clock", "set", Timestamp.format(now)])
        #expect(set.status == 0 && set.output.contains("applied by dispatch, intake, kpi, supervision, survey"), "\(set.output)")
        for round in 0..<8 {
            if round > 0 {
                #expect(try await suite.hotline(["clock", "advance", "37m"]).status == 0)
                now = now.addingTimeInterval(37 * 60)
            }
            // Straight after the move: the ticket is stamped with the new time, not the old.
            let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
                #"{"channel_ref":"clock-\#(round)","kind":"consultation","category":"city.sanitation","content":"几点了 \#(round)","caller":{"phone":"1391234\#(String(format: "%04d", round))"},"location":{"region":"330901003002004"}}"#)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.object["received_at"] as? String == Timestamp.format(now), "round \(round): \(created.text)")
            for service in services {
                let ready = try await suite.call(service, "GET", "/readyz", token: "")
                #expect(ready.object["clock"] as? String == Timestamp.format(now) && ready.object["clock_mode"] as? String == "manual",
                        "\(service): \(ready.text)")
            }
        }

        // A service killed and restarted takes the suite's time from the bus before it serves.
        try await suite.kill("dispatch")
        let moved = try await suite.hotline(["clock", "advance", "1h"])
        #expect(moved.status == 0 || moved.status == 3, "\(moved.output)")
        now = now.addingTimeInterval(3600)
        try await waitUntil(timeout: 30) {
            let ready = try? await suite.call("dispatch", "GET", "/readyz", token: "")
            return ready?.status == 200
        }
        let ready = try await suite.call("dispatch", "GET", "/readyz", token: "")
        #expect(ready.object["clock"] as? String == Timestamp.format(now), "\(ready.text)")
        let again = try await suite.hotline(["clock", "advance", "1m"])
        #expect(again.status == 0 && again.output.contains("dispatch"), "\(again.output)")
    }
}
