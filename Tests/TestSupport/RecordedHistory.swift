import Foundation
import HotlineCore
import HotlineStorage
import HotlineStreams

extension RunningSuite {
    /// Waits until every service has applied everything its followed streams hold and the
    /// heads stopped moving (two identical readings 300 ms apart).
    public func waitUntilSettled(timeout: TimeInterval = 60) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var previous = ""
        while Date() < deadline {
            let reading = try await lagReading()
            if let reading, reading == previous { return }
            previous = reading ?? ""
            try await Task.sleep(nanoseconds: 300_000_000)
        }
        throw WaitTimeout(seconds: timeout)
    }

    /// Every follower's cursor when all lags are 0; nil while any service lags or is not ready.
    private func lagReading() async throws -> String? {
        var reading: [String] = []
        for service in ["intake", "dispatch", "supervision", "survey", "kpi"] {
            guard let r = try? await client(service).request("GET", "/readyz"), r.status == 200,
                let body = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any],
                let streams = body["streams"] as? [String: [String: Any]]
            else { return nil }
            for (stream, s) in streams.sorted(by: { $0.key < $1.key }) {
                guard (s["lag"] as? Int) == 0 else { return nil }
                reading.append("\(service)/\(stream)=\(s["cursor"] as? Int ?? -1)")
            }
        }
        return reading.joined(separator: " ")
    }

    /// Every event of the four producing services' streams, read from their stores: a
    /// recorded history for the interleaving harness.
    public func recordedStreams() async throws -> [String: [Event]] {
        var out: [String: [Event]] = [:]
        for stream in ["intake", "dispatch", "supervision", "survey"] {
            let db = try database(stream)
            defer { db.close() }
            let store = EventStore(stream: stream)
            out[stream] = try await db.read { tx in
                var events: [Event] = []
                while true {
                    let batch = try store.fetch(tx, after: events.last?.seq ?? 0, limit: 1000)
                    if batch.isEmpty { return events }
                    events += batch
                }
            }
        }
        return out
    }
}
