import FoundationEssentials
import Glibc
import HotlineCore
import HotlineDomain
import HotlineHTTP

/// Keeps a running service's tokens and channel keys in step with their source, so that
/// rotating or revoking one needs no restart: every couple of seconds it looks at the source
/// files' identity (inode, size, modification time — a Kubernetes secret update swaps a
/// symlink, an editor renames a new file in), and on a change reads, checks and installs
/// them. A source that no longer reads or checks keeps the previous set and is logged.
struct CredentialsWatcher: Sendable {
    /// The credentials file, or the configuration directory's staff.json and channels.json.
    let credentialsFile: String?
    let configDirectory: String
    let demoMode: Bool
    let interval: Duration

    init(settings: ServiceSettings, demoMode: Bool, interval: Duration = .seconds(2)) {
        self.credentialsFile = settings.credentialsFile
        self.configDirectory = settings.configDirectory
        self.demoMode = demoMode
        self.interval = interval
    }

    var watchedFiles: [String] {
        credentialsFile.map { [$0] } ?? ["staff.json", "channels.json"].map { PathNames.join(configDirectory, $0) }
    }

    /// Reads and checks the source as it is now.
    func load(county: CountyConfig) throws -> Credentials {
        let credentials: Credentials
        if let credentialsFile {
            credentials = try Credentials.load(file: credentialsFile, county: county)
        } else {
            credentials = try Credentials(county: try CountyConfig.load(directory: configDirectory))
        }
        try DemoSecrets.check(credentials, county: county, demoMode: demoMode)
        return credentials
    }

    /// Watches until the task is cancelled.
    func run(county: CountyConfig, authenticator: Authenticator, logger: Logger) async {
        var seen = fingerprint()
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let now = fingerprint()
            guard now != seen else { continue }
            seen = now
            do {
                let credentials = try load(county: county)
                authenticator.replace(with: credentials)
                logger.notice("credentials reloaded", ["entries": String(credentials.entries.count),
                                                       "source": watchedFiles.joined(separator: ",")])
            } catch {
                logger.error("credentials not reloaded; the previous ones stay in force",
                             ["error": (error as? ConfigurationError)?.description ?? "\(error)"])
            }
        }
    }

    private func fingerprint() -> [String] {
        watchedFiles.map { path in
            var st = stat()
            guard stat(path, &st) == 0 else { return "absent" }
            return "\(st.st_ino):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
        }
    }
}

extension Authenticator {
    /// What the HTTP server checks: each credential as a principal with its expiry.
    convenience init(_ credentials: Credentials) { self.init(Self.entries(credentials)) }

    /// Puts `credentials` in place for the requests that follow.
    func replace(with credentials: Credentials) { replace(with: Self.entries(credentials)) }

    private static func entries(_ credentials: Credentials) -> [Entry] {
        credentials.entries.compactMap { e in
            let principal: Principal
            if let channel = e.channel {
                principal = Principal(role: .channel, name: channel, channel: channel)
            } else {
                guard let role = Principal.Role(rawValue: e.role) else { return nil }
                principal = Principal(role: role, name: e.name, unit: e.unit)
            }
            return Entry(sha256: e.sha256, principal: principal, expiresAt: e.expiresAt)
        }
    }
}
