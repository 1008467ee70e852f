import BusService
import Foundation
import HotlineCore
import Testing

@Suite struct RouterCoreTests {
    private func connectedRouter() -> RouterCore {
        var r = RouterCore()
        for c in 1...3 { r.connected(c) }
        _ = r.send(1, #"{"op":"hello","service":"intake","follows":["dispatch"],"head":7}"#)
        _ = r.send(2, #"{"op":"hello","service":"dispatch","follows":["intake","survey"]}"#)
        _ = r.send(3, #"{"op":"hello","service":"kpi","follows":["intake","dispatch","survey","supervision"]}"#)
        return r
    }

    @Test func welcomesKnownServicesAndRefusesOthers() {
        var r = RouterCore()
        r.connected(1)
        r.connected(2)
        let ok = r.send(1, #"{"op":"hello","service":"intake","follows":[]}"#)
        #expect(lines(ok, to: 1).first?.contains(#""op":"welcome""#) == true)
        let bad = r.send(2, #"{"op":"hello","service":"mallory"}"#)
        #expect(lines(bad, to: 2).first?.contains(#""code":"forbidden""#) == true)
        #expect(bad.contains(.close(2)))
    }

    @Test func requiresHelloFirst() {
        var r = RouterCore()
        r.connected(1)
        let out = r.send(1, #"{"op":"publish","stream":"intake","events":[]}"#)
        #expect(out.contains(.close(1)))
    }

    @Test func fansOutRawEventsToFollowersOnly() {
        var r = connectedRouter()
        let events = #"[{"seq":8,"data":{"note":"原文 kept \"as is\""}}]"#
        let out = r.send(1, #"{"op":"publish","stream":"intake","head":8,"events":\#(events)}"#)
        #expect(lines(out, to: 1).isEmpty)
        let toDispatch = lines(out, to: 2)
        #expect(toDispatch == [#"{"op":"event","stream":"intake","head":8,"events":\#(events)}"# + "\n"])
        #expect(lines(out, to: 3) == toDispatch)
        #expect(out.allSatisfy { if case .send(_, _, let droppable) = $0 { return droppable } else { return false } })
    }

    @Test func passesOnThatTheProducerIsIdle() {
        var r = connectedRouter()
        let events = #"[{"seq":8,"data":{}}]"#
        let idle = r.send(1, #"{"op":"publish","stream":"intake","head":8,"events":\#(events),"idle":true}"#)
        #expect(lines(idle, to: 2) == [#"{"op":"event","stream":"intake","head":8,"idle":true,"events":\#(events)}"# + "\n"])
        let busy = r.send(1, #"{"op":"publish","stream":"intake","head":9,"events":[{"seq":9}],"idle":false}"#)
        #expect(lines(busy, to: 2) == [#"{"op":"event","stream":"intake","head":9,"events":[{"seq":9}]}"# + "\n"])
    }

    @Test func refusesPublishingAnotherStream() {
        var r = connectedRouter()
        let out = r.send(2, #"{"op":"publish","stream":"intake","events":[]}"#)
        #expect(lines(out, to: 2).first?.contains("forbidden") == true)
        #expect(lines(out, to: 3).isEmpty)
    }

    @Test func routesFetchToProducerAndAnswerBack() throws {
        var r = connectedRouter()
        let forwarded = r.send(2, #"{"op":"fetch","id":"d-1","stream":"intake","after":3,"limit":100}"#)
        let request = try #require(lines(forwarded, to: 1).first)
        #expect(request.contains(#""after":3"#) && request.contains(#""limit":100"#))
        let routedID = try #require(request.split(separator: "\"").drop { $0 != "id" }.dropFirst(2).first)
        let answer = r.send(1, #"{"op":"events","id":"\#(routedID)","stream":"intake","head":9,"events":[{"seq":4}]}"#)
        #expect(lines(answer, to: 2) == [#"{"op":"events","id":"d-1","stream":"intake","head":9,"events":[{"seq":4}]}"# + "\n"])
        // A second answer to the same request is ignored.
        #expect(r.send(1, #"{"op":"events","id":"\#(routedID)","stream":"intake","head":9,"events":[]}"#).isEmpty)
    }

    @Test func fetchFailsFastWhenProducerIsAwayOrLeaves() {
        var r = connectedRouter()
        let away = r.send(2, #"{"op":"fetch","id":"x","stream":"survey","after":0}"#)
        #expect(lines(away, to: 2).first?.contains("unavailable") == true)
        _ = r.send(3, #"{"op":"fetch","id":"k-1","stream":"intake","after":0}"#)
        let gone = r.disconnected(1)
        #expect(lines(gone, to: 3).first?.contains(#""id":"k-1""#) == true)
    }

    @Test func fetchOnlyFollowedStreams() {
        var r = connectedRouter()
        let out = r.send(1, #"{"op":"fetch","id":"x","stream":"survey","after":0}"#)
        #expect(lines(out, to: 1).first?.contains("forbidden") == true)
    }

    @Test func closesOnNonJSONButKeepsOthers() {
        var r = connectedRouter()
        let out = r.send(2, "this is not json")
        #expect(lines(out, to: 2).first?.contains("not_json") == true)
        #expect(out.contains(.close(2)))
        #expect(!r.send(3, #"{"op":"ping","id":"p"}"#).isEmpty)
        #expect(r.lineTooLong(3, limit: 10).contains(.close(3)))
    }

    @Test func headIsAnsweredFromWhatProducersReported() {
        var r = connectedRouter()
        #expect(lines(r.send(2, #"{"op":"head","id":"h","stream":"intake"}"#), to: 2).first?.contains(#""seq":7"#) == true)
        _ = r.send(1, #"{"op":"publish","stream":"intake","head":12,"events":[]}"#)
        #expect(lines(r.send(2, #"{"op":"head","id":"h","stream":"intake"}"#), to: 2).first?.contains(#""seq":12"#) == true)
    }

    @Test func clockIsAdminOnlyMonotonicAndBroadcast() {
        var r = connectedRouter()
        r.connected(9)
        _ = r.send(9, #"{"op":"hello","service":"hotline"}"#)
        #expect(lines(r.send(2, #"{"op":"clock","at":"2026-01-05T00:00:00Z"}"#), to: 2).first?.contains("forbidden") == true)
        let set = r.send(9, #"{"op":"clock","at":"2026-01-05T00:00:00Z"}"#)
        for c in [1, 2, 3, 9] { #expect(lines(set, to: c) == [#"{"op":"clock","at":"2026-01-05T00:00:00.000Z"}"# + "\n"]) }
        #expect(r.send(9, #"{"op":"clock","at":"2026-01-04T00:00:00Z"}"#).isEmpty)
        // A service reconnecting with a later clock (the bus restarted) moves it forward.
        r.connected(10)
        let welcome = r.send(10, #"{"op":"hello","service":"survey","at":"2026-02-01T00:00:00Z"}"#)
        #expect(lines(welcome, to: 10).first?.contains("2026-02-01T00:00:00.000Z") == true)
    }

    /// A clock move with an id is answered once every connected service on the manual clock
    /// has applied it (issue 15): not before, not for a service on the system clock, and a
    /// service that leaves holds nothing back.
    @Test func clockMoveIsAnsweredWhenEveryServiceAppliedIt() {
        var r = connectedRouter()
        r.connected(9)
        _ = r.send(9, #"{"op":"hello","service":"hotline"}"#)
        let move = r.send(9, #"{"op":"clock","id":"m1","at":"2026-01-05T00:00:00Z"}"#)
        #expect(lines(move, to: 9) == [#"{"op":"clock","at":"2026-01-05T00:00:00.000Z"}"# + "\n"], "no answer yet")
        #expect(lines(r.send(1, #"{"op":"clock-applied","at":"2026-01-05T00:00:00Z"}"#), to: 9).isEmpty)
        #expect(lines(r.send(2, #"{"op":"clock-applied","at":"2026-01-04T00:00:00Z"}"#), to: 9).isEmpty, "an older time is not it")
        #expect(lines(r.send(2, #"{"op":"clock-applied","code":"system"}"#), to: 9).isEmpty, "kpi still owes it")
        #expect(lines(r.send(9, #"{"op":"clock-applied","at":"2026-01-05T00:00:00Z"}"#), to: 9).isEmpty, "an admin's word does not count")
        let done = r.send(3, #"{"op":"clock-applied","at":"2026-01-05T00:00:00Z"}"#)
        #expect(lines(done, to: 9) == [#"{"op":"clock-applied","at":"2026-01-05T00:00:00.000Z","id":"m1","services":["intake","kpi"]}"# + "\n"])
        #expect(r.send(3, #"{"op":"clock-applied","at":"2026-01-05T00:00:00Z"}"#).isEmpty, "answered once")

        // A service that disconnects while a move waits for it releases the move.
        _ = r.send(9, #"{"op":"clock","id":"m2","at":"2026-01-06T00:00:00Z"}"#)
        _ = r.send(1, #"{"op":"clock-applied","at":"2026-01-06T00:00:00Z"}"#)
        let gone = r.disconnected(3)
        #expect(lines(gone, to: 9).first?.contains(#""services":["intake"]"#) == true, "\(lines(gone, to: 9))")
        // Asked again, a move is sent again to the services on the manual clock that have not
        // applied it: not to intake (applied), nor dispatch (system clock).
        r.connected(11)
        _ = r.send(11, #"{"op":"hello","service":"supervision"}"#)
        let again = r.send(9, #"{"op":"clock","id":"m2b","at":"2026-01-06T00:00:00Z"}"#)
        #expect(lines(again, to: 11).first?.contains(#""op":"clock""#) == true && lines(again, to: 1).isEmpty && lines(again, to: 2).isEmpty,
                "\(again)")
        _ = r.send(11, #"{"op":"clock-applied","at":"2026-01-06T00:00:00Z"}"#)
        // A move to a time already passed waits for the current clock, and a requester that
        // leaves is forgotten.
        r.connected(10)
        _ = r.send(10, #"{"op":"hello","service":"survey"}"#)
        #expect(lines(r.send(9, #"{"op":"clock","id":"m3","at":"2026-01-01T00:00:00Z"}"#), to: 9).isEmpty)
        _ = r.disconnected(9)
        #expect(r.send(10, #"{"op":"clock-applied","at":"2026-01-06T00:00:00Z"}"#).isEmpty)
    }

    @Test func newerConnectionReplacesOlder() {
        var r = connectedRouter()
        r.connected(4)
        let out = r.send(4, #"{"op":"hello","service":"intake","follows":[]}"#)
        #expect(out.contains(.close(1)))
        let fetch = r.send(2, #"{"op":"fetch","id":"z","stream":"intake","after":0}"#)
        #expect(!lines(fetch, to: 4).isEmpty)
    }

    /// Bound identities (issue 11): a name is used only from its uids; another service's uid
    /// can neither say hello as it nor displace its live connection; unlisted names are refused.
    @Test func identitiesBindNamesToPeerUids() {
        var r = RouterCore(configuration: .init(identities: ["intake": [10001], "kpi": [10005], "hotline": [10000, 0]]))
        r.connected(1, uid: 10001)
        r.connected(2, uid: 10005)
        r.connected(3, uid: 10005)
        r.connected(4, uid: 10002)
        r.connected(5, uid: 0)
        r.connected(6)
        #expect(lines(r.send(1, #"{"op":"hello","service":"intake"}"#), to: 1).first?.contains("welcome") == true)
        let spoof = r.send(2, #"{"op":"hello","service":"intake"}"#)
        #expect(lines(spoof, to: 2).first?.contains("intake may not connect as uid 10005") == true)
        #expect(spoof.contains(.close(2)) && lines(spoof, to: 1).isEmpty, "the real intake keeps its connection")
        #expect(spoof.contains(.refused(2, reason: "intake may not connect as uid 10005")), "the bus logs it")
        #expect(lines(r.send(3, #"{"op":"hello","service":"kpi"}"#), to: 3).first?.contains("welcome") == true)
        let unlisted = r.send(4, #"{"op":"hello","service":"dispatch"}"#)
        #expect(lines(unlisted, to: 4).first?.contains("forbidden") == true && unlisted.contains(.close(4)))
        #expect(lines(r.send(5, #"{"op":"hello","service":"hotline"}"#), to: 5).first?.contains("welcome") == true)
        let unknownPeer = r.send(6, #"{"op":"hello","service":"hotline"}"#)
        #expect(lines(unknownPeer, to: 6).first?.contains("uid unknown") == true)
    }

    @Test func identitiesAreReadFromTheEnvironment() throws {
        let known = RouterCore.Configuration()
        let map = try BusCommand.identities("intake=10001, kpi=10005,hotline=10000,hotline=0", known: known)
        #expect(map == ["intake": [10001], "kpi": [10005], "hotline": [10000, 0]])
        #expect(try BusCommand.identities(nil, known: known).isEmpty)
        for bad in ["intake", "intake=x", "mallory=1", "intake=-1"] {
            #expect(throws: ConfigurationError.self) { try BusCommand.identities(bad, known: known) }
        }
    }
}
