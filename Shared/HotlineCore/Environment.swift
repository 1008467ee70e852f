import FoundationEssentials
import Glibc

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
        guard let v = values[name]?.trimmingWhitespace(), !v.isEmpty else { return nil }
        return v
    }

    /// A secret: `NAME` itself, or the contents of the file named by `NAME_FILE` (the
    /// convention of container secrets; one trailing newline dropped). Both set, or a file
    /// that cannot be read or is empty, is a configuration error.
    public func secret(_ name: String) throws -> String? {
        let direct = string(name)
        guard let path = string(name + "_FILE") else { return direct }
        guard direct == nil else { throw ConfigurationError("set \(name) or \(name)_FILE, not both") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("\(name)_FILE=\(path) cannot be read")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        if text.hasSuffix("\r") { text.removeLast() }
        guard !text.isEmpty else { throw ConfigurationError("\(name)_FILE=\(path) is empty") }
        return text
    }

    /// `HOTLINE_DEMO=1`: a demonstration, where the sample county's public tokens and the
    /// built-in phone-hash key are allowed (`hotline run` sets it). Anywhere else a service
    /// refuses them at start.
    public var demoMode: Bool { ["1", "true", "yes"].contains(string("HOTLINE_DEMO")?.lowercased() ?? "") }

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
    writeToStandardError("\(program): configuration error: \(error.description)\n")
    exit(ConfigurationError.exitStatus)
}
