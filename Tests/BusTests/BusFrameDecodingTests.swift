import Foundation
import HotlineBus
import HotlineCore
import HotlineStreams
import Testing

/// The hand-written frame reader gives what `JSONDecoder` gives, and refuses what it refuses.
@Suite struct BusFrameDecodingTests {
    private let event = Event(stream: "intake", seq: 42, id: "e-42", type: "ticket.received", ticket: "T1", at: "2026-11-23T01:00:00.000Z",
                              data: .object(["content": .string("路灯不亮\n\"三天\""), "n": .number(3), "ok": .bool(true), "x": .null,
                                             "list": .array([.number(1.5), .string("a")])]),
                              prev: String(repeating: "0", count: 64), hash: String(repeating: "f", count: 64))

    @Test func framesReadAsJSONDecoderReadsThem() throws {
        let frames = [
            BusFrame(op: "event", stream: "intake", events: [event, event], head: 43),
            BusFrame(op: "event", stream: "intake", events: [event], head: 42, idle: true),
            BusFrame(op: "welcome", service: "kpi", heads: ["intake": 7, "dispatch": 0], at: "2026-11-23T01:00:00.000Z"),
            BusFrame(op: "fetch", id: "f1", stream: "intake", after: 10, limit: 500),
            BusFrame(op: "hello", service: "kpi", follows: ["intake", "dispatch"], head: 3),
            BusFrame(op: "error", id: "x", code: "forbidden", message: "kpi may not connect as uid 7"),
            BusFrame(op: "events", id: "f1", stream: "intake", events: [Event(stream: "intake", seq: 1, id: "a", type: "t", ticket: nil,
                                                                              at: "2026-11-23T01:00:00.000Z", data: .object([:]), prev: "p", hash: "h")], head: 1),
        ]
        for frame in frames {
            let line = Array(try JSONEncoder().encode(frame))
            let reference = try JSONDecoder().decode(BusFrame.self, from: Data(line))
            #expect(try BusFrame.decode(line: line) == reference)
            #expect(reference == frame)
        }
    }

    @Test(arguments: [#"{"stream":"x"}"#, #"{"op":1}"#, #"{"op":"event","events":{}}"#, #"{"op":"event","head":"7"}"#,
                      #"{"op":"event","events":[{"stream":"s","seq":1.5,"id":"a","type":"t","at":"x","data":{},"prev":"p","hash":"h"}]}"#,
                      #"{"op":"event","events":[{"stream":"s","seq":1,"type":"t","at":"x","data":{},"prev":"p","hash":"h"}]}"#,
                      #"{"op":"event","events":[{"stream":"s","seq":1,"id":"a","type":"t","at":"x","data":{"a":},"prev":"p","hash":"h"}]}"#,
                      #"{"op":"event","events":[{"stream":"s","seq":1,"id":"a","type":"t","at":"x","data":"\u00zz","prev":"p","hash":"h"}]}"#,
                      #"{"op":"event","events":[{"stream":7,"seq":1,"id":"a","type":"t","at":"x","data":{},"prev":"p","hash":"h"}]}"#,
                      #"{"op":"event","idle":1}"#, #"{"op":"event","idle":"true"}"#,
                      "not json", #"{"op":"x"} trailing"#])
    func malformedLinesAreRefused(line: String) {
        #expect(throws: (any Error).self) { try BusFrame.decode(line: Array(line.utf8)) }
    }

    /// A pushed event keeps its payload as the bytes it came in: the chain check hashes them as
    /// they are, and the payload is parsed when read.
    @Test func aPayloadIsHashedAsItCameAndParsedWhenRead() throws {
        let data: JSONValue = .object(["content": .string("路灯不亮 \"三天\""), "n": .number(3), "nested": .object(["b": .array([.bool(true), .null])])])
        let chained = try EventChain.build(stream: "intake", [.init(type: "ticket.received", ticket: "T1", at: "2026-11-23T01:00:00.000Z", data: data)])
        let line = Array(#"{"events":["#.utf8) + (try chained[0].canonicalJSON()) + Array(#"],"head":1,"op":"event","stream":"intake"}"#.utf8)
        let decoded = try #require(try BusFrame.decode(line: line).events?.first)
        #expect(try decoded.computedHash() == chained[0].hash)
        #expect(decoded.data == data)
        #expect(decoded == chained[0])
        #expect(try decoded.canonicalJSON() == chained[0].canonicalJSON())
    }

    /// Bytes that spell the same payload another way (members in another order, spaces) are
    /// checked against the canonical form, as a parsed value would be; changed content fails.
    @Test func anotherSpellingOfThePayloadStillVerifiesAndAChangeDoesNot() throws {
        let data: JSONValue = .object(["a": .number(1), "b": .string("x")])
        let chained = try EventChain.build(stream: "intake", [.init(type: "t", ticket: nil, at: "2026-11-23T01:00:00.000Z", data: data)])
        let e = chained[0]
        func line(_ payload: String) -> [UInt8] {
            Array(#"{"op":"event","stream":"intake","events":[{"stream":"intake","seq":1,"id":"\#(e.id)","type":"t","at":"\#(e.at)","data":\#(payload),"prev":"\#(e.prev)","hash":"\#(e.hash)"}]}"#.utf8)
        }
        let respelled = try #require(try BusFrame.decode(line: line(#"{ "b" : "x", "a" : 1.0 }"#)).events?.first)
        #expect(try respelled.computedHash() == e.hash)
        let changed = try #require(try BusFrame.decode(line: line(#"{"a":2,"b":"x"}"#)).events?.first)
        #expect(try changed.computedHash() != e.hash)
    }
}
