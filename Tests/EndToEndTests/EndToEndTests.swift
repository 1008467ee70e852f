import Foundation
import HotlineCore
import HotlineHTTP
import HotlineStorage
import TestSupport
import Testing

/// The real executables over real sockets, on each available engine. Serialized: each test
/// runs six processes, and two cores are enough for one suite at a time.
@Suite(.serialized) struct EndToEndTests {
    private func json(_ r: HTTPClient.Response) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any] ?? [:]
    }

    private func ticketJSON(ref: String, category: String, region: String, phone: String = "13812345678", tag: String = "none") -> String {
        #"{"channel_ref":"\#(ref)","kind":"complaint","category":"\#(category)","content":"请尽快处理 \#(ref)","caller":{"name":"王先生","phone":"\#(phone)"},"location":{"address":"清河县","region":"\#(region)"},"tags":["\#(tag)"]}"#
    }

    @Test(arguments: TestEngine.available)
    func ticketGoesFromIntakeToKPIFigures(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine, manualClock: true)
        defer { suite.stop() }
        #expect(try await suite.hotline(["clock", "set", "2026-11-23T09:00:00+08:00"]).status == 0)

        // Bad input is refused with the field named; nothing is stored.
        let bad = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-phone_12345",
                                       json: #"{"channel_ref":"x","kind":"rant","category":"city.sanitation","content":"c","caller":{"phone":"123"}}"#)
        #expect(bad.status == 422)
        #expect(bad.text.contains("\"kind\"") && bad.text.contains("caller.phone"))

        let a = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-phone_12345",
                                     json: ticketJSON(ref: "call-1", category: "city.sanitation", region: "330901003002004", tag: "国考"))
        #expect(a.status == 201)
        let ticketA = try #require(try json(a)["id"] as? String)
        let b = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat",
                                     json: ticketJSON(ref: "wx-1", category: "utility.heating", region: "330901001001001"))
        let ticketB = try #require(try json(b)["id"] as? String)
        // A retry of the same submission returns the same ticket.
        let retry = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-phone_12345",
                                         json: ticketJSON(ref: "call-1", category: "city.sanitation", region: "330901003002004", tag: "国考"))
        #expect(retry.status == 200)
        #expect(try json(retry)["id"] as? String == ticketA)

        // Dispatch routes A to the street office of its place.
        let assignment: String = try await eventually(timeout: 20) {
            let r = try await suite.call("dispatch", "GET", "/v1/assignments", token: "demo-unit-xicheng-token")
            let list = try JSONSerialization.jsonObject(with: Data(r.body)) as? [[String: Any]] ?? []
            return list.first { $0["ticket"] as? String == ticketA }?["id"] as? String
        }
        let foreign = try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/accept", token: "demo-unit-heating_co-token")
        #expect(foreign.status == 403, "another unit's assignment is forbidden")
        let nothing = try await suite.call("dispatch", "POST", "/v1/assignments/A-nothing/accept", token: "demo-unit-heating_co-token")
        #expect(nothing.status == 403 && nothing.text == foreign.text.replacingOccurrences(of: assignment, with: "A-nothing"),
                "a unit cannot tell another unit's assignment from none")
        #expect(try await suite.call("dispatch", "GET", "/v1/assignments/A-nothing", token: "demo-centre-token").status == 404)
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/accept", token: "demo-unit-xicheng-token").status == 200)
        #expect(try await suite.call("dispatch", "POST", "/v1/assignments/\(assignment)/reply", token: "demo-unit-xicheng-token",
                                     json: #"{"result":"已安排清运"}"#).status == 200)

        // The callback is scheduled after the reply; the agent records it; dispatch closes the ticket.
        try await waitUntil(timeout: 20) {
            try await suite.call("survey", "POST", "/v1/callbacks/\(ticketA)", token: "demo-agent-token",
                                 json: #"{"reached":true,"resolved":true,"satisfaction":"satisfied"}"#).status == 200
        }
        try await waitUntil(timeout: 20) {
            let r = try await suite.call("intake", "GET", "/v1/tickets/\(ticketA)", token: "demo-centre-token")
            return (try json(r)["status"] as? String) == "closed"
        }

        // Nobody accepts B: three hours later its response deadline (utility policy: 2 h) is missed.
        // Supervision is killed first and the clock moves while it is down: the durable timer
        // still announces the miss once it is back.
        try await waitUntil(timeout: 20) {
            let r = try await suite.call("supervision", "GET", "/v1/deadlines?state=open", token: "demo-centre-token")
            return r.text.contains(ticketB)
        }
        let supervisionPid = try #require(suite.pid("supervision"))
        kill(supervisionPid, SIGKILL)
        #expect(try await suite.hotline(["clock", "advance", "3h"]).status == 0)
        try await waitUntil(timeout: 30) { suite.pid("supervision") != supervisionPid }
        try await waitUntil(timeout: 30) {
            (try? await suite.call("supervision", "GET", "/readyz", token: "").status) == 200
        }
        try await waitUntil(timeout: 20) {
            let r = try await suite.call("supervision", "GET", "/v1/deadlines?state=missed", token: "demo-centre-token")
            return r.text.contains(ticketB) && r.text.contains("\"response\"")
        }
        let missed = try await suite.call("supervision", "GET", "/v1/deadlines?state=missed", token: "demo-centre-token")
        #expect(!missed.text.contains(ticketA), "A was accepted and replied in time: no miss may be announced")

        // The KPI figures, exactly as kpi.md defines them.
        let report: [UInt8] = try await eventually(timeout: 20) {
            let r = try await suite.call("kpi", "GET", "/v1/kpi?period=2026-11&by=unit", token: "demo-auditor-token")
            let total = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
            let figures = total?["total"] as? [[String: Any]] ?? []
            let resolution = figures.first { $0["id"] as? String == "resolution_rate" }
            return (resolution?["denominator"] as? Int) == 1 ? r.body : nil
        }
        let total = (try JSONSerialization.jsonObject(with: Data(report)) as? [String: Any])?["total"] as? [[String: Any]] ?? []
        func figure(_ id: String) -> (Double?, Int?, Int?) {
            let f = total.first { $0["id"] as? String == id }
            return (f?["value"] as? Double, f?["numerator"] as? Int, f?["denominator"] as? Int)
        }
        #expect(figure("received").0 == 2)
        #expect(figure("assignments").0 == 2)
        #expect(figure("response_rate").1 == 1 && figure("response_rate").2 == 2 && figure("response_rate").0 == 0.5)
        // B's reply is due on Wednesday and not made yet: pending, in neither count (kpi.md).
        let onTime = total.first { $0["id"] as? String == "on_time_rate" }
        #expect(figure("on_time_rate").1 == 1 && figure("on_time_rate").2 == 1 && onTime?["pending"] as? Int == 1 && onTime?["final"] as? Bool == false)
        #expect(figure("overdue_backlog").0 == 0 && figure("composite").0 != nil)
        #expect(figure("resolution_rate").0 == 1 && figure("satisfaction_rate").0 == 1)
        // By a ticket's own fields: the groups' received add up to the total.
        for by in ["channel", "category", "street", "tag"] {
            let grouped = try JSONSerialization.jsonObject(with: Data(try await suite.call("kpi", "GET", "/v1/kpi?period=2026-11&by=\(by)",
                                                                                            token: "demo-auditor-token").body)) as? [String: Any]
            let groups = grouped?["groups"] as? [[String: Any]] ?? []
            let received = groups.compactMap { g in ((g["figures"] as? [[String: Any]])?.first { $0["id"] as? String == "received" })?["value"] as? Double }
            #expect(!groups.isEmpty && received.reduce(0, +) == 2, "by \(by): \(groups.map { $0["key"] ?? "" })")
        }
        #expect(try await suite.call("kpi", "GET", "/v1/kpi?period=2026-11&by=colour", token: "demo-auditor-token").status == 422)
        // The evidence of a figure, a page at a time: the two received tickets, one per page.
        var seen: [String] = []
        var cursor = ""
        repeat {
            let page = try await suite.call("kpi", "GET", "/v1/kpi/evidence?period=2026-11&figure=received&limit=1" + cursor, token: "demo-auditor-token")
            seen += (page.object["ids"] as? [String]) ?? []
            cursor = page.header("next-cursor").map { "&after=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? ""
        } while !cursor.isEmpty && seen.count < 5
        #expect(Set(seen) == [ticketA, ticketB] && seen.count == 2)
        #expect(try await suite.call("kpi", "GET", "/v1/kpi/evidence?period=2026-11&figure=on_time_rate&side=numerator&format=csv",
                                     token: "demo-auditor-token").text.hasPrefix("id\r\n"))
        #expect(try await suite.call("kpi", "GET", "/v1/kpi/evidence?period=2026-11&figure=nothing", token: "demo-auditor-token").status == 422)
        let csv = try await suite.call("kpi", "GET", "/v1/kpi?period=2026-11&by=unit&format=csv&evidence=true", token: "demo-auditor-token")
        let rows = csv.text.split(separator: "\r\n")
        #expect(csv.header("content-type")?.hasPrefix("text/csv") == true && rows.first?.hasPrefix("period,scope,key,name,figure,value") == true)
        #expect(rows.contains { $0.hasPrefix("2026-11,total,,,received,2,") } && rows.contains { $0.contains(",unit,xicheng,") }, "\(csv.text.prefix(600))")
        // One ticket on its own (一事一考): A accepted and replied in time, resolved and satisfied.
        let assessed = try JSONSerialization.jsonObject(with: Data(try await suite.call("kpi", "GET", "/v1/tickets/\(ticketA)/assessment",
                                                                                         token: "demo-auditor-token").body)) as? [String: Any]
        let parts = assessed?["assignments"] as? [[String: Any]] ?? []
        #expect(parts.first?["response"] as? String == "in_time" && parts.first?["reply"] as? String == "in_time", "\(assessed ?? [:])")
        #expect(assessed?["resolved"] as? Bool == true && assessed?["satisfaction"] as? String == "satisfied" && assessed?["reopenings"] as? Int == 0)
        #expect(try await suite.call("kpi", "GET", "/v1/tickets/T-none/assessment", token: "demo-auditor-token").status == 404)
        let auditorOnly = try await suite.call("kpi", "GET", "/v1/kpi?period=2026-11", token: "demo-unit-xicheng-token")
        #expect(auditorOnly.status == 403)
        // The audit (KP-3): every stream re-read from seq 1 and its chain verified; the figures
        // recomputed from them are the live ones, cell by cell.
        let audit = try await suite.call("kpi", "POST", "/v1/audit/recompute?period=2026-11", token: "demo-auditor-token")
        let streams = audit.object["streams"] as? [[String: Any]] ?? []
        #expect(audit.status == 200 && audit.object["verdict"] as? String == "identical", "\(audit.text.prefix(2000))")
        #expect(streams.count == 4 && streams.allSatisfy { $0["chain"] as? String == "verified" && ($0["events"] as? Int ?? 0) > 0 })
        #expect((audit.object["cells_compared"] as? Int ?? 0) > 50)
        let printed = try await suite.hotline(["audit", "recompute", "--period", "2026-11"])
        #expect(printed.status == 0 && printed.output.contains("verdict: identical") && printed.output.contains("intake:"), "\(printed.output)")
        #expect(try await suite.call("kpi", "POST", "/v1/audit/recompute?period=2026-11", token: "demo-centre-token").status == 403)

        if engine == .postgres {
            // Every service is connected under its own role (deploy/postgres/init.sql), none as a superuser.
            let admin = try suite.database("public")
            let users = try await admin.read { tx in
                try tx.query("SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND usename LIKE 'hotline_%'")
                    .compactMap { $0.string("usename") }
            }
            admin.close()
            #expect(Set(users) == ["hotline_intake", "hotline_dispatch", "hotline_supervision", "hotline_survey", "hotline_kpi"], "\(users)")
        }

        // SIGTERM stops everything cleanly: exit 0, no child left behind.
        #expect(suite.terminate() == 0)
        #expect(suite.childrenAlive().isEmpty)
    }

    /// Submits `count` tickets from `clients` threads, retrying each (same channel_ref) until
    /// intake answers 200/201; kills `victim` after `killAfter` tickets.
    private func stream(_ suite: RunningSuite, count: Int, clients: Int, killAfter: Int, victim: String) async throws -> Set<String> {
        let ids = LockedSet()
        let next = Counter()
        let killed = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                        Thread {
                            var client = suite.client("intake")
                            client.timeout = 10
                            while true {
                                let i = next.increment()
                                if i > count { break }
                                let body = #"{"channel_ref":"load-\#(i)","kind":"help","category":"civil.subsistence","content":"申请低保 \#(i)","caller":{"phone":"139\#(String(format: "%08d", i))"},"location":{"region":"330901006001001"}}"#
                                var stored = false
                                for _ in 0..<100 {
                                    if let r = try? client.send("POST", "/v1/tickets", headers: [
                                        ("Authorization", "Bearer demo-key-grid_worker"), ("Content-Type", "application/json"),
                                    ], body: Array(body.utf8)), r.status == 200 || r.status == 201,
                                        let id = (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])?["id"] as? String
                                    {
                                        ids.insert(id)
                                        stored = true
                                        break
                                    }
                                    client.close()
                                    Thread.sleep(forTimeInterval: 0.1)
                                    // A restarted intake may listen on another port (--any-port).
                                    client = suite.client("intake")
                                    client.timeout = 10
                                }
                                if !stored {
                                    done.resume(throwing: RunningSuite.SuiteError(message: "ticket \(i) never accepted"))
                                    return
                                }
                                if i == killAfter, killed.increment() == 1, let pid = suite.pid(victim) {
                                    kill(pid, SIGKILL)
                                }
                            }
                            done.resume()
                        }.start()
                    }
                }
            }
            try await group.waitForAll()
        }
        return ids.values
    }

    /// Waits until dispatch has dispatched every ticket and kpi has counted every one, and
    /// checks that nothing was applied twice.
    private func expectExactlyOnce(_ suite: RunningSuite, tickets: Set<String>) async throws {
        let dispatch = try suite.database("dispatch")
        let kpi = try suite.database("kpi")
        defer {
            dispatch.close()
            kpi.close()
        }
        let n = Int64(tickets.count)
        do {
            try await waitUntil(timeout: 60) {
                let d = try await dispatch.read { tx in try tx.scalarInt("SELECT COUNT(*) FROM assignments") ?? 0 }
                let (k, kt) = try await kpi.read { tx in
                    (try tx.scalarInt("SELECT COUNT(*) FROM k_assignments") ?? 0, try tx.scalarInt("SELECT COUNT(*) FROM k_tickets") ?? 0)
                }
                return d >= n && k >= n && kt >= n
            }
        } catch {
            Issue.record("not all tickets arrived: \(suite.logTail())")
            throw error
        }
        let (rows, distinct, dispatchedEvents, received) = try await dispatch.read { tx in
            (try tx.scalarInt("SELECT COUNT(*) FROM assignments") ?? -1,
             try tx.scalarInt("SELECT COUNT(DISTINCT ticket) FROM assignments") ?? -1,
             try tx.scalarInt("SELECT COUNT(*) FROM events WHERE type = 'ticket.dispatched'") ?? -1,
             try tx.scalarInt("SELECT COUNT(*) FROM tickets") ?? -1)
        }
        #expect(rows == n)
        #expect(distinct == n)
        #expect(dispatchedEvents == n)
        #expect(received == n)
        let kpiRows = try await kpi.read { tx in
            (try tx.scalarInt("SELECT COUNT(*) FROM k_tickets") ?? -1, try tx.scalarInt("SELECT COUNT(*) FROM k_assignments") ?? -1)
        }
        #expect(kpiRows.0 == n && kpiRows.1 == n)
        let dispatchedTickets = Set(try await dispatch.read { tx in try tx.query("SELECT ticket FROM assignments") }.compactMap { $0.string("ticket") })
        #expect(dispatchedTickets == tickets)
        // Every kpi assignment gets both deadlines and its unit, whichever stream came first
        // (issue 13: before the fix, 58% lacked deadlines after kill -9 rounds).
        let incomplete = "SELECT COUNT(*) FROM k_assignments WHERE response_due IS NULL OR reply_due IS NULL OR lead_unit IS NULL"
        try? await waitUntil(timeout: 60) { try await kpi.read { tx in try tx.scalarInt(incomplete) ?? -1 } == 0 }
        #expect(try await kpi.read { tx in try tx.scalarInt(incomplete) ?? -1 } == 0, "kpi assignments without deadlines or unit")
    }

    /// `kill -9` of one process (dispatch, or the bus) in the middle of a stream of tickets:
    /// after its restart every ticket is dispatched exactly once and counted exactly once.
    @Test(arguments: TestEngine.available, ["dispatch", "bus"])
    func killingAProcessMidStreamLosesAndDoublesNothing(engine: TestEngine, victim: String) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let oldPid = suite.pid(victim)
        let tickets = try await stream(suite, count: 300, clients: 4, killAfter: 100, victim: victim)
        #expect(tickets.count == 300)
        try await waitUntil(timeout: 30) { suite.pid(victim) != oldPid }
        try await expectExactlyOnce(suite, tickets: tickets)
        #expect(suite.isRunning)
    }

    /// Rounds of `kill -9`, each process once in a random order (the bus and every service), while tickets
    /// stream in: nothing lost or doubled, and every kpi assignment ends with its deadlines.
    @Test(arguments: TestEngine.available)
    func killRoundsLeaveEveryFigureComplete(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let killer = Task {
            var rng = SeededGenerator(seed: 20_261_130)
            var killed: [String] = []
            // Each process once, in an order the seed picks.
            for victim in ["bus", "intake", "dispatch", "supervision", "survey", "kpi"].shuffled(using: &rng) {
                try await Task.sleep(nanoseconds: UInt64.random(in: 300_000_000...700_000_000, using: &rng))
                try await suite.kill(victim)
                killed.append(victim)
            }
            return killed
        }
        let tickets = try await stream(suite, count: 400, clients: 4, killAfter: -1, victim: "")
        let killed = try await killer.value
        print("kill rounds on \(engine): killed \(killed.joined(separator: ", ")) during \(tickets.count) tickets")
        #expect(tickets.count == 400)
        try await expectExactlyOnce(suite, tickets: tickets)
    }
}

final class LockedSet: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var set = Set<String>()
    func insert(_ s: String) {
        lock.lock()
        set.insert(s)
        lock.unlock()
    }
    var values: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return set
    }
}

final class Counter: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
