import FoundationEssentials
import HotlineCore

/// Who may call the services: staff tokens and channel keys, held only as SHA-256 hashes.
/// They come from the county's configuration (`staff.json`, each channel's `key_sha256` in
/// `channels.json`) or, when `HOTLINE_CREDENTIALS_FILE` names one, from that single file (a
/// container or Kubernetes secret):
///
///     {"staff":    [{"token_sha256": "…", "role": "unit", "name": "xicheng-1", "unit": "xicheng",
///                    "expires_at": "2026-12-07T00:00:00+08:00"}],
///      "channels": [{"channel": "phone_12345", "key_sha256": "…"}]}
///
/// A name or channel may hold several entries: rotating is adding the new one and giving the
/// old an `expires_at`; revoking is removing the entry. Services re-read the source while they
/// run, so neither needs a restart.
public struct Credentials: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// Lower-case hex SHA-256 of the token or key.
        public let sha256: String
        /// A staff role (`centre`, `unit`, …) or `channel`.
        public let role: String
        /// The staff name, or the channel id.
        public let name: String
        public let unit: String?
        public let channel: String?
        /// Not accepted from this instant on; nil: until removed.
        public let expiresAt: Date?
    }

    public let entries: [Entry]

    public static let staffRoles = ["centre", "unit", "callback_agent", "auditor", "admin"]

    public init(entries: [Entry]) { self.entries = entries }

    /// The credentials a configuration directory holds (checked as `file` names them).
    public init(county: CountyConfig, file: String = "staff.json") throws {
        var entries: [Entry] = []
        for c in county.channels {
            guard let key = c.keySHA256 else { continue }
            entries.append(Entry(sha256: key.lowercased(), role: "channel", name: c.id, unit: nil, channel: c.id, expiresAt: nil))
        }
        for s in county.staff { entries.append(try Self.staffEntry(s, county: county, file: file)) }
        self.entries = entries
    }

    /// The credentials of a credentials file's bytes, checked against the county's units and channels.
    public init(fileData data: Data, county: CountyConfig, file: String) throws {
        struct ChannelKey: Decodable {
            let channel: String
            let keySHA256: String
            let expiresAt: String?
            enum CodingKeys: String, CodingKey {
                case channel
                case keySHA256 = "key_sha256"
                case expiresAt = "expires_at"
            }
        }
        struct Document: Decodable {
            let staff: [CountyConfig.StaffToken]?
            let channels: [ChannelKey]?
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw ConfigurationError("\(file): not a credentials document ({\"staff\": [...], \"channels\": [...]}): \(error)")
        }
        var entries: [Entry] = []
        for k in document.channels ?? [] {
            guard county.channel(k.channel) != nil else { throw ConfigurationError("\(file): key for unknown channel \(k.channel)") }
            guard Self.isHash(k.keySHA256) else { throw ConfigurationError("\(file): a key of channel \(k.channel) is not 64 hex digits") }
            entries.append(Entry(sha256: k.keySHA256.lowercased(), role: "channel", name: k.channel, unit: nil, channel: k.channel,
                                 expiresAt: try Self.expiry(k.expiresAt, of: "a key of channel \(k.channel)", file: file)))
        }
        for s in document.staff ?? [] { entries.append(try Self.staffEntry(s, county: county, file: file)) }
        self.entries = entries
    }

    /// Reads the credentials file at `path`, or the configuration's when `path` is nil.
    public static func load(file path: String?, county: CountyConfig) throws -> Credentials {
        guard let path else { return try Credentials(county: county) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("credentials file \(path) cannot be read")
        }
        return try Credentials(fileData: data, county: county, file: path)
    }

    /// The entries still valid at `now`.
    public func valid(at now: Date) -> [Entry] { entries.filter { $0.expiresAt.map { $0 > now } ?? true } }

    public static func isHash(_ text: String) -> Bool { text.utf8.count == 64 && text.allSatisfy(\.isHexDigit) }

    private static func staffEntry(_ s: CountyConfig.StaffToken, county: CountyConfig, file: String) throws -> Entry {
        guard staffRoles.contains(s.role) else { throw ConfigurationError("\(file): \(s.name) has unknown role \(s.role)") }
        if s.role == "unit" {
            guard let u = s.unit, county.unit(u) != nil else { throw ConfigurationError("\(file): unit token \(s.name) needs a known unit") }
        }
        guard isHash(s.tokenSHA256) else { throw ConfigurationError("\(file): \(s.name) token_sha256 must be 64 hex digits") }
        return Entry(sha256: s.tokenSHA256.lowercased(), role: s.role, name: s.name, unit: s.unit,
                     channel: nil, expiresAt: try expiry(s.expiresAt, of: s.name, file: file))
    }

    private static func expiry(_ text: String?, of what: String, file: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw ConfigurationError("\(file): expires_at of \(what) is not a timestamp with an offset (\(text))")
        }
        return date
    }
}
