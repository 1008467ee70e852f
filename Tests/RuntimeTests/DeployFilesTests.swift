import Foundation
import TestSupport
import Testing

/// The Kubernetes manifests and systemd units agree with the executables (issue 11, item 7):
/// `deploy/scripts/check-deploy.py` parses the manifests and runs `systemd-analyze verify` on
/// every unit, pointed at the built executables.
@Suite struct DeployFilesTests {
    @Test func manifestsAndUnitsHold() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", SampleCounty.repositoryRoot + "/deploy/scripts/check-deploy.py", "--bin", RunningSuite.binDirectory]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0 && output.contains("check-deploy: ok"), "\(output)")
    }
}
