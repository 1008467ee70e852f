import HotlineCore

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
/// in constant time.
public struct Authenticator: Sendable {
    private let entries: [(hash: [UInt8], principal: Principal)]

    /// - Parameter tokens: hex SHA-256 of each token → principal.
    public init(hashedTokens: [(String, Principal)]) {
        entries = hashedTokens.map { (Self.bytes(fromHex: $0.0.lowercased()), $0.1) }
    }

    public func authenticate(token: String) -> Principal? {
        let digest = SHA256.hash(Array(token.utf8))
        var found: Principal?
        // Compare against every entry without early exit so timing does not reveal matches.
        for entry in entries {
            var diff: UInt8 = entry.hash.count == digest.count ? 0 : 1
            for (a, b) in zip(entry.hash, digest) { diff |= a ^ b }
            if diff == 0 { found = entry.principal }
        }
        return found
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
