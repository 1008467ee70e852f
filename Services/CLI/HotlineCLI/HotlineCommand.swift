import BusService
import Foundation
import HotlineBus
import HotlineCore
import HotlineHTTP

/// The `hotline` command line.
public enum HotlineCommand {
    public static let help = """
        hotline — run and operate the Hotline suite on one machine.

        Usage:
          hotline run [--data DIR] [--run-dir DIR] [--config DIR] [--database URL] [--clock manual] [--any-port]
              Start the bus and the five services (embedded SQLite in DIR, default ./data; the sample
              county from deploy/config). Prints each URL and a line when all are ready, restarts a
              child that dies, stops them all on Ctrl-C / SIGTERM; children also stop if this process
              is killed. One suite per run and data directory: a second exits with status 75.
          hotline clock set TIME            Set the manual clock (ISO 8601, e.g. 2026-11-23T09:00:00+08:00).
          hotline clock advance DURATION    Move it forward (e.g. 90m, 3d, 1d12h).
              Both return once every service has applied the new time (each service's /readyz shows
              its clock), waiting up to 30 s for one that is restarting; exit 3 when one is still not
              connected then, or runs on the system clock.
          hotline dead-letters list [SERVICE]
          hotline dead-letters redrive SERVICE STREAM SEQ
              List or re-drive events a service could not apply (needs HOTLINE_ADMIN_TOKEN).
          hotline admin rebuild SERVICE [--no-wait]
              Recompute a service's projection from its streams (kpi): empty its tables, fetch every
              followed stream from seq 1 and apply it again; waits until it has caught up, printing
              progress (needs HOTLINE_ADMIN_TOKEN).
          hotline audit recompute --period PERIOD [--json]
              Re-read every stream kpi follows from seq 1, verify each hash chain, recompute the
              period's figures (2026-10, 2026-W43, 2026-10-05 or 2026-10-01..2026-10-16) and list
              every cell that differs from the live ones; prints each stream's head hash. Exit 0 when
              identical, 2 when different or a chain is broken (needs HOTLINE_AUDITOR_TOKEN or
              HOTLINE_ADMIN_TOKEN).
          hotline token new --role ROLE [--unit UNIT] --name NAME | --channel CHANNEL
              Print a fresh random token (once) and the configuration line holding its SHA-256.
          hotline probe [SERVICE]
              A container health check: exit 0 when the service's /readyz on this host answers 200
              (bus: when its socket accepts a connection). SERVICE defaults to $HOTLINE_SERVICE.
          hotline simulate [--days N] [--tickets-per-day N] [--seed S] [--start DATE] [--speed max] [--workers N]
                  [--database URL | --run-dir DIR [--config DIR]] [--report FILE] [--quiet]
              A county's days through the real APIs on the manual clock (default: 7 days of 300 requests
              from 2026-11-02, seed 1, in a suite of its own, SQLite unless --database; --run-dir drives a
              running `hotline run --clock manual` with the demo tokens, under its channels' rate limits,
              which its own suite lifts: a few tickets a second there). Channels submit, the centre
              dispatches and decides, units work by their profiles, agents call back, the centre
              spot-checks; a progress line on a terminal; ends with the counts, tickets/s of the whole
              lifecycle, each process's CPU seconds and MB written per 1,000 tickets, the ranking and the
              SHA-256 of the month's published report — the same seed gives the same bytes on any machine (--report
              FILE writes them). --workers: clients sending at once (default 128). Exit 2 when the suite
              refused a request (409s — work that moved on meanwhile — are counted as overtaken).
              Ctrl-C stops the suite it started and removes its files (exit 130; so do bench, chaos, soak).
          hotline chaos [--rounds N] [--mode services|supervisor] [--database URL [--postgres-data DIR]]
                  [--days N] [--tickets-per-day N] [--seed S] [--start DATE] [--workers N]
              The same simulation twice (default 4 days of 200 requests from 2026-11-27, 10 rounds): once
              without faults on SQLite, once while every few seconds a process gets SIGKILL — the bus or a
              service (mode services; with --postgres-data, PostgreSQL restarted in immediate mode too) or
              `hotline run` itself (mode supervisor, started again on the same data). Then checks every
              acknowledged ticket is stored once, every stream holds the same events by type and number as
              the fault-free run, every hash chain verifies, no dead letters, and the final report is byte
              for byte the fault-free one. Prints each round and a verdict; exit 0 on PASS, 1 on FAIL.
              --database: a fresh PostgreSQL database for the chaos run.
          hotline soak [--minutes N] [--rate PER_SECOND] [--connections C] [--database URL]
              The whole suite under a constant offered load (default 10 minutes at 1,000 tickets/s, open
              loop from a separate process): each minute every process's RSS, the lag and the p99; then a
              verdict — memory growth under 10% after the warm-up (the first fifth), lag bounded, drained.
          hotline bench bus [--events N]
          hotline bench intake [--tickets N] [--connections C] [--rate PER_SECOND] [--database URL] [--only baseline|group|pipelined]
          hotline bench dispatch [--events N] [--rate PER_SECOND] [--database URL]
          hotline bench supervision [--deadlines N] [--database URL]
          hotline bench kpi [--tickets N] [--database URL] [--keep DIR]
          hotline bench startup [--database URL]
              (cold start of `hotline run` to every service ready, on new and on existing data, and the
              six processes' idle RSS; targets ≤ 2 s and ≤ 150 MB together, exit 1 when one is missed)
          hotline bench hash
              (SHA-256 on the processor's SHA instructions against the portable Swift code)
          hotline bench suite [--tickets N] [--connections C] [--rate PER_SECOND] [--database URL] [--peer URL TOKEN]
              (the whole suite under `hotline run`, intake driven over HTTP from a separate process;
              --peer: the same runs against django-helpdesk, deploy/scripts/peer-helpdesk.sh starts one)
              Benchmarks that print their figures (see README).
          hotline --help

        Environment: HOTLINE_RUN_DIR (default ./run) locates the bus socket and the services' URLs.
        """

    public static func main(arguments: [String]) async -> Int32 {
        var args = Array(arguments.dropFirst())
        guard let command = args.first, command != "--help", command != "-h", command != "help" else {
            print(help)
            return 0
        }
        args.removeFirst()
        if args.contains(where: { $0 == "--help" || $0 == "-h" }) {
            guard let usage = usage(of: command) else {
                FileHandle.standardError.write(Data("hotline: unknown command \(command); see hotline --help\n".utf8))
                return 64
            }
            print(usage)
            return 0
        }
        if ["bench", "simulate", "chaos", "soak"].contains(command) { ScratchSpace.cleanUpOnTermination() }
        let status = await perform(command, args)
        // A run whose suite Ctrl-C is stopping fails as the suite goes; the handler still has
        // directories to remove and its own exit status to give.
        ScratchSpace.waitIfStopping()
        return status
    }

    /// Runs one subcommand and turns what it throws into a message and an exit status.
    private static func perform(_ command: String, _ args: [String]) async -> Int32 {
        do {
            switch command {
            case "run": return try await run(args)
            case "clock": return try await clock(args)
            case "dead-letters": return try await deadLetters(args)
            case "admin": return try await AdminCommand.main(args)
            case "audit": return try await AuditCommand.main(args)
            case "token": return try TokenCommand.main(args)
            case "probe": return try await ProbeCommand.main(args)
            case "bench": return try await Bench.main(args)
            case "simulate": return try await SimulateCommand.main(args)
            case "chaos": return try await ChaosCommand.main(args)
            case "soak": return try await SoakCommand.main(args)
            default:
                FileHandle.standardError.write(Data("hotline: unknown command \(command); see hotline --help\n".utf8))
                return 64
            }
        } catch where ScratchSpace.isStopping {
            return 1
        } catch let error as SuiteSupervisor.AlreadyRunning {
            FileHandle.standardError.write(Data("hotline: \(error.description)\n".utf8))
            return 75
        } catch let error as UsageError {
            FileHandle.standardError.write(Data("hotline: \(error.message); see hotline --help\n".utf8))
            return 64
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("hotline: \(error.description)\n".utf8))
            return ConfigurationError.exitStatus
        } catch {
            FileHandle.standardError.write(Data("hotline: \(error)\n".utf8))
            return 1
        }
    }

    /// The part of `help` about `command`: its usage lines and the text indented under them.
    static func usage(of command: String) -> String? {
        var out: [String] = []
        var inside = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  hotline ") {
                let words = line.split(separator: " ")
                inside = words.count > 1 && words[1] == command
            } else if !line.hasPrefix("      ") {
                inside = false
            }
            if inside { out.append(String(line)) }
        }
        return out.isEmpty ? nil : "Usage:\n" + out.joined(separator: "\n")
    }

    struct UsageError: Error {
        let message: String
    }

    /// Pops `--flag VALUE` pairs and bare `--flag`s off an argument list.
    struct Flags {
        var values: [String: String] = [:]
        var switches: Set<String> = []
        var positional: [String] = []

        init(_ args: [String], valued: Set<String>, switches known: Set<String>) throws {
            var i = 0
            while i < args.count {
                let a = args[i]
                if valued.contains(a) {
                    guard i + 1 < args.count else { throw UsageError(message: "\(a) needs a value") }
                    values[a] = args[i + 1]
                    i += 2
                } else if known.contains(a) {
                    switches.insert(a)
                    i += 1
                } else if a.hasPrefix("--") {
                    throw UsageError(message: "unknown option \(a)")
                } else {
                    positional.append(a)
                    i += 1
                }
            }
        }
    }

    /// The directory holding the suite's executables: the one this binary is in.
    static var binDirectory: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }

    /// `deploy/config` found by walking up from the working directory, then from the binary.
    static func defaultConfigDirectory() -> String? {
        for start in [FileManager.default.currentDirectoryPath, binDirectory] {
            var dir = start
            while dir != "/" && !dir.isEmpty {
                let candidate = dir + "/deploy/config"
                if FileManager.default.fileExists(atPath: candidate + "/county.json") { return candidate }
                dir = (dir as NSString).deletingLastPathComponent
            }
        }
        return nil
    }

    static func run(_ args: [String]) async throws -> Int32 {
        let flags = try Flags(args, valued: ["--data", "--run-dir", "--config", "--database", "--clock"], switches: ["--any-port"])
        guard flags.positional.isEmpty else { throw UsageError(message: "unexpected \(flags.positional[0])") }
        var options = SuiteSupervisor.Options(binDirectory: binDirectory)
        options.dataDirectory = flags.values["--data"] ?? "data"
        options.runDirectory = flags.values["--run-dir"] ?? ProcessInfo.processInfo.environment["HOTLINE_RUN_DIR"] ?? "run"
        options.configDirectory = flags.values["--config"] ?? ProcessInfo.processInfo.environment["HOTLINE_CONFIG_DIR"]
            ?? defaultConfigDirectory()
        options.databaseURL = flags.values["--database"]
        if let clock = flags.values["--clock"] {
            guard clock == "manual" || clock == "system" else { throw UsageError(message: "--clock is manual or system") }
            options.manualClock = clock == "manual"
        }
        options.anyPort = flags.switches.contains("--any-port")
        guard options.configDirectory != nil else {
            throw ConfigurationError("no county configuration found; pass --config DIR")
        }
        let logger = Logger(service: "hotline")
        let supervisor = try SuiteSupervisor(options: options, logger: logger)
        Signals.onTermination { _ in
            logger.info("stopping the suite")
            supervisor.stop()
        }
        do {
            try await supervisor.run()
        } catch is CancellationError {
        } catch {
            supervisor.stop()
            throw error
        }
        logger.info("suite stopped")
        return 0
    }

    static func busSocket() -> String {
        let env = ProcessInfo.processInfo.environment
        return env["HOTLINE_BUS_SOCKET"] ?? (env["HOTLINE_RUN_DIR"] ?? "run") + "/bus.sock"
    }

    static func clock(_ args: [String]) async throws -> Int32 {
        guard args.count == 2, ["set", "advance"].contains(args[0]) else {
            throw UsageError(message: "use: hotline clock set TIME | hotline clock advance DURATION")
        }
        let client = BusClient(socketPath: busSocket(), service: BusNames.admin, follows: [], logger: Logger(service: "hotline", level: .warning))
        let task = Task { await client.run() }
        defer {
            client.stop()
            task.cancel()
        }
        var current: Date?
        var connected = false
        let deadline = Date().addingTimeInterval(5)
        var iterator = client.notifications.makeAsyncIterator()
        let waiter = Task {
            try await Task.sleep(nanoseconds: 5_000_000_000)
            client.stop()
        }
        while Date() < deadline, let note = await iterator.next() {
            if case .connected(let clock) = note {
                current = clock
                connected = true
                break
            }
        }
        waiter.cancel()
        guard connected else { throw ConfigurationError("cannot reach the bus at \(busSocket()); is `hotline run` running?") }
        let target: Date
        if args[0] == "set" {
            guard let t = Timestamp.parse(args[1]) else { throw UsageError(message: "\(args[1]) is not an ISO 8601 time with a zone") }
            target = t
        } else {
            guard let seconds = DurationText.parse(args[1]), seconds > 0 else { throw UsageError(message: "\(args[1]) is not a duration") }
            guard let now = current else { throw ConfigurationError("the manual clock is not set yet; use hotline clock set first") }
            target = now.addingTimeInterval(seconds)
        }
        if let now = current, target <= now {
            throw UsageError(message: "the clock only moves forward (it is \(Timestamp.format(now)))")
        }
        // Returns once every connected service has applied the move (bus `clock-applied`), so a
        // request made next is stamped with the new time.
        // A service restarting just now takes the clock when it connects: asked again for up to
        // 30 s until all five have it.
        var moved = try await client.moveClock(to: target)
        var missing = BusNames.services.filter { !moved.services.contains($0) }
        let patience = Date().addingTimeInterval(30)
        while !missing.isEmpty && Date() < patience {
            try await Task.sleep(nanoseconds: 200_000_000)
            moved = try await client.moveClock(to: target)
            missing = BusNames.services.filter { !moved.services.contains($0) }
        }
        print("clock: \(Timestamp.format(moved.at)) (applied by \(moved.services.isEmpty ? "no service" : moved.services.joined(separator: ", ")))")
        guard missing.isEmpty else {
            FileHandle.standardError.write(Data(
                "hotline: not applied by \(missing.joined(separator: ", ")): not connected to the bus or on the system clock; a service takes the clock when it connects\n".utf8))
            return 3
        }
        return 0
    }

    static func deadLetters(_ args: [String]) async throws -> Int32 {
        switch args.first {
        case "list":
            let services = args.count > 1 ? [args[1]] : ["intake", "dispatch", "supervision", "survey", "kpi"]
            for s in services {
                let r = try await ServiceClient(s).request("GET", "/v1/admin/dead-letters")
                print("\(s): \(r.text)")
            }
            return 0
        case "redrive":
            guard args.count == 4 else { throw UsageError(message: "use: hotline dead-letters redrive SERVICE STREAM SEQ") }
            let r = try await ServiceClient(args[1]).request("POST", "/v1/admin/dead-letters/\(args[2])/\(args[3])/redrive")
            print(r.text)
            return r.status == 200 ? 0 : 1
        default:
            throw UsageError(message: "use: hotline dead-letters list|redrive")
        }
    }
}
