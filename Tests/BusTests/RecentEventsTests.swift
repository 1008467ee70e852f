@testable import BusService
import Foundation
import Testing

/// The bus answers catch-up fetches from the producer's latest publish lines while they are
/// there, contiguous and the producer connected; otherwise the producer answers as before.
@Suite struct RecentEventsTests {
    private func publish(_ r: inout RouterCore, _ seqs: ClosedRange<Int>) {
        let events = seqs.map { #"{"seq":\#($0)}"# }.joined(separator: ",")
        _ = r.send(1, #"{"op":"publish","stream":"intake","head":\#(seqs.upperBound),"first":\#(seqs.lowerBound),"events":[\#(events)],"last":\#(seqs.upperBound)}"#)
    }

    private func router(bytes: Int = 4 << 20) -> RouterCore {
        var r = RouterCore(configuration: .init(recentBytesPerStream: bytes))
        for c in 1...2 { r.connected(c) }
        _ = r.send(1, #"{"op":"hello","service":"intake","follows":[],"head":0}"#)
        _ = r.send(2, #"{"op":"hello","service":"kpi","follows":["intake"]}"#)
        return r
    }

    private func fetch(_ r: inout RouterCore, after: Int, limit: Int = 100) -> (toConsumer: [String], toProducer: [String]) {
        let out = r.send(2, #"{"op":"fetch","id":"k-1","stream":"intake","after":\#(after),"limit":\#(limit)}"#)
        return (lines(out, to: 2), lines(out, to: 1))
    }

    @Test func recentLinesAnswerFetchesWithoutTheProducer() {
        var r = router()
        publish(&r, 1...3)
        publish(&r, 4...6)
        let answered = fetch(&r, after: 2)
        #expect(answered.toProducer.isEmpty)
        #expect(answered.toConsumer == [#"{"op":"events","id":"k-1","stream":"intake","head":6,"events":[{"seq":1},{"seq":2},{"seq":3},{"seq":4},{"seq":5},{"seq":6}]}"# + "\n"])
        // Whole lines up to the limit: after 0 with limit 4 gives the first line only.
        #expect(fetch(&r, after: 0, limit: 4).toConsumer.first?.contains(#"{"seq":4}"#) == false)
        // Beyond what the bus holds: the producer answers.
        #expect(fetch(&r, after: 6).toProducer.count == 1)
        #expect(r.fetchesAnsweredHere == 2 && r.fetchesForwarded == 1)
    }

    @Test func aGapAReconnectOrAnUnlabelledLineStartsOver() {
        var r = router()
        publish(&r, 1...3)
        publish(&r, 7...9)  // 4–6 never reached the bus
        #expect(fetch(&r, after: 3).toProducer.count == 1, "the bus must not claim 4–6")
        #expect(fetch(&r, after: 7).toConsumer.count == 1)

        r.connected(4)  // the producer came back on a new connection
        _ = r.send(4, #"{"op":"hello","service":"intake","follows":[],"head":9}"#)
        let out = r.send(2, #"{"op":"fetch","id":"k-2","stream":"intake","after":7,"limit":100}"#)
        #expect(lines(out, to: 4).count == 1 && lines(out, to: 2).isEmpty)

        var s = router()
        publish(&s, 1...3)
        _ = s.send(1, #"{"op":"publish","stream":"intake","head":4,"events":[{"seq":4}]}"#)
        #expect(fetch(&s, after: 1).toProducer.count == 1)
    }

    @Test func theProducerLeavingEmptiesItsLines() {
        var r = router()
        publish(&r, 1...3)
        _ = r.disconnected(1)
        let out = fetch(&r, after: 0)
        #expect(out.toConsumer.first?.contains("unavailable") == true)
    }

    @Test func boundedByBytesOldestFirst() {
        var r = router(bytes: 40)  // two lines of three `{"seq":N}` (29 bytes each) do not fit
        publish(&r, 1...3)
        publish(&r, 4...6)
        #expect(fetch(&r, after: 0).toProducer.count == 1)
        #expect(fetch(&r, after: 3).toConsumer.count == 1)

        var recent = RecentEvents(limit: 1 << 20)
        recent.append(first: 1, last: 3, line: Array("[a]".utf8), events: 1..<2)
        recent.append(first: 4, last: 5, line: Array("[b]".utf8), events: 1..<2)
        #expect(recent.answer(after: 4, limit: 10, maxBytes: 100).map { String(decoding: $0.events, as: UTF8.self) } == "b")
        #expect(recent.answer(after: 0, limit: 10, maxBytes: 2) .map { String(decoding: $0.events, as: UTF8.self) } == "a")
        #expect(recent.answer(after: 5, limit: 10, maxBytes: 100) == nil)
    }
}
