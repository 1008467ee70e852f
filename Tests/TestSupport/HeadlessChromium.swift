import Foundation

/// Debian's Chromium, headless: loads a page as a browser does and returns the DOM it built
/// (`deploy/scripts/setup.sh` installs it).
public enum HeadlessChromium {
    public static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

    public static func dumpDOM(_ url: String, timeout: TimeInterval = 60) throws -> String {
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw RunningSuite.SuiteError(message: "Chromium is not installed: run deploy/scripts/setup.sh")
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        // As root Chromium needs --no-sandbox; no GPU, no first-run work, a throwaway profile.
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                       "--user-data-dir=\(profile.path)", "--dump-dom", url]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let killer = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        killer.cancel()
        guard p.terminationStatus == 0 else {
            throw RunningSuite.SuiteError(message: "chromium exited with \(p.terminationStatus) loading \(url)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
