import FoundationEssentials
import Glibc
import HotlineCore
import HotlineDomain
import HotlineStorage

/// A service process's settings: defaults < environment, validated once at start.
public struct ServiceSettings: Sendable {
    public var service: String
    public var httpHost: String
    public var httpPort: Int
    public var database: DatabaseURL
    public var runDirectory: String
    public var configDirectory: String
    public var manualClock: Bool
    public var timeZone: TimeZone
    public var logLevel: Logger.Level
    public var busSocket: String
    /// The most writes one group commit carries (1 = a commit per write).
    public var maxBatch: Int = 512
    /// Microseconds a busy writer waits for more writes to share a thin commit (0 = never).
    public var commitDelay: Int = 300
    /// SQLite: the writer commits the next batch while the last one's log sync runs
    /// (`LogSyncer`). Not configurable: only a benchmark's side-by-side run turns it off.
    public var pipelinesSyncs = true
    /// Open HTTP connections in all, and from one peer address (503 beyond either).
    public var httpMaxConnections = 1024
    public var httpMaxConnectionsPerPeer = 256
    /// When set, `/metrics` answers only `Authorization: Bearer <it>` (a scraper's secret).
    public var metricsToken: String?
    /// `HOTLINE_CREDENTIALS_FILE`: tokens and channel keys from this file instead of
    /// staff.json and channels.json (a mounted secret); re-read when it changes.
    public var credentialsFile: String?

    /// The default HTTP port of each service.
    public static let defaultPorts = ["intake": 8080, "dispatch": 8081, "supervision": 8082, "survey": 8083, "kpi": 8084]

    /// The environment variable holding a service's own database URL (its own PostgreSQL
    /// role), e.g. `HOTLINE_INTAKE_DATABASE_URL`; it overrides `HOTLINE_DATABASE_URL`.
    public static func databaseVariable(_ service: String) -> String { "HOTLINE_\(service.uppercased())_DATABASE_URL" }

    /// Where a service's HTTP API also listens on this host (a Unix socket in the run directory).
    public static func httpSocket(runDirectory: String, service: String) -> String { runDirectory + "/\(service).http.sock" }

    /// The environment variable holding a service's port, e.g. `HOTLINE_INTAKE_PORT`.
    public static func portVariable(_ service: String) -> String { "HOTLINE_\(service.uppercased())_PORT" }

    public static func help(service: String, executable: String, summary: String, extra: String = "") -> String {
        """
        \(executable) — \(summary)

        Usage: \(executable) [--help]

        Environment (defaults in brackets):
          HOTLINE_DATABASE_URL   sqlite:DIR (one file per service) or a PostgreSQL URL/conninfo [sqlite:data]
          \(databaseVariable(service))
                                 this service's own URL (its PostgreSQL role); overrides the above;
                                 either may instead come from a file: the name + _FILE
          HOTLINE_RUN_DIR        where the bus socket and the <service>.url files live, and the
                                 service's API also listens on RUN_DIR/<service>.http.sock [run]
          HOTLINE_BUS_SOCKET     explicit bus socket path [RUN_DIR/bus.sock]
          HOTLINE_CONFIG_DIR     county configuration directory [deploy/config]
          \(String((portVariable(service) + String(repeating: " ", count: 22)).prefix(22))) HTTP port; 0 picks a free one [\(defaultPorts[service] ?? 0)]
          HOTLINE_HTTP_HOST      address to listen on [127.0.0.1]
          HOTLINE_CLOCK          system | manual (follow `hotline clock`) [system]
          HOTLINE_TIMEZONE       zone for calendars and periods [the county's, Asia/Shanghai]
          HOTLINE_LOG_LEVEL      trace|debug|info|notice|warning|error [info]
          HOTLINE_METRICS_TOKEN  when set (or HOTLINE_METRICS_TOKEN_FILE), /metrics requires it as a bearer token [open]
          HOTLINE_CREDENTIALS_FILE  staff tokens and channel keys (hashes) from this JSON file
                                 instead of staff.json/channels.json; either source is re-read
                                 within seconds of a change (rotation, revocation) [unset]
          HOTLINE_DEMO           1: a demonstration; the sample county's public tokens are allowed
                                 (hotline run sets it); otherwise they are refused at start (78) [unset]
          HOTLINE_DB_MAX_BATCH   most writes grouped into one commit; 1 disables group commit [512]
          HOTLINE_DB_COMMIT_DELAY_US  microseconds a busy writer waits for more writes to share a
                                 thin commit (only while commits average 8+ writes); 0 never waits [300]
          HOTLINE_HTTP_MAX_CONNECTIONS  open connections in all; beyond, 503 [1024]
          HOTLINE_HTTP_MAX_CONNECTIONS_PER_PEER  open connections from one address; beyond, 503 [256]
        \(extra.isEmpty ? "" : extra + "\n")
        Serves /healthz, /readyz and /metrics besides its API. SIGTERM or SIGINT stops it
        gracefully: no new requests, in-flight requests and transactions finish.
        Exit status 78 on bad configuration.
        """
    }

    public static func fromEnvironment(service: String, _ env: EnvironmentReader = EnvironmentReader()) throws
        -> ServiceSettings
    {
        let runDir = env.string("HOTLINE_RUN_DIR") ?? "run"
        let busSocket = env.string("HOTLINE_BUS_SOCKET") ?? runDir + "/bus.sock"
        guard busSocket.utf8.count < 108 else { throw ConfigurationError("bus socket path longer than 107 bytes: \(busSocket)") }
        let clock = env.string("HOTLINE_CLOCK") ?? "system"
        guard clock == "system" || clock == "manual" else {
            throw ConfigurationError("HOTLINE_CLOCK must be system or manual, not \(clock)")
        }
        let zoneName = env.string("HOTLINE_TIMEZONE") ?? "Asia/Shanghai"
        guard let zone = NamedTimeZone.named(zoneName) else { throw ConfigurationError("unknown HOTLINE_TIMEZONE \(zoneName)") }
        let levelName = env.string("HOTLINE_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(name: levelName) else {
            throw ConfigurationError("HOTLINE_LOG_LEVEL=\(levelName) is not a log level")
        }
        let host = env.string("HOTLINE_HTTP_HOST") ?? "127.0.0.1"
        var probe = in_addr()
        guard inet_pton(AF_INET, host, &probe) == 1 else { throw ConfigurationError("HOTLINE_HTTP_HOST must be an IPv4 address") }
        var settings = ServiceSettings(
            service: service, httpHost: host,
            httpPort: try env.int(portVariable(service), default: defaultPorts[service] ?? 0, range: 0...65535),
            database: try DatabaseURL.parse(try env.secret(databaseVariable(service)) ?? env.secret("HOTLINE_DATABASE_URL") ?? "sqlite:data"),
            runDirectory: runDir, configDirectory: env.string("HOTLINE_CONFIG_DIR") ?? "deploy/config",
            manualClock: clock == "manual", timeZone: zone, logLevel: level, busSocket: busSocket)
        settings.maxBatch = try env.int("HOTLINE_DB_MAX_BATCH", default: 512, range: 1...10_000)
        settings.commitDelay = try env.int("HOTLINE_DB_COMMIT_DELAY_US", default: 300, range: 0...10_000)
        settings.httpMaxConnections = try env.int("HOTLINE_HTTP_MAX_CONNECTIONS", default: 1024, range: 1...100_000)
        settings.httpMaxConnectionsPerPeer = try env.int("HOTLINE_HTTP_MAX_CONNECTIONS_PER_PEER", default: 256, range: 1...100_000)
        settings.metricsToken = try env.secret("HOTLINE_METRICS_TOKEN")
        settings.credentialsFile = env.string("HOTLINE_CREDENTIALS_FILE")
        return settings
    }
}
