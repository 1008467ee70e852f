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

    /// Starts everything, prints the URLs and a ready line, and supervises until stopped.
    public func run() async throws {
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
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
        // A child that ran a while restarts at once; one that keeps crashing backs off.
        if Date().timeIntervalSince(child.lastStart) > 30 { child.restarts = 0 }
        child.restarts += 1
        let delay = min(30, 0.5 * pow(2, Double(child.restarts - 1)))
        lock.unlock()
        if status == ConfigurationError.exitStatus {
            logger.critical("child has bad configuration; not restarting", ["child": child.name])
            return
        }
        logger.warning("child exited; restarting", ["child": child.name, "status": String(status), "delay.seconds": String(delay)])
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak self] in self?.start(child) }
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
