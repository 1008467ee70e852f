import Foundation
import HotlineBus
import HotlineCore
import HotlineHTTP
import Synchronization

/// Drives a running suite through its real HTTP APIs and the bus clock, as the people of a
/// county would: channels submit, the centre dispatches and decides, units accept, ask,
/// give back and reply, agents call back, the centre spot-checks. Every decision comes from
/// `SimulationWorkload`; what to act on comes from the suite's own lists, read only once
/// every event has been applied everywhere (`settle`), so the same seed gives the same
/// history whatever the machine's speed.
final class SimulationDriver: @unchecked Sendable {
    // @unchecked: the counters are behind `tally`; clients belong to one worker each.
    static let services = ["intake", "dispatch", "supervision", "survey", "kpi"]
    let ports: [String: Int]
    let workload: SimulationWorkload
    let bus: BusClient
    let workers: Int
    private let clients: [[String: HTTPClient]]
    private let tally = Mutex<[String: Int]>([:])
    /// Assignments a unit already gave back or asked more time for (each does it once).
    let done = Mutex<Set<String>>([])
    /// Each submitted ticket's place, for the centre's decisions (intake's view does not show it).
    let places = Mutex<[String: String]>([:])
    /// What units and the centre will do at a later hour, once the step reaches it.
    private let planned = Mutex<[(at: Date, order: Int, action: Action)]>([])

    /// Plans `action` for the first step at or after `at`.
    func schedule(_ at: Date, _ action: Action) {
        planned.withLock { $0.append((at, $0.count, action)) }
    }

    /// The planned actions due now, in a stable order (by time, then by id).
    func dueNow() -> [Action] {
        let now = self.now
        return planned.withLock { list in
            let due = list.filter { $0.at <= now }
            list.removeAll { $0.at <= now }
            return due.map(\.action)
        }
    }
    private(set) var now = Date(timeIntervalSince1970: 0)

    init(ports: [String: Int], workload: SimulationWorkload, bus: BusClient, workers: Int) {
        self.ports = ports
        self.workload = workload
        self.bus = bus
        self.workers = workers
        clients = (0..<workers).map { _ in ports.mapValues { HTTPClient(port: $0) } }
    }

    var counts: [String: Int] { tally.withLock { $0 } }

    /// Wall seconds spent in each kind of step (where a run's time goes).
    private let spent = Mutex<[String: Double]>([:])
    var timings: [String: Double] { spent.withLock { $0 } }

    /// Runs `body`, adding its wall time to `phase`.
    func timed<T>(_ phase: String, _ body: () async throws -> T) async rethrows -> T {
        let start = Date()
        defer { spent.withLock { $0[phase, default: 0] += Date().timeIntervalSince(start) } }
        return try await body()
    }

    func count(_ key: String, _ n: Int = 1) { tally.withLock { $0[key, default: 0] += n } }

    // MARK: - Time

    /// Moves the suite's clock and waits until every service has applied it (its timers
    /// included) and every event that followed has been applied everywhere.
    func move(to date: Date) async throws {
        var attempts = 0
        while true {
            do {
                let moved = try await bus.moveClock(to: date, timeout: 60)
                if Set(moved.services).isSuperset(of: Self.services) { break }
            } catch let error as BusError where error.code == "unavailable" || error.code == "timeout" {
                attempts += 1
                if attempts > 120 { throw error }
            }
            // A service restarting takes the clock from the bus when it connects: ask again.
            try await Task.sleep(nanoseconds: 500_000_000)
        }
        now = date
        try await settle()
    }

    /// Waits until every stream's head has been applied by every follower, twice in a row
    /// with the same heads (an event applied may produce another).
    func settle(timeout: TimeInterval = 600) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var previous: [String: Int64]?
        while Date() < deadline {
            let state = try await readiness()
            var heads: [String: Int64] = [:]
            var behind = false
            for (service, body) in state { heads[service] = (body["stream_head"] as? NSNumber)?.int64Value ?? -1 }
            for (_, body) in state {
                for (stream, s) in body["streams"] as? [String: [String: Any]] ?? [:] {
                    let cursor = (s["cursor"] as? NSNumber)?.int64Value ?? 0
                    if cursor < heads[stream, default: 0] { behind = true }
                }
            }
            if !behind, heads == previous { return }
            previous = behind ? nil : heads
            try await Task.sleep(nanoseconds: behind ? 20_000_000 : 5_000_000)
        }
        throw ConfigurationError("the suite did not settle within \(Int(timeout)) s")
    }

    /// Each service's `/readyz`, waiting out one that is restarting.
    func readiness() async throws -> [String: [String: Any]] {
        try await onWorkers(Self.services) { service, clients in
            for _ in 0..<600 {
                if let r = try? clients[service]!.send("GET", "/readyz"), r.status == 200 || r.status == 503,
                    let body = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any], body["stream_head"] != nil,
                    r.status == 200 {
                    return (service, SendableRow(body))
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            throw ConfigurationError("\(service) is not ready")
        }.reduce(into: [:]) { $0[$1.0] = $1.1.value }
    }

    /// Sum of every follower's lag now, for the progress line.
    func lag() async -> Int {
        guard let state = try? await readiness() else { return -1 }
        return state.values.reduce(0) { total, body in
            total + (body["streams"] as? [String: [String: Any]] ?? [:]).values.reduce(0) { $0 + (($1["lag"] as? Int) ?? 0) }
        }
    }

    // MARK: - Requests

    /// Runs `body` for each item on the workers (each with its own keep-alive connections).
    func onWorkers<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T, [String: HTTPClient]) throws -> R) async throws -> [R] {
        guard !items.isEmpty else { return [] }
        let next = Atomic<Int>(0)
        let results = Mutex<[R?]>(Array(repeating: nil, count: items.count))
        let failure = Mutex<(any Error)?>(nil)
        let clients = self.clients
        let n = min(workers, items.count)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                DispatchQueue.concurrentPerform(iterations: n) { worker in
                    while failure.withLock({ $0 == nil }) {
                        let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard i < items.count else { return }
                        do {
                            let r = try body(items[i], clients[worker])
                            results.withLock { $0[i] = r }
                        } catch {
                            failure.withLock { $0 = $0 ?? error }
                        }
                    }
                }
                done.resume()
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0.compactMap { $0 } }
    }

    /// One request, retried while the service answers 503 or is restarting (a fault the
    /// suite recovers from by itself). - Returns: the status and the decoded JSON body.
    func call(_ clients: [String: HTTPClient], _ service: String, _ method: String, _ path: String, token: String,
              json: String? = nil) throws -> (status: Int, body: Any?, headers: HTTPClient.Response) {
        var headers = [("Authorization", "Bearer \(token)")]
        if json != nil { headers.append(("Content-Type", "application/json")) }
        var lastError: (any Error)?
        for _ in 0..<600 {
            do {
                let r = try clients[service]!.send(method, path, headers: headers, body: Array((json ?? "").utf8))
                if r.status == 503 || r.status == 429 {
                    Thread.sleep(forTimeInterval: min(Double(r.header("retry-after") ?? "1") ?? 1, 2) / 4)
                    continue
                }
                return (r.status, try? JSONSerialization.jsonObject(with: Data(r.body)), r)
            } catch {
                lastError = error
                clients[service]!.close()
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        throw lastError ?? ConfigurationError("\(service) kept answering 503 to \(method) \(path)")
    }

    /// Every page of a list (`Next-Cursor`).
    func list(_ clients: [String: HTTPClient], _ service: String, _ path: String, token: String) throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        var after: String?
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let target = path + (after.map { separator + "after=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? "")
            let r = try call(clients, service, "GET", target, token: token)
            guard r.status == 200 else { throw ConfigurationError("GET \(service)\(path): \(r.status) \(r.headers.text.prefix(300))") }
            out += r.body as? [[String: Any]] ?? []
            after = r.headers.header("next-cursor")
        } while after != nil
        return out
    }

    /// Counts an outcome: done, overtaken (409: the work moved on meanwhile — escalated, say),
    /// or refused (anything else: a defect of the suite or the simulation).
    func expect(_ r: (status: Int, body: Any?, headers: HTTPClient.Response), _ ok: Set<Int>, _ what: String) {
        if ok.contains(r.status) {
            count(what)
        } else if r.status == 409 {
            count("overtaken \(what)")
        } else {
            count("refused \(what) \(r.status)")
            if counts["refused \(what) \(r.status)"] ?? 0 <= 3 {
                FileHandle.standardError.write(Data("hotline simulate: \(what) answered \(r.status): \(r.headers.text.prefix(300))\n".utf8))
            }
        }
    }

    static let centre = "demo-centre-token", agent = "demo-agent-token"
    static func unitToken(_ unit: String) -> String { "demo-unit-\(unit)-token" }
}
