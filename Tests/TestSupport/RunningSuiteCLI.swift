import Foundation

extension RunningSuite {
    /// Runs the `hotline` command-line tool against this suite (its run directory, the demo
    /// admin token), on a thread of its own. - Returns: its exit status and what it printed.
    public func hotline(_ args: [String]) async throws -> (status: Int32, output: String) {
        try await runProgramAsync(RunningSuite.binDirectory + "/hotline", args,
                                  environment: ["HOTLINE_RUN_DIR": directory.path + "/run", "HOTLINE_ADMIN_TOKEN": "demo-admin-token"])
    }
}

extension RunningSuite {
    /// Every period an end-to-end test can touch, whatever the clock says.
    public static let auditRange = "2020-01-01..2030-01-01"

    /// Waits until every stream has settled, then asks kpi to recompute `period` from the
    /// streams: "identical" when the live figures (facts and daily sums) are what the history
    /// says; otherwise the verdict and the first differences.
    public func auditVerdict(period: String = RunningSuite.auditRange) async throws -> String {
        try await waitUntilSettled()
        let r = try await call("kpi", "POST", "/v1/audit/recompute?period=\(period)", token: "demo-auditor-token")
        let verdict = r.object["verdict"] as? String ?? "status \(r.status)"
        return verdict == "identical" ? verdict : "\(verdict): \(r.text.prefix(3000))"
    }
}
