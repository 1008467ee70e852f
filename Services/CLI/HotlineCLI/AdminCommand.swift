import Foundation
import HotlineCore
import HotlineHTTP

/// `hotline admin …`: operations on a running suite that need an admin token.
enum AdminCommand {
    static func main(_ args: [String]) async throws -> Int32 {
        let flags = try HotlineCommand.Flags(args, valued: [], switches: ["--no-wait"])
        guard flags.positional.count == 2, flags.positional[0] == "rebuild" else {
            throw HotlineCommand.UsageError(message: "use: hotline admin rebuild SERVICE [--no-wait]")
        }
        let service = flags.positional[1]
        let client = try ServiceClient(service)
        let started = try await client.request("POST", "/v1/admin/rebuild")
        guard started.status == 202,
            let body = try JSONSerialization.jsonObject(with: Data(started.body)) as? [String: Any],
            let replaying = body["replaying"] as? [String: Int]
        else {
            FileHandle.standardError.write(Data("hotline: rebuild of \(service) refused: \(started.status) \(started.text)\n".utf8))
            return 1
        }
        let total = replaying.values.reduce(0, +)
        print("\(service): projection emptied; applying \(total) events again from \(replaying.keys.sorted().joined(separator: ", "))")
        if flags.switches.contains("--no-wait") { return 0 }
        // Caught up when every stream's cursor is back where it was and nothing lags.
        var lastLine = ""
        while true {
            try await Task.sleep(nanoseconds: 500_000_000)
            let r = try await client.request("GET", "/readyz")
            guard let ready = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any],
                let streams = ready["streams"] as? [String: [String: Any]]
            else { continue }
            var applied = 0
            var done = true
            for (stream, s) in streams {
                let cursor = s["cursor"] as? Int ?? 0
                applied += min(cursor, replaying[stream] ?? 0)
                if cursor < (replaying[stream] ?? 0) || (s["lag"] as? Int ?? 1) > 0 { done = false }
            }
            let line = "\(service): \(applied)/\(total) events applied"
            if line != lastLine { print(line) }
            lastLine = line
            if done {
                print("\(service): rebuilt")
                return 0
            }
        }
    }
}

/// A running service's HTTP API, found through its URL file in the run directory, with a
/// token from the first of `tokenVariables` set, or its `_FILE` (HOTLINE_ADMIN_TOKEN by default).
struct ServiceClient {
    var http: HTTPClient
    let token: String

    init(_ service: String, tokenVariables: [String] = ["HOTLINE_ADMIN_TOKEN"]) throws {
        let environment = EnvironmentReader()
        // Each may also come from a file (`HOTLINE_ADMIN_TOKEN_FILE`), as container secrets do.
        guard let token = try tokenVariables.lazy.compactMap({ try environment.secret($0) }).first else {
            throw ConfigurationError("set \(tokenVariables.joined(separator: " or ")) (or the same with _FILE) to a token of that role")
        }
        let runDir = ProcessInfo.processInfo.environment["HOTLINE_RUN_DIR"] ?? "run"
        guard let port = SuiteSupervisor.port(runDirectory: runDir, service: service) else {
            throw ConfigurationError("\(service) is not running (no \(runDir)/\(service).url)")
        }
        http = HTTPClient(port: port)
        self.token = token
    }

    func request(_ method: String, _ path: String) async throws -> HTTPClient.Response {
        try await http.request(method, path, headers: [("Authorization", "Bearer \(token)")])
    }
}
