import Dispatch
import Synchronization

/// Runs a request handler's jobs on the handler thread that is waiting for its answer.
///
/// A handler suspended at its database write is resumed by the writer thread. Without a
/// preference its continuation would go to the cooperative pool, which then had to wake the
/// handler thread: two hand-offs per request. With this executor the continuation is
/// queued here and the waiting handler thread runs it itself.
final class ConnectionExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` is guarded by its mutex; `ready` is a semaphore.
    private let jobs = Mutex<[UnownedJob]>([])
    private let ready = DispatchSemaphore(value: 0)

    func enqueue(_ job: UnownedJob) {
        jobs.withLock { $0.append(job) }
        ready.signal()
    }

    /// Wakes the draining thread to check its condition again.
    func enqueueWakeUp() { ready.signal() }

    /// Runs queued jobs on the calling thread until `isDone` holds.
    func drain(until isDone: () -> Bool) {
        let executor = asUnownedTaskExecutor()
        while !isDone() {
            ready.wait()
            let batch = jobs.withLock { queued -> [UnownedJob] in
                defer { queued.removeAll(keepingCapacity: true) }
                return queued
            }
            for job in batch { job.runSynchronously(on: executor) }
        }
    }
}
