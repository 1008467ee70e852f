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
                      "not json", #"{"op":"x"} trailing"#])
    func malformedLinesAreRefused(line: String) {
        #expect(throws: (any Error).self) { try BusFrame.decode(line: Array(line.utf8)) }
    }
}
