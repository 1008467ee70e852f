import Foundation
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

    private let entries: Mutex<[Entry]>

    public init(_ entries: [Entry]) { self.entries = Mutex(entries) }

    /// - Parameter hashedTokens: hex SHA-256 of each token → principal.
    public convenience init(hashedTokens: [(String, Principal)]) {
        self.init(hashedTokens.map { Entry(sha256: $0.0, principal: $0.1) })
    }

    /// Puts a new set in place for the requests that follow.
    public func replace(with entries: [Entry]) { self.entries.withLock { $0 = entries } }

    public func authenticate(token: String, at now: Date = Date()) -> Principal? {
        let digest = SHA256.hash(Array(token.utf8))
        let current = entries.withLock { $0 }
        var found: Principal?
        // Compare against every entry without early exit so timing does not reveal matches.
        for entry in current {
            var diff: UInt8 = entry.hash.count == digest.count ? 0 : 1
            for (a, b) in zip(entry.hash, digest) { diff |= a ^ b }
            if diff == 0, entry.expiresAt.map({ $0 > now }) ?? true { found = entry.principal }
        }
        return found
    }
}
