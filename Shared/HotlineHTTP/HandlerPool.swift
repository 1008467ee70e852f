import Foundation
import Synchronization

/// The threads request handlers run on, started as needed up to `maxThreads`.
///
/// Not the concurrency pool: it has a thread per core, and one slow handler (an audit
/// recomputing a year, a large export) would hold one of two cores' worth of it, stalling
/// every stream follower and every other request of the service. Here a slow handler holds
/// only its own thread; requests beyond `maxThreads` wait in order.
final class HandlerPool: Sendable {
    private struct Job {
        let work: @Sendable () async -> HTTPResponse
        let done: @Sendable (HTTPResponse) -> Void
    }

    private struct State {
        var jobs: [Job] = []
        var first = 0
        var threads = 0
        var idle = 0
        var stopping = false
    }

    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)
    let maxThreads: Int

    init(maxThreads: Int) { self.maxThreads = max(1, maxThreads) }

    /// Runs `work` on a handler thread and passes its answer to `done` (on that thread).
    func submit(_ work: @escaping @Sendable () async -> HTTPResponse, done: @escaping @Sendable (HTTPResponse) -> Void) {
        let spawn = state.withLock { s -> Bool in
            s.jobs.append(Job(work: work, done: done))
            guard s.idle == 0, s.threads < maxThreads else {
                if s.idle > 0 { s.idle -= 1 }
                return false
            }
            s.threads += 1
            return true
        }
        if spawn {
            let thread = Thread { [self] in loop() }
            thread.name = "http.handler"
            thread.stackSize = 512 * 1024
            thread.start()
        } else {
            ready.signal()
        }
    }

    /// Lets the threads end once the queue is empty.
    func stop() {
        let threads = state.withLock { s -> Int in
            s.stopping = true
            return s.threads
        }
        for _ in 0..<threads { ready.signal() }
    }

    private func loop() {
        while true {
            let job = state.withLock { s -> Job? in
                guard s.first < s.jobs.count else { return nil }
                let job = s.jobs[s.first]
                s.first += 1
                if s.first == s.jobs.count {
                    s.jobs.removeAll(keepingCapacity: true)
                    s.first = 0
                }
                return job
            }
            if let job {
                job.done(Self.runBlocking(job.work))
                continue
            }
            let stop = state.withLock { s -> Bool in
                if s.stopping {
                    s.threads -= 1
                    return true
                }
                s.idle += 1
                return false
            }
            if stop { return }
            ready.wait()
        }
    }

    /// Runs async work on this thread (never a pool thread) and waits for it.
    static func runBlocking(_ work: @escaping @Sendable () async -> HTTPResponse) -> HTTPResponse {
        let box = ResponseBox()
        let executor = ConnectionExecutor()
        // Runs on this thread until the handler first suspends (typically at its database
        // write); what follows the suspension is queued back to this thread too.
        Task.immediate(executorPreference: executor) {
            let response = await work()
            box.finish(response)
            executor.enqueueWakeUp()
        }
        executor.drain { box.isFinished }
        return box.value ?? Problem(status: 500).response
    }

    private final class ResponseBox: Sendable {
        private let state = Mutex<HTTPResponse?>(nil)
        func finish(_ response: HTTPResponse) { state.withLock { $0 = response } }
        var isFinished: Bool { state.withLock { $0 != nil } }
        var value: HTTPResponse? { state.withLock { $0 } }
    }
}
