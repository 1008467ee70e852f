@testable import HotlineRuntime
import Testing

/// When a follower's pushed batch stops waiting for company.
@Suite struct LingerTests {
    let quiet = Linger.quietNanoseconds

    @Test func aLoneEventWaitsOneQuietIntervalThenApplies() {
        #expect(Linger.keepWaiting(count: 1, seenBefore: nil, waited: 0, overflowed: false))
        #expect(!Linger.keepWaiting(count: 1, seenBefore: 1, waited: quiet, overflowed: false))
    }

    @Test func aBatchWhoseProducerIsIdleAppliesAtOnce() {
        #expect(!Linger.keepWaiting(count: 1, seenBefore: nil, waited: 0, overflowed: false, producerIdle: true))
        #expect(!Linger.keepWaiting(count: 3, seenBefore: 1, waited: quiet, overflowed: false, producerIdle: true))
        #expect(Linger.keepWaiting(count: 3, seenBefore: 1, waited: quiet, overflowed: false, producerIdle: false))
    }

    @Test func aBatchKeepsWaitingWhileEachIntervalBringsMore() {
        #expect(Linger.keepWaiting(count: 3, seenBefore: 1, waited: quiet, overflowed: false))
        #expect(Linger.keepWaiting(count: 40, seenBefore: 3, waited: 2 * quiet, overflowed: false))
        #expect(!Linger.keepWaiting(count: 40, seenBefore: 40, waited: 3 * quiet, overflowed: false))
    }

    @Test func aLargeEnoughBatchAppliesAtOnce() {
        #expect(!Linger.keepWaiting(count: Linger.enough, seenBefore: nil, waited: 0, overflowed: false))
        #expect(!Linger.keepWaiting(count: Linger.enough + 1, seenBefore: 10, waited: quiet, overflowed: false))
        #expect(Linger.keepWaiting(count: Linger.enough - 1, seenBefore: 10, waited: quiet, overflowed: false))
    }

    @Test func noBatchWaitsLongerThanTheLongestWait() {
        #expect(Linger.keepWaiting(count: 5, seenBefore: 4, waited: Linger.longestNanoseconds - 1, overflowed: false))
        #expect(!Linger.keepWaiting(count: 5, seenBefore: 4, waited: Linger.longestNanoseconds, overflowed: false))
        #expect(Linger.longestNanoseconds >= Linger.quietNanoseconds)
    }

    @Test func droppedPushesOrNothingWaitingEndTheWait() {
        #expect(!Linger.keepWaiting(count: 5, seenBefore: nil, waited: 0, overflowed: true))
        #expect(!Linger.keepWaiting(count: 0, seenBefore: nil, waited: 0, overflowed: false))
    }
}
