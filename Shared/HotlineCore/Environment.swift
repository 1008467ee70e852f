import Foundation

/// A configuration problem found at start-up. Processes print it and exit with status 78
/// (EX_CONFIG) so that supervisors do not restart them in a tight loop.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }

    /// The exit status for bad configuration (sysexits.h EX_CONFIG).
    public static let exitStatus: Int32 = 78
}

/// Reads process settings from the environment, with typed accessors that explain bad values.
public struct EnvironmentReader: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) { self.values = values }

    public func string(_ name: String) -> String? {
        guard let v = values[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        return v
    }

    public func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name) else { return fallback }
        guard let v = Int(text), range.contains(v) else {
            throw ConfigurationError("\(name)=\(text) is not an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }
}

/// Exits the process with the configuration status after printing the problem.
public func exitForConfiguration(_ error: ConfigurationError, program: String) -> Never {
    FileHandle.standardError.write(Data("\(program): configuration error: \(error.description)\n".utf8))
    exit(ConfigurationError.exitStatus)
}
