import FoundationEssentials
import HotlineCore
import Synchronization

/// Who is calling, from a bearer token.
public struct Principal: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable, CaseIterable {
        case channel
        case centre
        case unit
        case callbackAgent = "callback_agent"
        case auditor
        case admin
    }

    public let role: Role
    /// A display name for audit records (staff name or channel id).
    public let name: String
    /// For unit staff: their unit.
    public let unit: String?
    /// For channels: the channel id.
    public let channel: String?

    public init(role: Role, name: String, unit: String? = nil, channel: String? = nil) {
        self.role = role
        self.name = name
        self.unit = unit
        self.channel = channel
    }
}

/// Maps bearer tokens to principals. Tokens are held only as SHA-256 hashes and compared
/// in constant time. The set can be replaced while serving (credentials re-read on change);
/// an entry with an expiry stops matching at that instant.
public final class Authenticator: Sendable {
    public struct Entry: Sendable {
        public let principal: Principal
        public let expiresAt: Date?
        let hash: [UInt8]

        /// - Parameter sha256: hex SHA-256 of the token.
        public init(sha256: String, principal: Principal, expiresAt: Date? = nil) {
            self.hash = Self.bytes(fromHex: sha256.lowercased())
            self.principal = principal
            self.expiresAt = expiresAt
        }

        private static func bytes(fromHex hex: String) -> [UInt8] {
            var out: [UInt8] = []
            var it = hex.utf8.makeIterator()
            while let h = it.next(), let l = it.next() {
                func v(_ c: UInt8) -> UInt8 { c >= 97 ? c - 87 : c >= 65 ? c - 55 : c - 48 }
                out.append(v(h) << 4 | v(l))
            }
            return out
        }
    }

    /// Entries by the SHA-256 of their token, in the order given (the last one that has not
    /// expired wins, as when they were compared one by one).
    private let entries: Mutex<[[UInt8]: [Entry]]>

    public init(_ entries: [Entry]) { self.entries = Mutex(Self.index(entries)) }

    /// - Parameter hashedTokens: hex SHA-256 of each token → principal.
    public convenience init(hashedTokens: [(String, Principal)]) {
        self.init(hashedTokens.map { Entry(sha256: $0.0, principal: $0.1) })
    }

    /// Puts a new set in place for the requests that follow.
    public func replace(with entries: [Entry]) {
        let indexed = Self.index(entries)
        self.entries.withLock { $0 = indexed }
    }

    private static func index(_ entries: [Entry]) -> [[UInt8]: [Entry]] {
        Dictionary(grouping: entries, by: \.hash)
    }

    /// Looked up by the token's SHA-256, not compared with every entry: a look-up's timing can
    /// tell only about the digest, and nobody can steer a digest towards a stored one (the
    /// constant-time loop over every entry had cost 2% of intake's CPU).
    public func authenticate(token: String, at now: Date = Date()) -> Principal? {
        let digest = SHA256.hash(Array(token.utf8))
        guard let candidates = entries.withLock({ $0[digest] }) else { return nil }
        return candidates.last { $0.expiresAt.map { $0 > now } ?? true }?.principal
    }
}
