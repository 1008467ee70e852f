import Foundation
import HotlineCore
import HotlineHTTP
import HotlineStorage
import Synchronization

/// The whole suite launched as real processes by `hotline run`, in private directories,
/// for end-to-end tests.
public final class RunningSuite: @unchecked Sendable {
    // @unchecked: fields are set in `start` before the suite is shared and not mutated after.
    public let engine: TestEngine
    public let directory: URL
    public let databaseURL: String
    public private(set) var ports: [String: Int] = [:]
    private let process: Process
    private let postgresDatabase: String?
    private let stopped = Atomic<Bool>(false)
    /// A later suite took over the directories and database: stopping leaves them alone.
    private let handedOver = Atomic<Bool>(false)

    /// The directory with the built executables (next to the test bundle).
    public static var binDirectory: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }

    private init(engine: TestEngine, directory: URL, databaseURL: String, process: Process, postgresDatabase: String?) {
        self.engine = engine
        self.directory = directory
        self.databaseURL = databaseURL
        self.process = process
        self.postgresDatabase = postgresDatabase
    }

    /// Starts `hotline run` and waits until every service is ready.
    /// - Parameter dataDirectory: where SQLite files go (default: inside the suite's directory).
    /// - Parameter logLevel: what the services log into `suite.log` (`logText`).
    /// - Parameter postgresServer: the server's URL for a PostgreSQL suite (default: the tests' server).
    public static func start(engine: TestEngine, manualClock: Bool = false, dataDirectory: String? = nil, logLevel: String = "warning",
                             postgresServer: String? = nil) async throws -> RunningSuite
    {
        await SuiteSlot.shared.acquire()
        let dir: URL
        var databaseURL: String
        var pgName: String?
        do {
            dir = try TemporaryDirectory.make()
            databaseURL = "sqlite:" + (dataDirectory ?? dir.path + "/data")
            if engine == .postgres {
                // psql runs on a thread of its own, not on one of the few every async test shares.
                (databaseURL, pgName) = try await onThread {
                    let (url, name) = try makePostgresDatabase(prefix: "hl_e2e_", server: postgresServer)
                    // As in production: every service under its own role, in its own schema.
                    try runPSQLFile(url, SampleCounty.repositoryRoot + "/deploy/postgres/init.sql")
                    return (url, name)
                }
            }
        } catch {
            await SuiteSlot.shared.release()
            throw error
        }
        // From here the suite object holds the slot: `stop()` (also on a failed start) gives it back.
        return try await launch(engine: engine, dir: dir, databaseURL: databaseURL, pgName: pgName, manualClock: manualClock, logLevel: logLevel)
    }

    /// A new `hotline run` on the directories and database of `old`, whose process has
    /// ended (killed, or stopped); `old` then leaves them to the new suite.
    public static func restart(after old: RunningSuite) async throws -> RunningSuite {
        old.handedOver.store(true, ordering: .relaxed)
        return try await launch(engine: old.engine, dir: old.directory, databaseURL: old.databaseURL, pgName: old.postgresDatabase,
                                manualClock: false, logLevel: "warning")
    }

    /// The `hotline run` command line for these directories (tests start a second one).
    public var runArguments: [String] {
        ["run", "--any-port", "--run-dir", directory.path + "/run", "--database", databaseURL, "--config", SampleCounty.directory]
    }

    /// Sends SIGKILL to `hotline run` itself (not its children) and waits until it is gone.
    public func killSupervisor() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private static func launch(engine: TestEngine, dir: URL, databaseURL: String, pgName: String?, manualClock: Bool, logLevel: String) async throws
        -> RunningSuite
    {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binDirectory + "/hotline")
        var args = ["run", "--any-port", "--run-dir", dir.path + "/run", "--database", databaseURL, "--config", SampleCounty.directory]
        if manualClock { args += ["--clock", "manual"] }
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["HOTLINE_LOG_LEVEL"] = logLevel
        if engine == .postgres {
            // Each service connects as its own role (init.sql); tests inspect as the superuser.
            for service in ["intake", "dispatch", "supervision", "survey", "kpi"] {
                env["HOTLINE_\(service.uppercased())_DATABASE_URL"] = databaseURL + (databaseURL.contains("?") ? "&" : "?") + "user=hotline_\(service)"
            }
        }
        p.environment = env
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let log = FileManager.default.createFile(atPath: dir.path + "/suite.log", contents: nil)
        if log { p.standardError = FileHandle(forWritingAtPath: dir.path + "/suite.log") }
        try p.run()
        let suite = RunningSuite(engine: engine, directory: dir, databaseURL: databaseURL, process: p, postgresDatabase: pgName)
        do {
            try await waitUntil(timeout: 90) {
                guard try suite.readPorts() else { return false }
                return await suite.allReady()
            }
        } catch {
            suite.stop()
            throw SuiteError(message: "suite did not become ready: \(suite.logTail())")
        }
        return suite
    }

    public struct SuiteError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    private func readPorts() throws -> Bool {
        for s in ["intake", "dispatch", "supervision", "survey", "kpi"] {
            guard let text = try? String(contentsOfFile: directory.path + "/run/\(s).url", encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":").last ?? "")
            else { return false }
            ports[s] = port
        }
        return true
    }

    /// Whether every service answers `/readyz` with 200.
    public func allReady() async -> Bool {
        for (_, port) in ports {
            guard (try? await HTTPClient(port: port).request("GET", "/readyz").status) == 200 else { return false }
        }
        return ports.count == 5
    }

    /// A client for a service's current port (a restarted child may listen on a new one).
    public func client(_ service: String) -> HTTPClient {
        let text = (try? String(contentsOfFile: directory.path + "/run/\(service).url", encoding: .utf8)) ?? ""
        let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":").last ?? "") ?? ports[service]!
        return HTTPClient(port: port)
    }

    /// Sends a JSON request with a bearer token.
    public func call(_ service: String, _ method: String, _ path: String, token: String, json: String? = nil) async throws
        -> HTTPClient.Response
    {
        var headers = [("Authorization", "Bearer \(token)")]
        if json != nil { headers.append(("Content-Type", "application/json")) }
        return try await client(service).request(method, path, headers: headers, body: Array((json ?? "").utf8))
    }

    /// The pid a child wrote into the run directory.
    public func pid(_ name: String) -> Int32? {
        (try? String(contentsOfFile: directory.path + "/run/\(name).pid", encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Sends `signal` to a child and waits until the supervisor has started a new one.
    public func kill(_ name: String, signal: Int32 = SIGKILL) async throws {
        guard let old = pid(name) else { throw SuiteError(message: "no pid for \(name)") }
        Foundation.kill(old, signal)
        try await waitUntil(timeout: 30) { [self] in
            if let new = pid(name), new != old, Foundation.kill(new, 0) == 0 { return true }
            return false
        }
    }

    /// Opens a service's database read-side (to check exactly-once effects directly).
    public func database(_ schema: String) throws -> Database {
        try Database(url: try DatabaseURL.parse(databaseURL), schema: schema, logger: quietLogger(), readers: 1)
    }

    /// Everything the suite and its services logged so far.
    public func logText() -> String { (try? String(contentsOfFile: directory.path + "/suite.log", encoding: .utf8)) ?? "" }

    public func logTail() -> String {
        let text = (try? String(contentsOfFile: directory.path + "/suite.log", encoding: .utf8)) ?? ""
        return String(text.suffix(3000))
    }

    /// Stops the suite with SIGTERM, as an operator would, and waits.
    /// - Returns: the exit status of `hotline run` (nil if it had to be killed).
    public func terminate() -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// The suite's children still running (zombies count as gone), after up to `grace` seconds.
    public func childrenAlive(grace: TimeInterval = 10) -> [String] {
        func running(_ pid: Int32, _ name: String) -> Bool {
            // PIDs are recycled quickly when tests start many threads: check it is still ours.
            let executable = name == "survey" ? "hotline-callback-survey" : "hotline-\(name)"
            guard let cmdline = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
                cmdline.contains(executable),
                let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
            else { return false }
            // Field 3 of /proc/PID/stat is the state; Z is a zombie, X dead.
            let state = status.split(separator: ")").last?.split(separator: " ").first
            return state != "Z" && state != "X"
        }
        let names = ["bus", "intake", "dispatch", "supervision", "survey", "kpi"]
        let deadline = Date().addingTimeInterval(grace)
        var alive = names
        repeat {
            alive = names.filter { name in pid(name).map { running($0, name) } ?? false }
            if alive.isEmpty { break }
            usleep(100_000)
        } while Date() < deadline
        return alive
    }

    /// Stops the suite (SIGTERM) and removes everything it made.
    public func stop() {
        // Tests stop a suite early and again on the way out; the second call has nothing to do.
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        }
        if handedOver.load(ordering: .relaxed) { return }
        // The slot goes to the next suite (a restart took it over with the directories). Not
        // awaited: `stop()` is synchronous and may run on one of the cooperative pool's threads.
        Task { await SuiteSlot.shared.release() }
        if let name = postgresDatabase { dropPostgresDatabase(name) }
        if let keep = ProcessInfo.processInfo.environment["HOTLINE_TEST_KEEP_LOGS"] {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try? FileManager.default.copyItem(atPath: directory.path + "/suite.log", toPath: keep + "/" + directory.lastPathComponent + ".log")
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Whether the suite process is still running (it exits only when told to).
    public var isRunning: Bool { process.isRunning }
}
