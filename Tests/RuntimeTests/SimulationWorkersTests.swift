import Foundation
@testable import HotlineCLI
import Synchronization
import Testing

@Suite struct SimulationWorkersTests {
    /// Two batches handed over at once: each worker index always runs on the same thread and
    /// never twice at the same time (its connections are its own), and a batch returns only
    /// once all its bodies have.
    @Test func workerIndexOwnsOneThreadAndBatchesWaitForAllTheirBodies() async {
        let workers = SimulationWorkers(count: 3, name: "test.worker")
        let threadOf = Mutex<[Int: UInt]>([:])
        let busy = Mutex<Set<Int>>([])
        let overlaps = Atomic<Int>(0)
        let ran = Atomic<Int>(0)
        let body: @Sendable (Int) -> Void = { i in
            let me = UInt(pthread_self())
            threadOf.withLock { t in
                if let seen = t[i], seen != me { overlaps.add(1, ordering: .relaxed) }
                t[i] = me
            }
            if !busy.withLock({ $0.insert(i).inserted }) { overlaps.add(1, ordering: .relaxed) }
            Thread.sleep(forTimeInterval: 0.01)
            busy.withLock { _ = $0.remove(i) }
            ran.add(1, ordering: .relaxed)
        }
        for _ in 0..<5 {
            async let a: Void = workers.run(on: 3, body)
            async let b: Void = workers.run(on: 2, body)
            _ = await (a, b)
        }
        #expect(ran.load(ordering: .relaxed) == 5 * (3 + 2))
        #expect(overlaps.load(ordering: .relaxed) == 0)
        #expect(threadOf.withLock { Set($0.values).count } == 3)
        // More than there are workers runs on all of them, once each.
        let before = ran.load(ordering: .relaxed)
        await workers.run(on: 10, body)
        #expect(ran.load(ordering: .relaxed) - before == 3)
        workers.stop()
    }
}
