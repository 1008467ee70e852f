import Foundation
import HotlineCore
import HotlineDomain
import TestSupport
import Testing

/// Tokens and channel keys from a credentials file: checked against the county, several per
/// name during a rotation, each ending at its expiry (issue 11).
@Suite struct CredentialsTests {
    let county: CountyConfig
    init() throws { county = try CountyConfig.load(directory: SampleCounty.directory) }

    private func parse(_ json: String) throws -> Credentials {
        try Credentials(fileData: Data(json.utf8), county: county, file: "credentials.json")
    }

    @Test func aFileReplacesTheConfigurationsTokens() throws {
        let old = SHA256.hex("old"), new = SHA256.hex("new"), key = SHA256.hex("key")
        let credentials = try parse("""
            {"staff": [{"token_sha256": "\(old)", "role": "unit", "name": "wang", "unit": "xicheng", "expires_at": "2026-12-07T00:00:00+08:00"},
                       {"token_sha256": "\(new)", "role": "unit", "name": "wang", "unit": "xicheng"}],
             "channels": [{"channel": "phone_12345", "key_sha256": "\(key.uppercased())"}]}
            """)
        #expect(credentials.entries.count == 3)
        #expect(credentials.entries.first { $0.channel == "phone_12345" }?.sha256 == key, "hashes are kept in lower case")
        let before = try #require(Timestamp.parse("2026-12-06T23:59:59+08:00"))
        let after = try #require(Timestamp.parse("2026-12-07T00:00:00+08:00"))
        #expect(Set(credentials.valid(at: before).map(\.sha256)) == [old, new, key], "both tokens during the rotation")
        #expect(Set(credentials.valid(at: after).map(\.sha256)) == [new, key], "the old one ends at its expiry")
        #expect(DemoSecrets.inUse(credentials, county: county).isEmpty)
    }

    @Test func theSampleConfigurationHoldsOnlyDemoTokens() throws {
        let credentials = try Credentials(county: county)
        let demo = DemoSecrets.inUse(credentials, county: county)
        #expect(demo.count == credentials.entries.count && demo.contains("channel phone_12345"))
        #expect(throws: ConfigurationError.self) { try DemoSecrets.check(credentials, county: county, demoMode: false) }
        try DemoSecrets.check(credentials, county: county, demoMode: true)
    }

    @Test(arguments: [
        (#"{"channels": [{"channel": "fax", "key_sha256": "HASH"}]}"#, "unknown channel fax"),
        (#"{"channels": [{"channel": "wechat", "key_sha256": "abc"}]}"#, "not 64 hex digits"),
        (#"{"staff": [{"token_sha256": "HASH", "role": "mayor", "name": "m", "unit": null}]}"#, "unknown role mayor"),
        (#"{"staff": [{"token_sha256": "HASH", "role": "unit", "name": "u", "unit": "atlantis"}]}"#, "needs a known unit"),
        (#"{"staff": [{"token_sha256": "HASH", "role": "centre", "name": "c", "unit": null, "expires_at": "tomorrow"}]}"#, "expires_at of c"),
        (#"[1, 2]"#, "not a credentials document"),
    ])
    func badFilesAreRefusedWithTheReason(json: String, reason: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try parse(json.replacingOccurrences(of: "HASH", with: SHA256.hex("x"))) }
        #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
        #expect(error?.description.hasPrefix("credentials.json") == true)
    }
}
