import Foundation
import HotlineCore
import HotlineHTTP

/// What the county's people do at each simulated hour (see `SimulationDriver`).
extension SimulationDriver {
    /// Channels submit the hour's requests: one caller's in order (a repeat must come after
    /// the request it repeats), callers in parallel.
    func submit(_ tickets: [SimulationWorkload.Ticket]) async throws {
        var byCaller: [String: [SimulationWorkload.Ticket]] = [:]
        var order: [String] = []
        for t in tickets {
            if byCaller[t.phone] == nil { order.append(t.phone) }
            byCaller[t.phone, default: []].append(t)
        }
        let groups = order.map { byCaller[$0]! }
        _ = try await onWorkers(groups) { [self] group, clients in
            for t in group {
                let r = try call(clients, "intake", "POST", "/v1/tickets", token: "demo-key-\(t.channel)", json: t.body)
                expect(r, [200, 201], t.closedAtIntake ? "tickets closed at intake" : "tickets submitted")
            }
        }
        try await settle()
    }

    /// The centre: dispatches what no rule routed (to the place's street), decides disputes.
    func centreWork() async throws {
        let county = workload.county
        let workload = self.workload
        _ = try await onWorkers([0]) { [self] _, clients in
            // The queue answers 500 at a time, oldest first.
            for _ in 0..<1000 {
                let r = try call(clients, "dispatch", "GET", "/v1/queue", token: Self.centre)
                let queued = r.body as? [[String: Any]] ?? []
                guard !queued.isEmpty else { break }
                for q in queued {
                    let ticket = q["ticket"] as? String ?? ""
                    let lead = county.streetUnit(of: q["region"] as? String) ?? "chengguan"
                    expect(try call(clients, "dispatch", "POST", "/v1/tickets/\(ticket)/dispatch", token: Self.centre, json: #"{"lead_unit":"\#(lead)"}"#),
                           [201], "dispatched by hand")
                }
            }
            for d in try list(clients, "dispatch", "/v1/disputes?status=open", token: Self.centre) {
                let id = d["id"] as? String ?? "", unit = d["unit"] as? String ?? ""
                let region = try call(clients, "intake", "GET", "/v1/tickets/\(d["ticket"] as? String ?? "")", token: Self.centre).body as? [String: Any]
                let street = county.streetUnit(of: (region?["location"] as? [String: Any])?["region"] as? String)
                if workload.approvesReturn(dispute: id), let street, street != unit {
                    expect(try call(clients, "dispatch", "POST", "/v1/disputes/\(id)/decision", token: Self.centre,
                                    json: #"{"approved":true,"lead_unit":"\#(street)","note":"模拟：改派属地"}"#), [200, 201], "returns approved")
                } else {
                    expect(try call(clients, "dispatch", "POST", "/v1/disputes/\(id)/decision", token: Self.centre,
                                    json: #"{"approved":false,"note":"模拟：维持原派"}"#), [200, 201], "returns rejected")
                }
            }
        }
        try await settle()
    }

    /// The units work their inboxes by their profiles; the centre answers extension requests.
    func unitWork() async throws {
        let open = try await onWorkers(["dispatched", "accepted"]) { [self] status, clients in
            try list(clients, "dispatch", "/v1/assignments?status=\(status)&sort=dispatched&limit=500", token: Self.centre).map(SendableRow.init)
        }.flatMap { $0 }
        let now = self.now
        let workload = self.workload
        _ = try await onWorkers(open) { [self] row, clients in
            let a = row.value
            let id = a["id"] as? String ?? "", unit = a["lead_unit"] as? String ?? ""
            let plan = workload.plan(assignment: id, unit: unit)
            let token = Self.unitToken(unit)
            func hoursSince(_ key: String) -> Double {
                guard let text = a[key] as? String, let t = Timestamp.parse(text) else { return 0 }
                return now.timeIntervalSince(t) / 3600
            }
            switch a["status"] as? String {
            case "dispatched":
                guard let wait = plan.acceptAfter, hoursSince("dispatched_at") >= wait else { return }
                if plan.giveBack, done.withLock({ $0.insert("return " + id).inserted }) {
                    expect(try call(clients, "dispatch", "POST", "/v1/assignments/\(id)/return", token: token,
                                    json: #"{"reason":"模拟：不属于本单位职责"}"#), [200, 201], "returns asked")
                } else {
                    expect(try call(clients, "dispatch", "POST", "/v1/assignments/\(id)/accept", token: token), [200], "accepted")
                }
            case "accepted":
                if a["extension_pending"] as? Bool == true {
                    let approved = workload.grantsExtension(assignment: id)
                    expect(try call(clients, "dispatch", "POST", "/v1/assignments/\(id)/extension/decision", token: Self.centre,
                                    json: #"{"approved":\#(approved)}"#), [200], approved ? "extensions granted" : "extensions refused")
                } else if plan.askExtension, let due = (a["reply_due"] as? String).flatMap(Timestamp.parse),
                    done.withLock({ $0.insert("extension " + id).inserted }) {
                    let until = Timestamp.format(due.addingTimeInterval(3 * 86_400))
                    expect(try call(clients, "dispatch", "POST", "/v1/assignments/\(id)/extension", token: token,
                                    json: #"{"until":"\#(until)","reason":"模拟：需协调多部门"}"#), [200, 201], "extensions asked")
                } else if hoursSince("accepted_at") >= plan.replyAfter {
                    expect(try call(clients, "dispatch", "POST", "/v1/assignments/\(id)/reply", token: token,
                                    json: #"{"result":"模拟：已处理完毕"}"#), [200], "replied")
                }
            default: break
            }
        }
        try await settle()
    }

    /// Agents call back every reply whose next attempt is due (working hours only).
    func callbacks() async throws {
        let due = try await onWorkers([0]) { [self] _, clients in
            try list(clients, "survey", "/v1/callbacks?status=scheduled&limit=500", token: Self.agent).map(SendableRow.init)
        }.flatMap { $0 }
        let now = self.now
        let workload = self.workload
        _ = try await onWorkers(due) { [self] row, clients in
            let c = row.value
            let ticket = c["ticket"] as? String ?? "", assignment = c["assignment"] as? String ?? ""
            if let last = (c["last_attempt_at"] as? String).flatMap(Timestamp.parse), now.timeIntervalSince(last) < 2 * 3600 { return }
            let outcome = workload.callback(ticket: ticket, assignment: assignment, attempt: c["attempts"] as? Int ?? 0)
            let r = try call(clients, "survey", "POST", "/v1/callbacks/\(ticket)", token: Self.agent, json: outcome.body)
            switch outcome {
            case .notReached: expect(r, [200], "callbacks not reached")
            case .reached(_, let satisfaction): expect(r, [200], "callbacks \(satisfaction)")
            }
        }
        try await settle()
    }

    /// Monday: the centre records last week's spot-check sample.
    func spotChecks(week: String) async throws {
        let sample = try await onWorkers([0]) { [self] _, clients in
            let r = try call(clients, "supervision", "GET", "/v1/spot-checks?week=\(week)&scope=sample", token: Self.centre)
            return (r.body as? [[String: Any]] ?? []).filter { $0["outcome"] == nil || $0["outcome"] is NSNull }.map(SendableRow.init)
        }.flatMap { $0 }
        let workload = self.workload
        _ = try await onWorkers(sample) { [self] row, clients in
            let ticket = row.value["ticket"] as? String ?? ""
            let outcome = workload.spotCheck(ticket: ticket)
            expect(try call(clients, "supervision", "POST", "/v1/spot-checks/\(ticket)", token: Self.centre,
                            json: #"{"outcome":"\#(outcome)","note":"模拟抽查"}"#), [200, 201], "spot checks \(outcome)")
        }
        try await settle()
    }
}

/// A decoded JSON row handed to a worker (JSONSerialization's values are immutable).
struct SendableRow: @unchecked Sendable {
    let value: [String: Any]
    init(_ value: [String: Any]) { self.value = value }
}
