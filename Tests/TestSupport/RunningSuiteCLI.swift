import Foundation

extension RunningSuite {
    /// Runs the `hotline` command-line tool against this suite (its run directory, the demo
    /// admin token). - Returns: its exit status and what it printed.
    public func hotline(_ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: RunningSuite.binDirectory + "/hotline")
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["HOTLINE_RUN_DIR"] = directory.path + "/run"
        env["HOTLINE_ADMIN_TOKEN"] = "demo-admin-token"
        p.environment = env
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, output)
    }
}
