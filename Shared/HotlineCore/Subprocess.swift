import Glibc

/// Runs a program to its end with posix_spawn and waitpid. Foundation's `Process` reaps its
/// children on a run loop an async caller's thread may never service on Linux (seen never
/// noticing the end of `pg_ctl`), and a bare posix_spawn would hand the program every open
/// descriptor (sockets a server it starts would then hold open): descriptors from 3 up are
/// closed in the child.
public enum Subprocess {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// - Parameters:
    ///   - environment: the program's whole environment (`KEY=value`); nil: this process's.
    ///   - captureOutput: stdout and stderr together are returned; otherwise discarded.
    /// - Returns: the exit status (128 + signal when killed) and the output.
    public static func run(_ argv: [String], environment: [String]? = nil, captureOutput: Bool = true) throws -> (status: Int32, output: [UInt8]) {
        precondition(!argv.isEmpty)
        var fds: [Int32] = [-1, -1]
        if captureOutput {
            guard pipe(&fds) == 0 else { throw Failure(description: "pipe: errno \(errno)") }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        closeFromThree(&actions)
        var args: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var env: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
        defer {
            for p in args { free(p) }
            for p in env ?? [] { free(p) }
        }
        var pid: pid_t = 0
        let spawned: Int32 = env == nil
            ? posix_spawn(&pid, argv[0], &actions, nil, &args, environ)
            : posix_spawn(&pid, argv[0], &actions, nil, &args, &env!)
        if captureOutput { close(fds[1]) }
        guard spawned == 0 else {
            if captureOutput { close(fds[0]) }
            throw Failure(description: "cannot run \(argv[0]): error \(spawned)")
        }
        var output = [UInt8]()
        if captureOutput {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
                if n > 0 { output += buffer[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
            }
            close(fds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }

    /// glibc ≥ 2.34's `posix_spawn_file_actions_addclosefrom_np`, looked up at run time (Swift's
    /// Glibc module does not declare it); without it, the capture pipe at least is closed.
    private static func closeFromThree(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }
}
