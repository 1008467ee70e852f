import Foundation
import HotlineCore

/// The sample county's tokens are published in the README: a configuration that still holds
/// one of them must not run outside a demonstration (issue 11). They are recognised by
/// hashing the sample's token patterns for the configured channels and units.
public enum DemoSecrets {
    /// The configuration entries (`channels.json:ID`, `staff.json:NAME`) whose token is a public demo one.
    public static func inUse(_ county: CountyConfig) -> [String] {
        let sha = SHA256.hex
        var found: [String] = []
        for c in county.channels where c.keySHA256.lowercased() == sha("demo-key-\(c.id)") { found.append("channels.json:\(c.id)") }
        var staffDemo = Set(["centre", "agent", "agent-2", "auditor", "admin"].map { sha("demo-\($0)-token") })
        for u in county.units { staffDemo.insert(sha("demo-unit-\(u.id)-token")) }
        for s in county.staff where staffDemo.contains(s.tokenSHA256.lowercased()) { found.append("staff.json:\(s.name)") }
        return found
    }

    /// Refuses demo tokens outside demo mode, naming a few and saying what to do.
    public static func check(_ county: CountyConfig, demoMode: Bool) throws {
        let found = inUse(county)
        guard !demoMode, !found.isEmpty else { return }
        throw ConfigurationError("""
            the configuration holds \(found.count) public demo token(s) (\(found.prefix(3).joined(separator: ", "))\(found.count > 3 ? ", …" : "")): \
            replace them (`hotline token new` prints a fresh one and its configuration line) or set HOTLINE_DEMO=1 for a demonstration
            """)
    }
}
