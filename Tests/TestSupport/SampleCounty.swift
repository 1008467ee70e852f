import Foundation

/// Where the repository's sample county configuration lives.
public enum SampleCounty {
    public static var directory: String {
        // Tests/TestSupport/SampleCounty.swift → repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent("deploy/config").path
    }

    /// The repository root (for locating built executables).
    public static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}
