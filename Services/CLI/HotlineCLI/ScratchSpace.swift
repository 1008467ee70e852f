import Foundation
import HotlineCore
import Synchronization

/// What a benchmark, simulation, chaos or soak run leaves behind while it runs: the suites it
/// started and their directories under /tmp (a simulated month writes about 2 GB there).
///
/// Ctrl-C or SIGTERM stops those suites and removes the directories instead of leaving six
/// processes and their files behind. A `kill -9` of this process leaves the directory, but
/// not the processes: each suite is started with `HOTLINE_PARENT_PID` and stops itself once
/// its parent is gone.
enum ScratchSpace {
    /// `Process` is not Sendable; it is only touched under the lock or after the run has ended.
    private final class Held: @unchecked Sendable {
        var suites: [Process] = []
        var directories: [String] = []
    }
    private static let held = Mutex(Held())
    /// Set once the termination handler has begun; it ends the process itself.
    private static let stopping = Atomic<Bool>(false)

    /// Whether Ctrl-C or SIGTERM is stopping this run.
    static var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Blocks for good when the termination handler is running, so that the main flow (whose
    /// suite the handler is stopping) cannot exit first with its own status and leave files.
    static func waitIfStopping() {
        guard isStopping else { return }
        while true { pause() }
    }

    /// A new directory under /tmp, removed on Ctrl-C or SIGTERM.
    static func makeDirectory() throws -> String {
        let dir = "/tmp/hlbench-" + String(UUID().uuidString.prefix(8)).lowercased()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        held.withLock { $0.directories.append(dir) }
        return dir
    }

    /// A suite to stop on Ctrl-C or SIGTERM (one that has already ended is skipped then).
    static func adopt(_ suite: Process) {
        held.withLock { h in
            h.suites.removeAll { !$0.isRunning }
            h.suites.append(suite)
        }
    }

    /// Installs the handler: at the first SIGINT or SIGTERM every adopted suite still running
    /// is stopped (SIGTERM, SIGKILL after `grace` seconds), the directories are removed, and
    /// the process exits with 128 + the signal's number, as a shell reports it.
    static func cleanUpOnTermination(grace: TimeInterval = 30) {
        Signals.onTermination { signal in
            stopping.store(true, ordering: .releasing)
            let (suites, directories) = held.withLock { ($0.suites, $0.directories) }
            if !suites.isEmpty || !directories.isEmpty {
                FileHandle.standardError.write(Data("hotline: stopping; removing what this run started\n".utf8))
            }
            for suite in suites { suite.stop(grace: grace) }
            for dir in directories { try? FileManager.default.removeItem(atPath: dir) }
            exit(128 + signal)
        }
    }
}
