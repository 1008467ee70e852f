import Foundation
import TestSupport
import Testing

/// The Kubernetes manifests and systemd units agree with the executables (issue 11, item 7):
/// `deploy/scripts/check-deploy.py` parses the manifests and runs `systemd-analyze verify` on
/// every unit, pointed at the built executables.
@Suite struct DeployFilesTests {
    @Test func manifestsAndUnitsHold() async throws {
        let (status, output) = try await runProgramAsync("/usr/bin/env", ["python3", SampleCounty.repositoryRoot + "/deploy/scripts/check-deploy.py",
                                                               "--bin", RunningSuite.binDirectory])
        #expect(status == 0 && output.contains("check-deploy: ok"), "\(output)")
    }
}
