import Foundation
import HotlineCore
import Testing

/// Secrets from the environment or from a file named by `NAME_FILE` (container secrets).
@Suite struct EnvironmentSecretTests {
    private func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aSecretComesFromTheVariableOrItsFile() throws {
        #expect(try EnvironmentReader(["KEY": "direct"]).secret("KEY") == "direct")
        #expect(try EnvironmentReader([:]).secret("KEY") == nil)
        let path = try file("from-a-file\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try EnvironmentReader(["KEY_FILE": path]).secret("KEY") == "from-a-file", "one trailing newline dropped")
    }

    @Test func ambiguousOrMissingSecretsAreConfigurationErrors() throws {
        let path = try file("x")
        let empty = try file("\n")
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: empty)
        }
        #expect(throws: ConfigurationError.self) { try EnvironmentReader(["KEY": "a", "KEY_FILE": path]).secret("KEY") }
        #expect(throws: ConfigurationError.self) { try EnvironmentReader(["KEY_FILE": "/nonexistent/secret"]).secret("KEY") }
        #expect(throws: ConfigurationError.self) { try EnvironmentReader(["KEY_FILE": empty]).secret("KEY") }
    }
}
