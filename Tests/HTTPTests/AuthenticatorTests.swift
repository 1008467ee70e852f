import Foundation
import HotlineCore
import HotlineHTTP
import Testing

/// Tokens by their hashes, with expiries and a set replaced while serving (issue 11).
@Suite struct AuthenticatorTests {
    @Test func anExpiredTokenStopsAtItsInstantAndAReplacedSetTakesEffect() throws {
        let end = try #require(Timestamp.parse("2026-12-07T00:00:00+08:00"))
        let centre = Principal(role: .centre, name: "centre-1")
        let auth = Authenticator([
            .init(sha256: SHA256.hex("old"), principal: centre, expiresAt: end),
            .init(sha256: SHA256.hex("new").uppercased(), principal: centre),
        ])
        #expect(auth.authenticate(token: "old", at: end.addingTimeInterval(-1)) == centre, "valid until its expiry")
        #expect(auth.authenticate(token: "old", at: end) == nil, "not at or after it")
        #expect(auth.authenticate(token: "new", at: end.addingTimeInterval(86_400)) == centre, "no expiry; hex in either case")
        #expect(auth.authenticate(token: "other") == nil)
        auth.replace(with: [.init(sha256: SHA256.hex("other"), principal: centre)])
        #expect(auth.authenticate(token: "new") == nil, "revoked with the set it was in")
        #expect(auth.authenticate(token: "other") == centre)
    }

    /// A token listed twice (an old grant still running out beside its renewal) is the last
    /// listed one still valid; a malformed hash matches nothing.
    @Test func aTokenListedTwiceIsItsLastValidEntry() throws {
        let end = try #require(Timestamp.parse("2026-12-07T00:00:00+08:00"))
        let old = Principal(role: .unit, name: "u-old", unit: "housing")
        let renewed = Principal(role: .unit, name: "u-new", unit: "housing")
        let auth = Authenticator([
            .init(sha256: SHA256.hex("t"), principal: old),
            .init(sha256: SHA256.hex("t"), principal: renewed, expiresAt: end),
            .init(sha256: "zz", principal: Principal(role: .admin, name: "broken")),
        ] + (0..<200).map { .init(sha256: SHA256.hex("token-\($0)"), principal: Principal(role: .channel, name: "c\($0)")) })
        #expect(auth.authenticate(token: "t", at: end.addingTimeInterval(-1)) == renewed)
        #expect(auth.authenticate(token: "t", at: end) == old, "the renewal expired: the earlier entry stands")
        #expect(auth.authenticate(token: "token-137")?.name == "c137")
        #expect(auth.authenticate(token: "") == nil)
        #expect(auth.authenticate(token: "zz") == nil)
    }
}
