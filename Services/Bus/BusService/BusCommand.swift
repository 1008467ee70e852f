import FoundationEssentials
import Glibc
import HotlineBus
import HotlineCore

/// The `hotline-bus` process: configuration from the environment, then `BusServer`.
public enum BusCommand {
    public static let help = """
        hotline-bus — routes line-delimited JSON between the Hotline services over a Unix socket.

        Usage: hotline-bus [--help]

        Environment:
          HOTLINE_RUN_DIR            directory for the socket (default ./run); socket is RUN_DIR/bus.sock
          HOTLINE_BUS_SOCKET         explicit socket path (overrides RUN_DIR; at most 107 bytes)
          HOTLINE_BUS_MAX_LINE       longest accepted line in bytes (default 1048576)
          HOTLINE_BUS_MAX_QUEUE      bytes queued per connection before pushes are dropped (default 16777216)
          HOTLINE_BUS_ALLOWED_UIDS   comma-separated uids allowed besides the bus's own
          HOTLINE_BUS_ALLOWED_GIDS   comma-separated gids allowed
          HOTLINE_BUS_IDENTITIES     binds each name to peer uids, e.g.
                                     intake=10001,dispatch=10002,supervision=10003,survey=10004,kpi=10005,hotline=10000
                                     (a name may repeat for more uids); when set, a hello under a name
                                     from any other uid, or under a name not listed, is refused [unset: no binding]
          HOTLINE_LOG_LEVEL          trace|debug|info|notice|warning|error (default info)

        The socket is created with mode 0660; peers are checked with SO_PEERCRED.
        SIGTERM or SIGINT closes every connection and removes the socket.
        """

    /// Builds the server configuration from the environment.
    public static func configuration(_ env: EnvironmentReader) throws -> (BusServer.Configuration, Logger.Level) {
        let runDir = env.string("HOTLINE_RUN_DIR") ?? "run"
        var config = BusServer.Configuration(socketPath: env.string("HOTLINE_BUS_SOCKET") ?? runDir + "/bus.sock")
        guard config.socketPath.utf8.count < 108 else {
            throw ConfigurationError("bus socket path is longer than 107 bytes: \(config.socketPath)")
        }
        config.maxLine = try env.int("HOTLINE_BUS_MAX_LINE", default: BusNames.defaultMaxLine, range: 1024...(64 << 20))
        config.maxQueuedBytes = try env.int("HOTLINE_BUS_MAX_QUEUE", default: 16 << 20, range: (64 << 10)...(1 << 30))
        config.allowedUIDs = try ids(env.string("HOTLINE_BUS_ALLOWED_UIDS"), "HOTLINE_BUS_ALLOWED_UIDS")
        config.allowedGIDs = try ids(env.string("HOTLINE_BUS_ALLOWED_GIDS"), "HOTLINE_BUS_ALLOWED_GIDS")
        config.router.identities = try identities(env.string("HOTLINE_BUS_IDENTITIES"), known: config.router)
        let levelName = env.string("HOTLINE_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(name: levelName) else {
            throw ConfigurationError("HOTLINE_LOG_LEVEL=\(levelName) is not a log level")
        }
        return (config, level)
    }

    /// `name=uid,name=uid,…` → name → uids; every name must be a service or the admin name.
    public static func identities(_ text: String?, known: RouterCore.Configuration) throws -> [String: Set<UInt32>] {
        guard let text else { return [:] }
        var out: [String: Set<UInt32>] = [:]
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
            guard pair.count == 2, let uid = UInt32(pair[1]) else {
                throw ConfigurationError("HOTLINE_BUS_IDENTITIES must be name=uid pairs separated by commas (at '\(part)')")
            }
            guard known.services.contains(pair[0]) || known.admins.contains(pair[0]) else {
                throw ConfigurationError("HOTLINE_BUS_IDENTITIES names \(pair[0]), which is not a service on the bus (\(known.services.sorted().joined(separator: ", ")), \(known.admins.sorted().joined(separator: ", ")))")
            }
            out[pair[0], default: []].insert(uid)
        }
        return out
    }

    private static func ids(_ text: String?, _ name: String) throws -> Set<UInt32> {
        guard let text else { return [] }
        var out: Set<UInt32> = []
        for part in text.split(separator: ",") {
            guard let v = UInt32(part.trimmingWhitespace()) else {
                throw ConfigurationError("\(name) must be comma-separated numbers")
            }
            out.insert(v)
        }
        return out
    }

    /// Runs the bus until SIGTERM/SIGINT. - Returns: the exit status.
    public static func main(arguments: [String]) async -> Int32 {
        if arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
            print(help)
            return 0
        }
        if let unknown = arguments.dropFirst().first {
            writeToStandardError("hotline-bus: unknown argument \(unknown); see --help\n")
            return 64
        }
        let config: BusServer.Configuration
        let level: Logger.Level
        do {
            (config, level) = try configuration(EnvironmentReader())
            try FileManager.default.createDirectory(
                atPath: PathNames.directory(of: config.socketPath), withIntermediateDirectories: true)
        } catch let error as ConfigurationError {
            exitForConfiguration(error, program: "hotline-bus")
        } catch {
            exitForConfiguration(ConfigurationError("\(error)"), program: "hotline-bus")
        }
        let logger = Logger(service: "bus", level: level)
        // One bus per socket: a second would take the socket over from the running one.
        let lock: FileLock
        do {
            lock = try FileLock(path: config.socketPath + ".lock")
        } catch {
            logger.critical("cannot start: another bus serves this socket", ["error": "\(error)"])
            return 75
        }
        defer { withExtendedLifetime(lock) {} }
        let pidFile = PathNames.directory(of: config.socketPath) + "/bus.pid"
        try? "\(getpid())\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
        let server = BusServer(configuration: config, logger: logger)
        Signals.onTermination { sig in
            logger.info("stopping", ["signal": sig == 0 ? "supervisor gone" : String(sig)])
            server.stop()
        }
        do {
            try await server.run()
            return 0
        } catch {
            logger.critical("bus failed", ["error": "\(error)"])
            return 1
        }
    }
}
