import Foundation
import Glibc
import HotlineCore
import HotlineStorage

/// `hotline chaos`: the same simulation twice — once without faults (on embedded SQLite),
/// once while processes are killed with SIGKILL every few seconds — and the evidence that
/// nothing was lost or done twice: every acknowledged ticket stored once, every stream's
/// events the same in kind and number as the fault-free run's, every hash chain intact, no
/// dead letters, and the final report byte for byte the fault-free one.
enum ChaosCommand {
    enum Mode: String {
        /// Kill the bus or a service (`hotline run` restarts it), and PostgreSQL when given.
        case services
        /// Kill `hotline run` itself (its children go with it) and start it again.
        case supervisor
    }

    static func main(_ args: [String]) async throws -> Int32 {
        let flags = try HotlineCommand.Flags(args, valued: ["--rounds", "--mode", "--database", "--postgres-data", "--seed", "--days",
                                                             "--tickets-per-day", "--start", "--workers", "--config"], switches: [])
        guard flags.positional.isEmpty else { throw HotlineCommand.UsageError(message: "unexpected \(flags.positional[0])") }
        guard let rounds = Int(flags.values["--rounds"] ?? "10"), (1...10_000).contains(rounds) else {
            throw HotlineCommand.UsageError(message: "--rounds is a number from 1")
        }
        guard let mode = Mode(rawValue: flags.values["--mode"] ?? "services") else {
            throw HotlineCommand.UsageError(message: "--mode is services or supervisor")
        }
        var defaults = SimulateCommand.Options()
        (defaults.days, defaults.ticketsPerDay, defaults.start) = (4, 200, "2026-11-27")
        var o = try SimulateCommand.Options.parsed(flags, defaults: defaults)
        o.quiet = true
        let postgresData = flags.values["--postgres-data"]
        if postgresData != nil && flags.values["--database"] == nil {
            throw HotlineCommand.UsageError(message: "--postgres-data needs --database (the chaos run's fresh database on that server)")
        }

        say("fault-free run: \(o.days) days × \(o.ticketsPerDay) requests from \(o.start), seed \(o.seed), SQLite")
        let baseline = try await SimulationSession.start(o)
        defer { baseline.stop() }
        try await baseline.simulate()
        let expected = try await baseline.finish()
        let expectedEvents = try await eventCounts(baseline)
        say("  \(expected.tickets) tickets in \(String(format: "%.1f", baseline.seconds)) s; report \(expected.reportPeriod) sha256 \(expected.reportSHA256)")

        var chaotic = o
        chaotic.database = flags.values["--database"]
        say("chaos run: \(rounds) rounds, mode \(mode.rawValue), \(chaotic.database == nil ? "SQLite" : "PostgreSQL")")
        let session = try await SimulationSession.start(chaotic)
        defer { session.stop() }
        session.driver.faultsExpected.store(true, ordering: .relaxed)
        let interval = max(0.5, baseline.seconds / Double(rounds + 1))
        let monkey = ChaosMonkey(session: session, mode: mode, postgresData: postgresData, seed: o.seed)
        let killer = Task { await monkey.run(rounds: rounds, interval: interval) }
        do {
            try await session.simulate()
        } catch {
            killer.cancel()
            throw error
        }
        // Rounds the simulation did not last for happen now, each recovered from before the end.
        await monkey.finish(rounds: rounds)
        _ = await killer.value
        let got = try await session.finish()

        var failures: [String] = []
        if got.reportBytes != expected.reportBytes {
            failures.append("report \(got.reportPeriod) sha256 \(got.reportSHA256), fault-free \(expected.reportSHA256)")
        }
        failures += try await checkTickets(session)
        let events = try await eventCounts(session)
        for service in SimulationDriver.services where events[service] != expectedEvents[service] {
            let all = Set((events[service] ?? [:]).keys).union((expectedEvents[service] ?? [:]).keys).sorted()
            let differing = all.filter { events[service]?[$0] != expectedEvents[service]?[$0] }
                .map { "\($0) \(events[service]?[$0] ?? 0) vs \(expectedEvents[service]?[$0] ?? 0)" }
            failures.append("\(service) stream differs from the fault-free run: \(differing.joined(separator: ", "))")
        }
        failures += try await checkChainsAndDeadLetters(session)
        say("  \(monkey.log.joined(separator: "\n  "))")
        say("  requests retried: \(session.driver.counts.filter { $0.key.hasPrefix("retried") }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        if failures.isEmpty {
            say("verdict: PASS — \(monkey.rounds) rounds; \(got.tickets) tickets, each stored once; every stream's events as in the fault-free run; "
                  + "chains intact; no dead letters; report \(got.reportPeriod) byte-identical (sha256 \(got.reportSHA256))")
            return 0
        }
        say("verdict: FAIL\n  " + failures.joined(separator: "\n  "))
        return 1
    }

    /// Events of each service's stream by type.
    static func eventCounts(_ session: SimulationSession) async throws -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        for service in SimulationDriver.services {
            let db = try database(session, service)
            defer { db.close() }
            out[service] = try await db.read { tx in
                try tx.query("SELECT type, COUNT(*) AS n FROM events GROUP BY type").reduce(into: [:]) { $0[$1.string("type") ?? ""] = Int($1.int("n") ?? 0) }
            }
        }
        return out
    }

    /// Every acknowledged ticket is stored, and no reference twice.
    static func checkTickets(_ session: SimulationSession) async throws -> [String] {
        let db = try database(session, "intake")
        defer { db.close() }
        let (ids, duplicates) = try await db.read { tx in
            (Set(try tx.query("SELECT id FROM tickets").compactMap { $0.string("id") }),
             try tx.query("SELECT channel, channel_ref FROM tickets GROUP BY channel, channel_ref HAVING COUNT(*) > 1").count)
        }
        let acknowledged = session.driver.acknowledged
        var out: [String] = []
        let missing = acknowledged.filter { !ids.contains($0) }
        if !missing.isEmpty { out.append("\(missing.count) acknowledged tickets missing, e.g. \(missing.prefix(3).joined(separator: ", "))") }
        if duplicates > 0 { out.append("\(duplicates) channel references stored twice") }
        if ids.count != acknowledged.count { out.append("intake holds \(ids.count) tickets, \(acknowledged.count) were acknowledged") }
        return out
    }

    static func checkChainsAndDeadLetters(_ session: SimulationSession) async throws -> [String] {
        let driver = session.driver
        return try await driver.onWorkers(SimulationDriver.services) { service, clients -> [String] in
            var out: [String] = []
            let verify = try driver.call(clients, service, "GET", "/v1/admin/stream/verify", token: "demo-admin-token")
            if (verify.body as? [String: Any])?["intact"] as? Bool != true { out.append("\(service) chain: \(verify.response.text.prefix(200))") }
            let ready = try driver.call(clients, service, "GET", "/readyz", token: "")
            if let n = (ready.body as? [String: Any])?["dead_letters"] as? Int, n > 0 { out.append("\(service): \(n) dead letters") }
            return out
        }.flatMap { $0 }
    }

    static func database(_ session: SimulationSession, _ schema: String) throws -> Database {
        let url = try DatabaseURL.parse(session.options.database ?? "sqlite:" + (session.scratch ?? "") + "/data")
        return try Database(url: url, schema: schema, logger: Logger(service: "hotline", level: .error), readers: 1)
    }
}
