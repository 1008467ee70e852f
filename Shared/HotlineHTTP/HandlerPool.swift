import FoundationEssentials
import Dispatch
import HotlineCore
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
    /// Wakes one idle thread, or starts one below `maxThreads`; otherwise a busy thread takes
    /// the job when it finishes its own.
    func submit(_ work: @escaping @Sendable () async -> HTTPResponse, done: @escaping @Sendable (HTTPResponse) -> Void) {
        enum Action { case wake, spawn, none }
        let action = state.withLock { s -> Action in
            s.jobs.append(Job(work: work, done: done))
            if s.idle > 0 {
                s.idle -= 1  // one signal per thread counted idle: none is ever left over
                return .wake
            }
            guard s.threads < maxThreads else { return .none }
            s.threads += 1
            return .spawn
        }
        switch action {
        case .wake: ready.signal()
        case .spawn:
            NamedThread.start("http.handler", stackSize: 512 * 1024) { [self] in loop() }
        case .none: break
        }
    }

    /// Lets the threads end once the queue is empty.
    func stop() {
        let idle = state.withLock { s -> Int in
            s.stopping = true
            defer { s.idle = 0 }
            return s.idle
        }
        for _ in 0..<idle { ready.signal() }
    }

    private enum Next { case run(Job), wait, stop }

    private func loop() {
        while true {
            // Taking a job, or counting itself idle, in one step: a job queued in between
            // cannot be missed by both this thread and `submit`.
            let next = state.withLock { s -> Next in
                if s.first < s.jobs.count {
                    let job = s.jobs[s.first]
                    s.first += 1
                    if s.first == s.jobs.count {
                        s.jobs.removeAll(keepingCapacity: true)
                        s.first = 0
                    }
                    return .run(job)
                }
                if s.stopping {
                    s.threads -= 1
                    return .stop
                }
                s.idle += 1
                return .wait
            }
            switch next {
            case .run(let job): job.done(Self.runBlocking(job.work))
            case .wait: ready.wait()
            case .stop: return
            }
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
