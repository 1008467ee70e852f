import Foundation
import TestSupport
import Testing

/// The services link FoundationEssentials, not Foundation: each process then maps ~4.5 MB
/// less (idle RSS of the six 170 → 140 MB, `hotline bench startup`). One `import Foundation`
/// in a shared library would bring it back into every process unseen; this says so.
@Suite struct ServiceLinkageTests {
    private static func libraries(_ executable: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        p.arguments = [RunningSuite.binDirectory + "/" + executable]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // "libX.so => /path (0x…)": the names only.
        return text.split(separator: "\n").compactMap { $0.split(separator: " ").first.map { String($0.trimmingCharacters(in: .whitespaces)) } }
    }

    @Test(arguments: ["hotline-bus", "hotline-intake", "hotline-dispatch", "hotline-supervision", "hotline-callback-survey", "hotline-kpi"])
    func servicesDoNotLinkFoundation(executable: String) throws {
        let libraries = try Self.libraries(executable)
        #expect(libraries.contains("libswiftCore.so"), "\(executable): ldd listed \(libraries)")
        #expect(!libraries.contains("libFoundation.so"), "\(executable) links Foundation: some module it uses imports Foundation")
        if executable == "hotline-bus" {
            // The bus has no calendars: no time-zone data either.
            #expect(!libraries.contains("libFoundationInternationalization.so") && !libraries.contains("lib_FoundationICU.so"))
        }
    }
}
