import Foundation
import HotlineBus
import HotlineCore
@testable import HotlineRuntime
import HotlineStreams
import TestSupport
import Testing

/// Catch-up fetches answer only as far as writes have been acknowledged (`LogSyncer`): the
/// publisher learns that bound from the events handed to it after each write returns.
@Suite struct AcknowledgedHeadTests {
    @Test func theBoundIsTheHighestSeqHandedOverWhateverTheOrder() {
        let bus = BusClient(socketPath: "/nonexistent/bus.sock", service: "intake", follows: [], logger: quietLogger())
        let publisher = OrderedPublisher(bus: bus, head: 10)
        #expect(publisher.acknowledgedHead == 10)  // what was stored before this process started
        // Two commits answered out of order: 13 before 11–12 (held back for publishing, but
        // acknowledged, so durable, and with it everything before it in the log).
        publisher.publish([event(13)], producerIdle: false)
        #expect(publisher.acknowledgedHead == 13)
        publisher.publish([event(11), event(12)], producerIdle: true)
        #expect(publisher.acknowledgedHead == 13)
        publisher.publish([event(14)], producerIdle: true)
        #expect(publisher.acknowledgedHead == 14)
    }

    private func event(_ seq: Int64) -> Event {
        Event(stream: "intake", seq: seq, id: "e\(seq)", type: "ticket.received", ticket: "t\(seq)", at: "2026-11-02T09:00:00+08:00",
              data: .object([:]), prev: Event.genesisHash, hash: Event.genesisHash)
    }
}
