import Foundation
import HotlineBus
@testable import HotlineCLI
import TestSupport
import Testing

/// The simulated county's workload (issue 15): decided by the seed alone, and shaped as the
/// README documents it.
struct SimulationWorkloadTests {
    private func workload(seed: UInt64 = 1, perDay: Int = 2000) throws -> SimulationWorkload {
        SimulationWorkload(seed: seed, county: try .load(configDirectory: SampleCounty.directory), ticketsPerDay: perDay)
    }

    /// The CPU line counts each process only if it is still the one it started with, known by
    /// its id and start time (a restarted one may get the same id): both read from /proc.
    @Test func processStartTimesAndCPUAreRead() throws {
        let mine = try #require(SuiteBench.startTime(getpid()))
        #expect(SuiteBench.startTime(getpid()) == mine)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["5"]
        try child.run()
        defer { child.terminate() }
        let started = try #require(SuiteBench.startTime(child.processIdentifier))
        #expect(started >= mine)
        #expect(SuiteBench.cpuSeconds(getpid()) > 0)
        #expect(SuiteBench.startTime(-1) == nil)
    }

    /// The cores-busy line reads the host's busy time from /proc/stat: it grows by at least the
    /// CPU this process burns (a tick's rounding allowed) and never by more than all cores' wall time.
    @Test func hostBusyTimeIsRead() throws {
        let start = Date()
        let before = try #require(SuiteBench.hostBusySeconds())
        let cpuBefore = SuiteBench.cpuSeconds(getpid())
        var x: UInt64 = 1
        while SuiteBench.cpuSeconds(getpid()) - cpuBefore < 0.3 { for i in 0..<100_000 { x = x &* 6364136223846793005 &+ UInt64(i) } }
        let burnt = SuiteBench.cpuSeconds(getpid()) - cpuBefore
        let after = try #require(SuiteBench.hostBusySeconds())
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        #expect(x != 0)
        #expect(after - before >= burnt - 0.05)
        #expect(after - before <= Date().timeIntervalSince(start) * cores + 0.05)
    }

    /// The written-bytes line reads what the kernel charged each process for writing: a
    /// megabyte written and synced here shows (where the file system counts it; tmpfs does not).
    @Test func bytesWrittenAreRead() throws {
        let before = try #require(SuiteBench.writtenBytes(getpid()))
        let directory = FileManager.default.currentDirectoryPath
        // The file system of the longest mount point holding the directory (/proc/mounts: device, point, type).
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        var holding: (point: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count > 2 else { continue }
            let point = fields[1], inside = point == "/" || directory == point || directory.hasPrefix(point + "/")
            if inside, point.count >= (holding?.point.count ?? 0) { holding = (point, fields[2]) }
        }
        let onTmpfs = holding?.type ?? "tmpfs" == "tmpfs"
        let path = directory + "/.written-bytes-probe-\(getpid())"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        let block = [UInt8](repeating: 7, count: 1 << 20)
        #expect(block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == 1 << 20)
        #expect(fsync(fd) == 0)
        close(fd)
        if !onTmpfs { #expect(try #require(SuiteBench.writtenBytes(getpid())) >= before + (1 << 20)) }
        #expect(SuiteBench.writtenBytes(-1) == nil)
    }

    /// The lists the simulation acts on are read by the project's parser into plain values.
    @Test func listRowsAreReadAsPlainValues() throws {
        let rows = SimulationDriver.rows(Array(#"[{"id":"A1","attempts":2,"due":null,"ok":true,"score":4.5,"units":["a","b"]},{"id":"A2"},7]"#.utf8))
        try #require(rows.count == 2)
        #expect(rows[0]["id"] as? String == "A1" && rows[0]["attempts"] as? Int == 2 && rows[0]["due"] is NSNull)
        #expect(rows[0]["ok"] as? Bool == true && rows[0]["score"] as? Double == 4.5 && rows[0]["units"] as? [Any] != nil)
        #expect(((rows[0]["units"] as? [Any]) ?? []).compactMap { $0 as? String } == ["a", "b"])
        #expect(rows[1]["id"] as? String == "A2" && rows[1]["attempts"] == nil)
        #expect(SimulationDriver.rows(Array("not json".utf8)).isEmpty && SimulationDriver.rows(Array(#"{"id":"A1"}"#.utf8)).isEmpty)
    }

    @Test func theSeedDecidesEverything() throws {
        var a = try workload(), b = try workload(), c = try workload(seed: 2)
        let dayA = a.tickets(day: 0, weekday: 2, month: 11), dayB = b.tickets(day: 0, weekday: 2, month: 11)
        #expect(dayA == dayB && dayA.count == 2000)
        #expect(c.tickets(day: 0, weekday: 2, month: 11) != dayA)
        #expect(a.plan(assignment: "A-1", unit: "housing") == b.plan(assignment: "A-1", unit: "housing"))
        #expect(a.callback(ticket: "T1", assignment: "A-1", attempt: 0) == b.callback(ticket: "T1", assignment: "A-1", attempt: 0))
        #expect(Set(dayA.map(\.ref)).count == dayA.count, "every request its own reference")
    }

    @Test func theWorkloadHasItsDocumentedShape() throws {
        var w = try workload()
        let monday = w.tickets(day: 0, weekday: 2, month: 12)
        let saturday = w.tickets(day: 5, weekday: 7, month: 12)
        #expect(saturday.count == 800, "weekends bring 40%")
        let share = { (tickets: [SimulationWorkload.Ticket], test: (SimulationWorkload.Ticket) -> Bool) in
            Double(tickets.filter(test).count) / Double(tickets.count)
        }
        #expect(abs(share(monday) { $0.channel == "phone_12345" } - 0.50) < 0.05)
        #expect(abs(share(monday) { $0.kind == "consultation" } - 0.20) < 0.04)
        #expect(monday.allSatisfy { !$0.closedAtIntake || $0.kind == "consultation" })
        #expect(monday.map(\.hour) == monday.map(\.hour).sorted() && monday.allSatisfy { (8...16).contains($0.hour) })
        // Heating in December, floods in July.
        var summer = try workload()
        let july = summer.tickets(day: 0, weekday: 2, month: 7)
        #expect(share(monday) { $0.category.hasPrefix("utility.heating") } > 5 * share(july) { $0.category.hasPrefix("utility.heating") })
        #expect(share(july) { $0.category == "water.flood" } > 5 * share(monday) { $0.category == "water.flood" })
        // Repeats: callers of the past week come again with the same category and place.
        let earlier = Set((monday + saturday).map { "\($0.phone) \($0.category) \($0.region)" })
        let next = w.tickets(day: 6, weekday: 1, month: 12)
        let repeats = next.filter { earlier.contains("\($0.phone) \($0.category) \($0.region)") }.count
        #expect(repeats > 0 && Double(repeats) / Double(next.count) < 0.12, "\(repeats) of \(next.count)")
    }

    @Test func unitsKeepTheirProfiles() throws {
        let w = try workload()
        let units = w.county.units
        let profiles = Dictionary(grouping: units, by: w.profile(of:))
        #expect(Set(profiles.keys) == Set(SimulationWorkload.UnitProfile.allCases), "\(profiles.mapValues(\.count))")
        #expect(w.profile(of: "county_taskforce") == .prompt, "the task force always answers")
        for unit in profiles[.silent] ?? [] { #expect(w.plan(assignment: "A-\(unit)", unit: unit).acceptAfter == nil) }
        for unit in profiles[.prompt] ?? [] { #expect(w.plan(assignment: "A-\(unit)", unit: unit).acceptAfter == 0) }
        // Callbacks: about nine in ten reached, most satisfied.
        let outcomes = (0..<2000).map { w.callback(ticket: "T\($0)", assignment: "A\($0)", attempt: 0) }
        let reached = outcomes.filter { $0 != .notReached }.count
        #expect(abs(Double(reached) / 2000 - 0.9) < 0.03)
        #expect(outcomes.filter { $0 == .reached(resolved: true, satisfaction: "satisfied") }.count > outcomes.count / 2)
    }
}

/// How a simulated hour's actions are sent (issue 15): in parallel, except that what is done
/// to one ticket goes in order, and planned actions come due in an order of their own.
struct SimulationStepOrderTests {
    private func driver() throws -> SimulationDriver {
        let workload = SimulationWorkload(seed: 1, county: try .load(configDirectory: SampleCounty.directory), ticketsPerDay: 10)
        return SimulationDriver(runDirectory: "/nonexistent", workload: workload,
                                bus: BusClient(socketPath: "/nonexistent/bus.sock", service: "hotline", follows: [], logger: quietLogger()),
                                workers: 4)
    }

    @Test func actionsOnOneTicketRunInOrderInOneGroup() throws {
        let d = try driver()
        d.ticketOf.withLock { $0 = ["A1": "T1", "A2": "T1", "A3": "T2", "dispute D1": "T1"] }
        let ticket = SimulationWorkload.Ticket(channel: "app", ref: "r1", kind: "complaint", category: "c", urgency: "normal", phone: "p",
                                               region: "r", closedAtIntake: false, hour: 9)
        let groups = d.groupedByTicket([
            .reply(assignment: "A1", unit: "u1"), .submit([ticket]), .reply(assignment: "A3", unit: "u3"),
            .reply(assignment: "A2", unit: "u2"), .callback(ticket: "T1", outcome: .notReached), .decideDispute(id: "D1", approve: nil),
            .reply(assignment: "A9", unit: "u9"),  // a ticket the simulation has not seen: alone
        ])
        #expect(groups.map { $0.map(\.name) } == [
            ["reply A1", "reply A2", "callback T1", "dispute D1"], ["submit r1"], ["reply A3"], ["reply A9"],
        ])
    }

    @Test func theHoursRequestsAreAnsweredBeforeAnythingElseIsDone() throws {
        let d = try driver()
        d.ticketOf.withLock { $0 = ["A1": "T1"] }
        func request(_ ref: String) -> SimulationWorkload.Ticket {
            SimulationWorkload.Ticket(channel: "app", ref: ref, kind: "complaint", category: "c", urgency: "normal", phone: "p",
                                      region: "r", closedAtIntake: false, hour: 9)
        }
        let phases = d.phases([
            .callback(ticket: "T1", outcome: .notReached), .submit([request("r1")]), .reply(assignment: "A1", unit: "u1"),
            .spotCheck(ticket: "T2", outcome: "confirmed"), .submit([request("r2"), request("r3")]),
        ])
        #expect(phases.map { $0.map { $0.map(\.name) } } == [
            [["submit r1"], ["submit r2"]],
            [["callback T1", "reply A1"], ["spot check T2"]],
        ])
        #expect(d.phases([.reply(assignment: "A1", unit: "u1")]).count == 1)  // no empty phase to wait for
    }

    @Test func plannedActionsComeDueInAStableOrder() throws {
        let d = try driver()
        let at = Date(timeIntervalSince1970: 0)
        for a in ["A3", "A1", "A2"] { d.schedule(at, .reply(assignment: a, unit: "u")) }
        d.schedule(at.addingTimeInterval(-60), .decideExtension(assignment: "A9", approve: true))
        d.schedule(at.addingTimeInterval(3600), .reply(assignment: "A0", unit: "u"))  // not yet
        #expect(d.dueNow().map(\.name) == ["extension decision A9", "reply A1", "reply A2", "reply A3"])
        #expect(d.dueNow().isEmpty)
    }
}
