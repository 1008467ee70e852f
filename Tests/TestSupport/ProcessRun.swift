import Foundation
import HotlineCore

/// Runs a program to its end (`Subprocess`: posix_spawn, no inherited descriptors, waitpid).
/// - Returns: its exit status and what it wrote on stdout and stderr together.
/// - Parameter environment: added to (and overriding) this process's environment.
public func runProgram(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
    let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
    let (status, output) = try Subprocess.run([path] + arguments, environment: env)
    return (status, String(decoding: output, as: UTF8.self))
}

/// `runProgram` on a thread of its own: a long program (a simulation) must not hold one of the
/// few threads every async test shares (two on this machine) while it runs.
public func runProgramAsync(_ path: String, _ arguments: [String], environment: [String: String] = [:]) async throws
    -> (status: Int32, output: String)
{
    try await onThread { try runProgram(path, arguments, environment: environment) }
}

/// Runs blocking code (sockets, programs) on a thread of its own, not on one of the few
/// threads every async test shares.
public func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in Thread { c.resume(with: Result { try body() }) }.start() }
}
