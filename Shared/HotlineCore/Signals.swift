import Dispatch
import FoundationEssentials
import Glibc
import Synchronization

/// Turns SIGTERM and SIGINT into a callback, once, for a graceful stop.
public enum Signals {
    /// Installs handlers; `onStop` runs (on a private queue) at the first SIGTERM or SIGINT,
    /// or — for a child of `hotline run`, which sets `HOTLINE_PARENT_PID` — when that parent
    /// is gone (`kill -9` of the supervisor must not leave services running): then with 0.
    /// Keeps the sources alive for the life of the process.
    public static func onTermination(_ onStop: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "hotline.signals")
        let fired = Mutex(false)
        if let text = ProcessInfo.processInfo.environment["HOTLINE_PARENT_PID"], let parent = Int32(text) {
            // Reparented (the parent died) shows as a new parent pid; polled, as Linux's
            // parent-death signal follows the forking thread, not the process.
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + 0.25, repeating: 0.25)
            timer.setEventHandler {
                guard getppid() != parent else { return }
                let first = fired.withLock { f -> Bool in
                    defer { f = true }
                    return !f
                }
                if first { onStop(0) }
            }
            timer.resume()
            Keeper.keep(timer)
        }
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler {
                let first = fired.withLock { f -> Bool in
                    defer { f = true }
                    return !f
                }
                if first { onStop(sig) }
            }
            source.resume()
            Keeper.keep(source)
        }
        signal(SIGPIPE, SIG_IGN)
    }

    /// Holds the signal sources so they are never released.
    private final class Keeper: @unchecked Sendable {
        // @unchecked: `sources` is only touched under `lock`.
        static let shared = Keeper()
        private let lock = Mutex(())
        private var sources: [any DispatchSourceProtocol] = []
        static func keep(_ s: any DispatchSourceProtocol) {
            shared.lock.withLock { _ in shared.sources.append(s) }
        }
    }
}
