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
    let runDirectory: String
    let workload: SimulationWorkload
    let bus: BusClient
    let workers: Int
    private let clients: [ServiceClients]
    /// Worker `i` alone uses `clients[i]`.
    private let pool: SimulationWorkers
    private let tally = Mutex<[String: Int]>([:])
    /// Assignments a unit already gave back (it does that once; after a refusal it accepts).
    let done = Mutex<Set<String>>([])
    /// Each submitted ticket's place, for the centre's decisions (intake's view does not show it).
    let places = Mutex<[String: String]>([:])
    /// Every ticket intake acknowledged (201, or 200 for a replay).
    var acknowledged: Set<String> { places.withLock { Set($0.keys) } }
    /// What units and the centre will do at a later hour, once the step reaches it.
    private let planned = Mutex<[(at: Date, action: Action)]>([])

    /// Plans `action` for the first step at or after `at`.
    func schedule(_ at: Date, _ action: Action) {
        planned.withLock { $0.append((at, action)) }
    }

    /// The planned actions due now, in a stable order (by time, then by what and whom they
    /// act on): they were planned by actions running in parallel, in no particular order.
    func dueNow() -> [Action] {
        let now = self.now
        return planned.withLock { list in
            let due = list.filter { $0.at <= now }
            list.removeAll { $0.at <= now }
            return due.sorted { ($0.at, $0.action.name) < ($1.at, $1.action.name) }.map(\.action)
        }
    }

    /// The ticket each assignment and dispute the simulation has seen belongs to: actions on
    /// one ticket run one after another (`SimulationSteps`).
    let ticketOf = Mutex<[String: String]>([:])
    private(set) var now = Date(timeIntervalSince1970: 0)

    init(runDirectory: String, workload: SimulationWorkload, bus: BusClient, workers: Int) {
        self.runDirectory = runDirectory
        self.workload = workload
        self.bus = bus
        self.workers = workers
        clients = (0..<workers).map { _ in ServiceClients(runDirectory: runDirectory) }
        pool = SimulationWorkers(count: workers)
    }

    var counts: [String: Int] { tally.withLock { $0 } }

    /// Wall seconds spent in each kind of step (where a run's time goes).
    private let spent = Mutex<[String: Double]>([:])
    var timings: [String: Double] { spent.withLock { $0 } }

    /// Host CPU seconds (all cores, every process) spent busy during each kind of step: with
    /// `timings`, how much of the two cores each kind of step keeps busy.
    private let busy = Mutex<[String: Double]>([:])
    var busySeconds: [String: Double] { busy.withLock { $0 } }

    /// Runs `body`, adding its wall time (and the host's busy CPU time) to `phase`.
    func timed<T>(_ phase: String, _ body: () async throws -> T) async rethrows -> T {
        let start = Date(), busyBefore = SuiteBench.hostBusySeconds()
        defer {
            let seconds = Date().timeIntervalSince(start), busyAfter = SuiteBench.hostBusySeconds()
            spent.withLock { $0[phase, default: 0] += seconds }
            if let busyBefore, let busyAfter { busy.withLock { $0[phase, default: 0] += busyAfter - busyBefore } }
        }
        return try await body()
    }

    func count(_ key: String, _ n: Int = 1) { tally.withLock { $0[key, default: 0] += n } }

    // MARK: - Time

    /// Moves the suite's clock and waits until every service has applied it (its timers
    /// included; wall time "clock") and every event that followed has been applied everywhere
    /// ("settle after clock").
    func move(to date: Date) async throws {
        try await timed("clock") { try await moveClock(to: date) }
        now = date
        try await timed("settle after clock") { try await settle() }
    }

    private func moveClock(to date: Date) async throws {
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
    }

    /// Whether processes may be killed and restarted under the run (chaos): a restarted
    /// service runs its timers and may finish a request its client gave up on, outside the
    /// driver's steps, so a settle then also waits for the heads to hold still.
    let faultsExpected = Atomic<Bool>(false)

    /// Waits until every stream's head has been applied by every follower. Once every
    /// request has been answered and the clock move acknowledged, only events cause events;
    /// each service reports its cursors before its head (`/readyz`), so a round in which no
    /// follower is behind proves nothing is left in flight: an event still to come would be
    /// caused by one applied after its producer's head was read, which no cursor yet covers.
    func settle(timeout: TimeInterval = 600) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        let confirm = faultsExpected.load(ordering: .relaxed)
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
            if !behind, !confirm || heads == previous { return }
            previous = behind ? nil : heads
            try await Task.sleep(nanoseconds: behind ? 5_000_000 : 2_000_000)
        }
        throw ConfigurationError("the suite did not settle within \(Int(timeout)) s")
    }

    /// Each service's `/readyz`, waiting out one that is restarting.
    func readiness() async throws -> [String: [String: Any]] {
        try await onWorkers(Self.services) { service, clients in
            for _ in 0..<1200 {
                if let r = try? clients.client(service).send("GET", "/readyz"), r.status == 200,
                    let body = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any], body["stream_head"] != nil {
                    return (service, SendableRow(body))
                }
                clients.reset(service)
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
    func onWorkers<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T, ServiceClients) throws -> R) async throws -> [R] {
        guard !items.isEmpty else { return [] }
        let next = Atomic<Int>(0)
        let results = Mutex<[R?]>(Array(repeating: nil, count: items.count))
        let failure = Mutex<(any Error)?>(nil)
        let clients = self.clients
        await pool.run(on: items.count) { worker in
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
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0.compactMap { $0 } }
    }

    /// A service's answer. `ambiguous`: an earlier attempt failed after the request may have
    /// been sent, so a 409 may mean that attempt did the work.
    struct Answer {
        let status: Int
        let response: HTTPClient.Response
        let ambiguous: Bool

        /// The parsed JSON body, parsed when asked: most answers are read for their status
        /// only, and parsing every one was a fifth of the simulation's own CPU.
        var body: Any? { try? JSONSerialization.jsonObject(with: Data(response.body)) }

        /// A top-level string member of a JSON object body, found without parsing the rest
        /// (a submission's answer is read for its id alone).
        func string(_ key: String) -> String? {
            response.body.withUnsafeBufferPointer { bytes in (try? JSONSkim(bytes))?.string(key, in: bytes) }
        }
    }

    /// One request, retried while the service answers 503/429 or cannot be reached (a fault
    /// the suite recovers from by itself: a restart, a database or bus outage).
    func call(_ clients: ServiceClients, _ service: String, _ method: String, _ path: String, token: String,
              json: String? = nil) throws -> Answer {
        var headers = [("Authorization", "Bearer \(token)")]
        if json != nil { headers.append(("Content-Type", "application/json")) }
        var lastError: (any Error)?
        var ambiguous = false
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            do {
                let r = try clients.client(service).send(method, path, headers: headers, body: Array((json ?? "").utf8))
                if r.status == 503 || r.status == 429 {
                    count("retried after \(r.status)")
                    Thread.sleep(forTimeInterval: min(Double(r.header("retry-after") ?? "1") ?? 1, 2) / 4)
                    continue
                }
                return Answer(status: r.status, response: r, ambiguous: ambiguous)
            } catch {
                lastError = error
                count("retried after a lost connection")
                if method != "GET" { ambiguous = true }
                clients.reset(service)
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        throw lastError ?? ConfigurationError("\(service) kept answering 503 to \(method) \(path) for 5 minutes")
    }

    /// Every page of a list (`Next-Cursor`).
    func list(_ clients: ServiceClients, _ service: String, _ path: String, token: String) throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        var after: String?
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let target = path + (after.map { separator + "after=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? "")
            let r = try call(clients, service, "GET", target, token: token)
            guard r.status == 200 else { throw ConfigurationError("GET \(service)\(path): \(r.status) \(r.response.text.prefix(300))") }
            out += Self.rows(r.response.body)
            after = r.response.header("next-cursor")
        } while after != nil
        return out
    }

    /// A list page's rows, each member a plain Swift value (String, Int, Double, Bool, NSNull,
    /// arrays, dictionaries), read by the project's parser: Foundation's `JSONSerialization`
    /// and its bridged objects took a tenth of the simulation's CPU, on the path of every hour.
    static func rows(_ body: [UInt8]) -> [[String: Any]] {
        guard case .array(let items)? = try? JSONValueParser.parse(body) else { return [] }
        return items.compactMap { item in
            guard case .object(let members) = item else { return nil }
            return members.mapValues(plain)
        }
    }

    private static func plain(_ value: JSONValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let b): return b
        case .number(let n): return n.rounded() == n && abs(n) < 9.0e15 ? Int(n) : n
        case .string(let s): return s
        case .array(let items): return items.map(plain)
        case .object(let members): return members.mapValues(plain)
        }
    }

    /// Counts an outcome: done; overtaken (409: the work moved on meanwhile — escalated, say);
    /// or refused (anything else: a defect of the suite or the simulation). A 409 to a request
    /// whose earlier attempt was lost in a fault is that attempt's success.
    /// - Returns: whether it is done.
    @discardableResult
    func expect(_ r: Answer, _ ok: Set<Int>, _ what: String) -> Bool {
        if ok.contains(r.status) || (r.status == 409 && r.ambiguous) {
            count(what)
            return true
        } else if r.status == 409 {
            count("overtaken \(what)")
        } else {
            count("refused \(what) \(r.status)")
            if counts["refused \(what) \(r.status)"] ?? 0 <= 3 {
                FileHandle.standardError.write(Data("hotline simulate: \(what) answered \(r.status): \(r.response.text.prefix(300))\n".utf8))
            }
        }
        return false
    }

    static let centre = "demo-centre-token", agent = "demo-agent-token"
    static func unitToken(_ unit: String) -> String { "demo-unit-\(unit)-token" }
}
