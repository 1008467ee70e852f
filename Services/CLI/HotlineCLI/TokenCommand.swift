import Foundation
import HotlineCore

/// `hotline token new`: a fresh random token, printed once, with the line that puts its
/// SHA-256 (never the token) into the county's configuration or the credentials file.
enum TokenCommand {
    static let usage = """
        use: hotline token new --role centre|unit|callback_agent|auditor|admin [--unit UNIT] --name NAME
             hotline token new --channel CHANNEL
        """
    static let roles = ["centre", "unit", "callback_agent", "auditor", "admin"]

    static func main(_ args: [String]) throws -> Int32 {
        let flags = try HotlineCommand.Flags(args, valued: ["--role", "--unit", "--name", "--channel"], switches: ["--help"])
        if flags.switches.contains("--help") {
            print(usage)
            return 0
        }
        guard flags.positional == ["new"] else { throw HotlineCommand.UsageError(message: usage) }
        let token = newToken()
        let hash = SHA256.hex(token)
        if let channel = flags.values["--channel"] {
            guard flags.values["--role"] == nil else { throw HotlineCommand.UsageError(message: usage) }
            print("key: \(token)")
            print("channels.json, channel \(channel): \"key_sha256\": \"\(hash)\"")
            let entry: JSONValue = .object(["channel": .string(channel), "key_sha256": .string(hash)])
            print("or a \"channels\" entry of HOTLINE_CREDENTIALS_FILE: \(try CanonicalJSON.string(entry))")
            return 0
        }
        guard let role = flags.values["--role"], roles.contains(role), let name = flags.values["--name"], !name.isEmpty else {
            throw HotlineCommand.UsageError(message: usage)
        }
        let unit = flags.values["--unit"]
        guard (role == "unit") == (unit != nil) else { throw HotlineCommand.UsageError(message: "--unit goes with --role unit, and only with it") }
        print("token: \(token)")
        let entry: JSONValue = .object(["token_sha256": .string(hash), "role": .string(role), "name": .string(name),
                                        "unit": unit.map(JSONValue.string) ?? .null])
        print("staff.json entry: \(try CanonicalJSON.string(entry))")
        print("(the same entry goes in the \"staff\" list of HOTLINE_CREDENTIALS_FILE; to rotate, keep the old entry with")
        print(" \"expires_at\" set to the end of the changeover; to revoke, delete it: services re-read it within seconds)")
        FileHandle.standardError.write(Data("hotline: the token is shown once; keep it in your secret store, not in the repository\n".utf8))
        return 0
    }

    /// 32 random bytes from the system's generator, as unpadded base64url, prefixed `hl_`.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "hl_" + text
    }
}
