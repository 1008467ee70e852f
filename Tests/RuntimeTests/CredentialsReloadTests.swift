import Foundation
import HotlineCore
import HotlineHTTP
import TestSupport
import Testing

/// A running service follows its credentials file: a rotated key works within seconds, the
/// old one until its expiry, a removed token at once, and a broken file changes nothing
/// (issue 11). Intake in this process, without a restart.
@Suite struct CredentialsReloadTests {
    private func write(_ path: String, channelKeys: [(String, Date?)], centreTokens: [String]) throws {
        let keys = channelKeys.map { key, expiry in
            #"{"channel": "phone_12345", "key_sha256": "\#(SHA256.hex(key))""# + (expiry.map { #", "expires_at": "\#(Timestamp.format($0))""# } ?? "") + "}"
        }
        let staff = centreTokens.map { #"{"token_sha256": "\#(SHA256.hex($0))", "role": "centre", "name": "centre-1", "unit": null}"# }
        try replace(path, #"{"channels": [\#(keys.joined(separator: ","))], "staff": [\#(staff.joined(separator: ","))]}"#)
    }

    /// As operators and Kubernetes do: a new file renamed over the old one.
    private func replace(_ path: String, _ text: String) throws {
        try text.write(toFile: path + ".new", atomically: false, encoding: .utf8)
        _ = rename(path + ".new", path)
    }

    @Test func rotationAndRevocationNeedNoRestart() async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.path + "/credentials.json"
        try write(file, channelKeys: [("key-1", nil)], centreTokens: ["centre-1"])
        let harness = try await IntakeServiceTests.Harness(engine: .sqlite, extraEnvironment: ["HOTLINE_CREDENTIALS_FILE": file])
        let status = { @Sendable (ref: String, key: String) async throws -> Int in
            try await harness.post(#"{"channel_ref":"\#(ref)","kind":"complaint","category":"city.sanitation","content":"清运","caller":{"phone":"13812345678"},"location":{"region":"330901003002004"}}"#,
                                   token: key).status
        }
        #expect(try await status("r1", "key-1") == 201)
        #expect(try await status("r2", "demo-key-phone_12345") == 401, "the file replaces the configuration's keys")
        #expect(try await harness.get("/v1/knowledge?q=rubbish", token: "centre-1").status == 200)

        // Rotation: a second key, the first ending in a few seconds; the centre's token revoked.
        let expiry = Date().addingTimeInterval(6)
        try write(file, channelKeys: [("key-1", expiry), ("key-2", nil)], centreTokens: ["centre-2"])
        try await waitUntil(timeout: 10) { try await status("r3", "key-2") == 201 }
        #expect(try await harness.get("/v1/knowledge?q=rubbish", token: "centre-1").status == 401, "removed: revoked")
        #expect(try await harness.get("/v1/knowledge?q=rubbish", token: "centre-2").status == 200)
        if Date() < expiry.addingTimeInterval(-1) { #expect(try await status("r4", "key-1") == 201, "both keys during the window") }
        try await waitUntil(timeout: 10) { try await status("r5", "key-1") == 401 }

        // A broken file is logged and changes nothing.
        try replace(file, "{not json")
        try await Task.sleep(for: .seconds(3))
        #expect(try await status("r6", "key-2") == 201)
        await harness.stop()
    }
}
