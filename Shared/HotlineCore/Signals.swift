import Dispatch
import Foundation
import Synchronization

/// Turns SIGTERM and SIGINT into a callback, once, for a graceful stop.
public enum Signals {
    /// Installs handlers; `onStop` runs (on a private queue) at the first SIGTERM or SIGINT.
    /// Keeps the sources alive for the life of the process.
    public static func onTermination(_ onStop: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "hotline.signals")
        let fired = Mutex(false)
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
        private let lock = NSLock()
        private var sources: [any DispatchSourceSignal] = []
        static func keep(_ s: any DispatchSourceSignal) {
            shared.lock.lock()
            shared.sources.append(s)
            shared.lock.unlock()
        }
    }
}
