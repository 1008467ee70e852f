import Dispatch
import FoundationEssentials
import Glibc
import HotlineCore
import Synchronization

/// Runs quick handlers' jobs on the event loop's own thread.
///
/// A quick handler starts on the loop (`Task.immediate`) and typically suspends at its
/// database read or write; the storage thread that finishes it queues the rest here and wakes
/// the loop, which runs it between polls. Compared with a handler thread this saves two
/// thread hand-offs per request (loop → handler and handler → loop), each a futex wake-up and a
/// context switch: on two cores they were a sixth of a service's CPU under load.
///
/// Once the loop has ended (the server stopped), jobs still arriving — handlers that outlived
/// the drain — run on a thread of their own, so no task is left suspended forever.
final class LoopExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `state` is guarded by its mutex; `poller` is thread-safe for `wake`.
    private struct State {
        var jobs: [UnownedJob] = []
        var closed = false
    }

    private let state = Mutex(State())
    private let poller: Poller
    /// The loop's thread (0 until the loop starts, before any job can be queued).
    private let loopThread = Atomic<UInt>(0)

    init(poller: Poller) { self.poller = poller }

    /// Called on the loop's thread before it runs anything.
    func attachToCurrentThread() { loopThread.store(pthread_self(), ordering: .releasing) }

    var isOnLoopThread: Bool { loopThread.load(ordering: .acquiring) == pthread_self() }

    func enqueue(_ job: UnownedJob) {
        let (first, closed) = state.withLock { s -> (Bool, Bool) in
            if s.closed { return (false, true) }
            s.jobs.append(job)
            return (s.jobs.count == 1, false)
        }
        if closed {
            runElsewhere([job])
        } else if first && !isOnLoopThread {
            // One wake-up per batch: later jobs find the loop already woken.
            poller.wake()
        }
    }

    var hasJobs: Bool { state.withLock { !$0.jobs.isEmpty } }

    /// Runs the jobs queued so far; on the loop's thread.
    func runQueued() {
        let batch = state.withLock { s -> [UnownedJob] in
            defer { s.jobs.removeAll(keepingCapacity: true) }
            return s.jobs
        }
        let executor = asUnownedTaskExecutor()
        for job in batch { job.runSynchronously(on: executor) }
    }

    /// After the loop ends: what is queued and whatever comes later runs off the loop.
    func close() {
        let left = state.withLock { s -> [UnownedJob] in
            s.closed = true
            defer { s.jobs = [] }
            return s.jobs
        }
        if !left.isEmpty { runElsewhere(left) }
    }

    private func runElsewhere(_ jobs: [UnownedJob]) {
        let executor = asUnownedTaskExecutor()
        NamedThread.start("http.late") {
            for job in jobs { job.runSynchronously(on: executor) }
        }
    }
}
