import Foundation
import Glibc

/// Runs a program to its end. - Returns: its exit status and what it wrote on stdout and
/// stderr together.
/// - Parameter environment: added to (and overriding) this process's environment.
///
/// posix_spawn and waitpid, not Foundation's `Process`: on Linux its `waitUntilExit()` (and
/// `isRunning`) depend on a run loop an async caller's thread may never service — seen never
/// noticing the end of `pg_ctl start`, whose server outlives it.
public func runProgram(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
    var fds: [Int32] = [0, 0]
    // Close-on-exec: only the copies made stdout and stderr reach the program, so a server it
    // starts with its output elsewhere does not keep our pipe open.
    guard pipe(&fds) == 0 else { throw TestSetupError(message: "pipe: errno \(errno)") }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
    let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
    var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    var envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
    defer { for p in argv + envp { free(p) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, nil, &argv, &envp)
    close(fds[1])
    guard spawned == 0 else {
        close(fds[0])
        throw TestSetupError(message: "cannot run \(path): error \(spawned)")
    }
    var output = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
        if n > 0 { output += buffer[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
    }
    close(fds[0])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (exit, String(decoding: output, as: UTF8.self))
}

/// `runProgram` on a thread of its own: a long program (a simulation) must not hold one of the
/// few threads every async test shares (two on this machine) while it runs.
public func runProgramAsync(_ path: String, _ arguments: [String], environment: [String: String] = [:]) async throws
    -> (status: Int32, output: String)
{
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try runProgram(path, arguments, environment: environment) }) }.start()
    }
}
