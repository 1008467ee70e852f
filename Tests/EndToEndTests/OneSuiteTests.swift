import Foundation
import HotlineCore
import HotlineHTTP
import HotlineStorage
import TestSupport
import Testing

/// One suite per data and run directory, one instance per service per database, and no
/// child left serving when `hotline run` dies (issue 16).
@Suite(.serialized) struct OneSuiteTests {
    private func launch(_ executable: String, _ args: [String], env extra: [String: String] = [:]) async throws
        -> (status: Int32, output: String)
    {
        try await runProgramAsync(RunningSuite.binDirectory + "/" + executable, args, environment: extra)
    }

    @Test(arguments: TestEngine.available)
    func secondSuiteAndSecondInstanceAreRefused(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        defer { suite.stop() }
        let second = try await launch("hotline", suite.runArguments)
        #expect(second.status == 75, "\(second.output)")
        #expect(second.output.contains("another hotline run"))
        #expect(await suite.allReady(), "the first suite goes on")

        // A second dispatch on the same database, outside any suite, stops before it writes.
        let dispatch = try await launch("hotline-dispatch", [], env: [
            "HOTLINE_DATABASE_URL": suite.databaseURL, "HOTLINE_RUN_DIR": suite.directory.path + "/run2",
            "HOTLINE_BUS_SOCKET": suite.directory.path + "/run2/bus.sock", "HOTLINE_DISPATCH_PORT": "0",
            "HOTLINE_CONFIG_DIR": SampleCounty.directory, "HOTLINE_PARENT_PID": "", "HOTLINE_DEMO": "1",
        ])
        #expect(dispatch.status != 0)
        #expect(dispatch.output.contains("another") && dispatch.output.contains("dispatch"), "\(dispatch.status) \(dispatch.output)")
    }

    /// Outside a demonstration, the sample county's public tokens stop a service at start,
    /// with the reason and the exit status for configuration (issue 11).
    @Test func demoTokensAreRefusedOutsideDemoMode() async throws {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let kpi = try await launch("hotline-kpi", [], env: [
            "HOTLINE_DATABASE_URL": "sqlite:" + dir.path + "/data", "HOTLINE_RUN_DIR": dir.path + "/run", "HOTLINE_KPI_PORT": "0",
            "HOTLINE_CONFIG_DIR": SampleCounty.directory, "HOTLINE_PARENT_PID": "", "HOTLINE_DEMO": "",
        ])
        #expect(kpi.status == 78, "\(kpi.output)")
        #expect(kpi.output.contains("119 public demo token") && kpi.output.contains("channel ") && kpi.output.contains("HOTLINE_DEMO=1"), "\(kpi.output)")
    }

    /// `--help` on every subcommand and every executable prints its usage and exits 0, without
    /// doing anything else (issue 15: `hotline run --help` used to be an error).
    @Test func everySubcommandHasHelp() async throws {
        try await checkHelp()  // each program on a thread of its own (runProgramAsync)
    }

    private func checkHelp() async throws {
        let commands = ["run", "clock", "dead-letters", "admin", "audit", "token", "probe", "bench", "simulate", "chaos", "soak"]
        for command in commands {
            for flag in ["--help", "-h"] {
                let r = try await launch("hotline", [command, flag])
                #expect(r.status == 0 && r.output.hasPrefix("Usage:") && r.output.contains("hotline \(command)"), "\(command): \(r.output)")
            }
        }
        let nested = try await launch("hotline", ["bench", "suite", "--help"])
        #expect(nested.status == 0 && nested.output.contains("hotline bench suite"), "\(nested.output)")
        #expect(try await launch("hotline", ["frobnicate", "--help"]).status == 64)
        for executable in ["hotline-bus", "hotline-intake", "hotline-dispatch", "hotline-supervision", "hotline-callback-survey", "hotline-kpi"] {
            let r = try await launch(executable, ["--help"], env: ["HOTLINE_DATABASE_URL": "sqlite:/nonexistent/never-opened"])
            #expect(r.status == 0 && r.output.contains(executable), "\(executable): \(r.output)")
        }
    }

    /// `hotline token new` prints a fresh token once and the configuration line holding its
    /// SHA-256: the line's hash is the token's, and no two tokens are alike.
    @Test func freshTokensComeWithTheirConfigurationLine() async throws {
        var tokens: Set<String> = []
        for _ in 0..<3 {
            let made = try await launch("hotline", ["token", "new", "--role", "unit", "--unit", "xicheng", "--name", "wang-li"])
            #expect(made.status == 0, "\(made.output)")
            let token = try #require(made.output.firstMatch(of: /token: (hl_[A-Za-z0-9_-]{43})\n/)?.1).description
            let line = try #require(made.output.firstMatch(of: /staff.json entry: (\{.*\})/)?.1).description
            let entry = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(entry["token_sha256"] as? String == SHA256.hex(token) && entry["unit"] as? String == "xicheng"
                    && entry["role"] as? String == "unit")
            tokens.insert(token)
        }
        #expect(tokens.count == 3)
        #expect(try await launch("hotline", ["token", "new", "--role", "unit", "--name", "x"]).status == 64, "a unit token names its unit")
    }

    @Test(arguments: TestEngine.available)
    func childrenDieWithTheSupervisorAndTheSuiteRestarts(engine: TestEngine) async throws {
        let suite = try await RunningSuite.start(engine: engine)
        let created = try await suite.call("intake", "POST", "/v1/tickets", token: "demo-key-wechat", json:
            #"{"channel_ref":"before-kill","kind":"complaint","category":"city.sanitation","content":"清运","caller":{"phone":"13912345678"},"location":{"region":"330901003002004"}}"#)
        #expect(created.status == 201)
        let id = try #require((try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])?["id"] as? String)
        suite.killSupervisor()
        #expect(suite.childrenAlive(grace: 15).isEmpty, "no child outlives hotline run")

        let again = try await RunningSuite.restart(after: suite)
        defer { again.stop() }
        let status = try await again.call("intake", "GET", "/v1/tickets/\(id)", token: "demo-centre-token")
        #expect(status.status == 200, "the data is the same")
    }

    /// Citizens' names and phones are in these files: nobody else on the host reads them.
    @Test func dataFilesArePrivate() async throws {
        let suite = try await RunningSuite.start(engine: .sqlite)
        defer { suite.stop() }
        let data = suite.directory.path + "/data"
        func mode(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1 }
        #expect(mode(data) == 0o700)
        var files = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: data) where name.contains(".sqlite3") {
            #expect(mode(data + "/" + name) == 0o600, "\(name) is \(String(mode(data + "/" + name), radix: 8))")
            files += 1
        }
        #expect(files >= 10, "database, -wal and -shm files of five services")
    }
}
