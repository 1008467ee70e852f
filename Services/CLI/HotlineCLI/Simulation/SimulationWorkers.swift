import Foundation
import HotlineCore
import Synchronization

/// The simulation's worker threads, started once and kept until the driver goes.
///
/// Each worker blocks on its requests, so a worker is a thread (`concurrentPerform` would run
/// only as many at once as there are cores). Starting them for every batch cost 170 thread
/// starts a second, five for each of the settle loop's polls. Worker `i` alone runs what is
/// handed to `i`, in the order handed, so whatever it owns (its keep-alive connections) is
/// never used by two threads at once, even when two batches overlap.
final class SimulationWorkers: Sendable {
    private final class Lane: Sendable {
        let queued = Mutex<[@Sendable () -> Void]>([])
        let wake = DispatchSemaphore(value: 0)
        let stopped = Atomic<Bool>(false)
    }
    private let lanes: [Lane]

    init(count: Int, name: String = "simulate.worker") {
        lanes = (0..<max(1, count)).map { _ in Lane() }
        for (i, lane) in lanes.enumerated() {
            NamedThread.start("\(name)\(i)") {
                while true {
                    lane.wake.wait()
                    guard let job = lane.queued.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
                        if lane.stopped.load(ordering: .acquiring) { return }
                        continue
                    }
                    job()
                }
            }
        }
    }

    deinit { stop() }

    /// Lets every worker finish what it was handed, then end.
    func stop() {
        for lane in lanes where !lane.stopped.exchange(true, ordering: .acquiringAndReleasing) { lane.wake.signal() }
    }

    /// Runs `body(i)` on workers `0..<n` (at most `count`) and returns once all have returned.
    func run(on n: Int, _ body: @escaping @Sendable (Int) -> Void) async {
        let n = min(n, lanes.count)
        guard n > 0 else { return }
        let left = Countdown(n)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            for i in 0..<n {
                lanes[i].queued.withLock {
                    $0.append {
                        body(i)
                        if left.tick() { done.resume() }
                    }
                }
                lanes[i].wake.signal()
            }
        }
    }

    private final class Countdown: Sendable {
        private let left: Atomic<Int>
        init(_ n: Int) { left = Atomic(n) }
        /// Whether this was the last.
        func tick() -> Bool { left.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 }
    }
}
