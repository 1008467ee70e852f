import FoundationEssentials
import HotlineCore

/// The sample county's tokens are published in the README: a configuration that still holds
/// one of them must not run outside a demonstration (issue 11). They are recognised by
/// hashing the sample's token patterns for the configured channels and units.
public enum DemoSecrets {
    /// The credentials (`channel ID`, `staff NAME`) whose token is a public demo one.
    public static func inUse(_ credentials: Credentials, county: CountyConfig) -> [String] {
        let sha = SHA256.hex
        var demo = Set(["centre", "agent", "agent-2", "auditor", "admin"].map { sha("demo-\($0)-token") })
        for u in county.units { demo.insert(sha("demo-unit-\(u.id)-token")) }
        for c in county.channels { demo.insert(sha("demo-key-\(c.id)")) }
        return credentials.entries.filter { demo.contains($0.sha256) }.map { ($0.channel != nil ? "channel " : "staff ") + $0.name }
    }

    /// Refuses demo tokens outside demo mode, naming a few and saying what to do.
    public static func check(_ credentials: Credentials, county: CountyConfig, demoMode: Bool) throws {
        let found = inUse(credentials, county: county)
        guard !demoMode, !found.isEmpty else { return }
        throw ConfigurationError("""
            the credentials hold \(found.count) public demo token(s) (\(found.prefix(3).joined(separator: ", "))\(found.count > 3 ? ", …" : "")): \
            replace them (`hotline token new` prints a fresh one and its configuration line) or set HOTLINE_DEMO=1 for a demonstration
            """)
    }
}
