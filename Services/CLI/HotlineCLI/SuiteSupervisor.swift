import Foundation
import HotlineCore
import HotlineHTTP
import Synchronization

/// `hotline run`: starts the bus and the five services as child processes, restarts a child
/// that dies, and stops them all (services first, bus last) on SIGTERM/SIGINT.
public final class SuiteSupervisor: Sendable {
    public struct Options: Sendable {
        public var dataDirectory = "data"
        public var runDirectory = "run"
        public var configDirectory: String?
        public var databaseURL: String?
        public var manualClock = false
        /// Let every service pick a free port (tests); otherwise the defaults 8080–8084.
        public var anyPort = false
        public var binDirectory: String
        public var stopTimeout: TimeInterval = 15

        public init(binDirectory: String) { self.binDirectory = binDirectory }
    }

    /// The children, bus first.
    public static let programs: [(name: String, executable: String)] = [
        ("bus", "hotline-bus"), ("intake", "hotline-intake"), ("dispatch", "hotline-dispatch"),
        ("supervision", "hotline-supervision"), ("survey", "hotline-callback-survey"), ("kpi", "hotline-kpi"),
    ]

    private final class Child: @unchecked Sendable {
        // @unchecked: every mutable field is accessed under the supervisor's `lock`.
        let name: String
        let executable: String
        var process: Process?
        var restarts = 0
        var lastStart = Date.distantPast
        init(name: String, executable: String) {
            self.name = name
            self.executable = executable
        }
    }

    private let options: Options
    private let environment: [String: String]
    private let children: [Child]
    private let lock = NSLock()
    private let stopping = Atomic<Bool>(false)
    /// Set when `stop()` has finished: every child, the bus last, has exited.
    private let stopped = Atomic<Bool>(false)
    private let logger: Logger

    public init(options: Options, logger: Logger) throws {
        self.options = options
        self.logger = logger
        var env = ProcessInfo.processInfo.environment
        let absolute = { (p: String) in p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p }
        env["HOTLINE_RUN_DIR"] = absolute(options.runDirectory)
        env["HOTLINE_DATABASE_URL"] = options.databaseURL ?? "sqlite:" + absolute(options.dataDirectory)
        if let config = options.configDirectory { env["HOTLINE_CONFIG_DIR"] = absolute(config) }
        if options.manualClock { env["HOTLINE_CLOCK"] = "manual" }
        // One machine, the sample county: a demonstration unless told otherwise (HOTLINE_DEMO=0).
        env["HOTLINE_DEMO"] = env["HOTLINE_DEMO"] ?? "1"
        // Children stop by themselves when this process is gone, even by `kill -9`.
        env["HOTLINE_PARENT_PID"] = String(getpid())
        if options.anyPort {
            for service in ["intake", "dispatch", "supervision", "survey", "kpi"] { env["HOTLINE_\(service.uppercased())_PORT"] = "0" }
        }
        environment = env
        children = Self.programs.map { Child(name: $0.name, executable: options.binDirectory + "/" + $0.executable) }
        for c in children where !FileManager.default.isExecutableFile(atPath: c.executable) {
            throw ConfigurationError("\(c.executable) not found; build the package first (swift build)")
        }
    }

    public var runDirectory: String { environment["HOTLINE_RUN_DIR"]! }

    /// Another `hotline run` already uses the run or data directory.
    public struct AlreadyRunning: Error, CustomStringConvertible {
        public let description: String
    }

    /// One suite per run directory and per data directory, held until this process ends.
    private let locks = Mutex<[FileLock]>([])

    private func lockDirectories() throws {
        // The data directory is private (0700: it holds citizens' contacts); the run directory
        // keeps its mode, as the bus socket may serve a group.
        var directories: [(String, [FileAttributeKey: Any]?)] = [(runDirectory, nil)]
        if let url = environment["HOTLINE_DATABASE_URL"], url.hasPrefix("sqlite:") {
            directories.append((String(url.dropFirst(7)), [.posixPermissions: 0o700]))
        }
        var taken: [FileLock] = []
        for (dir, attributes) in directories {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: attributes)
            do {
                taken.append(try FileLock(path: dir + "/hotline.lock"))
            } catch let held as FileLock.Held {
                throw AlreadyRunning(description: "another hotline run" + (held.holder.map { " (pid \($0))" } ?? "")
                                     + " is using \(dir); stop it first, or pick other --data and --run-dir")
            }
        }
        locks.withLock { $0 = taken }
    }

    /// The HTTP port a service wrote to its `<service>.url` in `runDirectory` (nil when it has
    /// not, or not yet, written one).
    public static func port(runDirectory: String, service: String) -> Int? {
        let text = (try? String(contentsOfFile: runDirectory + "/\(service).url", encoding: .utf8)) ?? ""
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":").last ?? "")
    }

    /// Starts everything, prints the URLs and a ready line, and supervises until stopped.
    public func run() async throws {
        try lockDirectories()
        for name in Self.programs.map(\.name) where name != "bus" { unlink(runDirectory + "/\(name).url") }
        start(children[0])
        let socket = environment["HOTLINE_BUS_SOCKET"] ?? runDirectory + "/bus.sock"
        try await wait(timeout: 30, "the bus socket") { FileManager.default.fileExists(atPath: socket) }
        for child in children.dropFirst() { start(child) }
        var urls: [String: String] = [:]
        for (name, _) in Self.programs.dropFirst() {
            let file = runDirectory + "/\(name).url"
            try await wait(timeout: 60, "\(name) to listen") { FileManager.default.fileExists(atPath: file) }
            urls[name] = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        for (name, _) in Self.programs.dropFirst() {
            let url = urls[name]!
            try await wait(timeout: 60, "\(name) to be ready") { await Self.isReady(url) }
            say("\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(url)")
        }
        say("hotline: all services ready (data: \(environment["HOTLINE_DATABASE_URL"]!), run: \(runDirectory)); Ctrl-C stops")
        try await waitUntilStopped()
    }

    /// Returns once `stop()` has finished, not merely begun: returning earlier would let the
    /// process exit while children (the bus, stopped last) are still running.
    public func waitUntilStopped() async throws {
        while !stopped.load(ordering: .relaxed) { try await Task.sleep(nanoseconds: 50_000_000) }
    }

    static func isReady(_ url: String) async -> Bool {
        guard let port = Int(url.split(separator: ":").last ?? "") else { return false }
        return (try? await HTTPClient(port: port).request("GET", "/readyz").status) == 200
    }

    private func wait(timeout: TimeInterval, _ what: String, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stopping.load(ordering: .relaxed) {
                try await waitUntilStopped()
                throw CancellationError()
            }
            if await condition() { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw ConfigurationError("timed out waiting for \(what)")
    }

    private func start(_ child: Child) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: child.executable)
        process.environment = environment
        process.terminationHandler = { [weak self] p in self?.exited(child, p) }
        lock.lock()
        defer { lock.unlock() }
        guard !stopping.load(ordering: .relaxed) else { return }
        do {
            try process.run()
            child.process = process
            child.lastStart = Date()
            logger.info("started", ["child": child.name, "pid": String(process.processIdentifier)])
        } catch {
            logger.error("cannot start", ["child": child.name, "error": "\(error)"])
        }
    }

    private func exited(_ child: Child, _ process: Process) {
        guard !stopping.load(ordering: .relaxed) else { return }
        let status = process.terminationStatus
        lock.lock()
        // A child that ran a while restarts at once; one that keeps crashing backs off. The
        // bus holds nothing durable and every service waits on it: back within a second.
        if Date().timeIntervalSince(child.lastStart) > 30 { child.restarts = 0 }
        child.restarts += 1
        let delay = Self.restartDelay(child.name, restarts: child.restarts)
        lock.unlock()
        if status == ConfigurationError.exitStatus {
            logger.critical("child has bad configuration; not restarting", ["child": child.name])
            return
        }
        logger.warning("child exited; restarting", ["child": child.name, "status": String(status), "delay.seconds": String(delay)])
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak self] in self?.start(child) }
    }

    /// Seconds before restarting a child that exited for the `restarts`-th time in a row:
    /// the bus within a second always (it holds nothing durable and every service waits on
    /// it); a service backs off from 0.5 s to 30 s, so one that crashes at start does not spin.
    public static func restartDelay(_ child: String, restarts: Int) -> TimeInterval {
        let doubling = pow(2, Double(max(0, min(restarts, 20) - 1)))
        return child == "bus" ? min(1, 0.1 * doubling) : min(30, 0.5 * doubling)
    }

    /// The pid of a running child (tests kill children to check recovery).
    public func pid(of name: String) -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        return children.first { $0.name == name }?.process.flatMap { $0.isRunning ? $0.processIdentifier : nil }
    }

    /// Stops the services, then the bus; SIGKILL after the timeout.
    public func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        defer { stopped.store(true, ordering: .relaxed) }
        for group in [Array(children.dropFirst()), [children[0]]] {
            lock.lock()
            let processes = group.compactMap(\.process).filter(\.isRunning)
            lock.unlock()
            for p in processes { kill(p.processIdentifier, SIGTERM) }
            let deadline = Date().addingTimeInterval(options.stopTimeout)
            while processes.contains(where: \.isRunning) && Date() < deadline { usleep(50_000) }
            for p in processes where p.isRunning {
                logger.warning("child did not stop in time; killing", ["pid": String(p.processIdentifier)])
                kill(p.processIdentifier, SIGKILL)
            }
        }
    }
}

/// Writes a line to stdout at once (print is block-buffered when stdout is a pipe).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
