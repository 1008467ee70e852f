import Foundation

/// Starts `hotline run` as a child for the benchmarks, the simulation, chaos and soak: data,
/// run directory and county configuration inside `dir`, the sample tokens allowed, any free
/// ports, warnings and worse appended to `dir/suite.log` (or discarded). It stops with this
/// process: on Ctrl-C or SIGTERM (`ScratchSpace`) and, through `HOTLINE_PARENT_PID`, on a kill -9.
enum SuiteLauncher {
    static func launch(dir: String, database: String?, manualClock: Bool = false, log: Bool = true) throws -> Process {
        var arguments = ["run", "--data", dir + "/data", "--run-dir", dir + "/run", "--config", dir + "/config", "--any-port"]
        if manualClock { arguments += ["--clock", "manual"] }
        if let database { arguments += ["--database", database] }
        let suite = Process()
        suite.executableURL = URL(fileURLWithPath: HotlineCommand.binDirectory + "/hotline")
        suite.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOTLINE_DEMO"] = "1"
        environment["HOTLINE_LOG_LEVEL"] = environment["HOTLINE_LOG_LEVEL"] ?? "warning"
        // The suite stops itself when this process is gone, even after a kill -9 of it.
        environment["HOTLINE_PARENT_PID"] = String(getpid())
        suite.environment = environment
        if log {
            let path = dir + "/suite.log"
            if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            handle.seekToEndOfFile()  // a restarted suite adds to what the last one said
            suite.standardOutput = handle
            suite.standardError = handle
        } else {
            suite.standardOutput = FileHandle.nullDevice
            suite.standardError = FileHandle.nullDevice
        }
        try suite.run()
        ScratchSpace.adopt(suite)
        return suite
    }
}
