import Foundation
import HotlineCore
import Testing

@Suite struct JSONSkimTests {
    @Test func findsTopLevelMembersWithoutDecodingValues() throws {
        let line = Array(#"{"op":"publish","stream":"intake","events":[{"seq":1,"data":{"a":"}"}}],"n":-1.5e3}"#.utf8)
        let skim = try JSONSkim.skim(line)
        let events = try #require(skim.members["events"])
        #expect(String(decoding: line[events], as: UTF8.self) == #"[{"seq":1,"data":{"a":"}"}}]"#)
        line.withUnsafeBufferPointer { buffer in
            #expect(skim.string("op", in: buffer) == "publish")
            #expect(skim.string("stream", in: buffer) == "intake")
            #expect(skim.string("events", in: buffer) == nil)
        }
    }

    @Test func locatesTheItemsOfOneArrayMemberInTheSamePass() throws {
        func items(_ text: String, of key: String?) throws -> [String]? {
            let bytes = Array(text.utf8)
            return try bytes.withUnsafeBufferPointer { buffer throws -> [String]? in
                try JSONSkim(buffer, itemsOf: key).items?.map { String(decoding: buffer[$0], as: UTF8.self) }
            }
        }
        let line = #"{"events":[{"a":[1,2]}, 3 ,"x,]"],"other":[9],"events2":[]}"#
        #expect(try items(line, of: "events") == [#"{"a":[1,2]}"#, "3", #""x,]""#], "nested arrays and the other array leave them alone")
        #expect(try items(line, of: "events2") == [])
        #expect(try items(line, of: "absent") == nil)
        #expect(try items(line, of: nil) == nil)
        #expect(try items(#"{"events":{"a":[1]}}"#, of: "events") == nil, "not an array")
        #expect(try items(#"{"events":[1],"events":{"b":[2]}}"#, of: "events") == nil, "the member that counts is the last")
    }

    @Test func membersKeepTheirOrderAndARepeatedKeyMeansItsLastValue() throws {
        let line = Array(#"{"b":1,"a":"x","b":[2],"c":null}"#.utf8)
        let skim = try JSONSkim.skim(line)
        #expect(skim.members.map(\.0) == ["b", "a", "b", "c"])
        #expect(skim.members.count == 4)
        #expect(skim.members["b"].map { String(decoding: line[$0], as: UTF8.self) } == "[2]")
        #expect(skim.members["c"].map { String(decoding: line[$0], as: UTF8.self) } == "null")
        #expect(skim.members["d"] == nil)
        #expect(try JSONSkim.skim(Array("{}".utf8)).members.count == 0)
    }

    /// Bytes already checked are skimmed with strings only skipped: the same members come out.
    @Test(arguments: [
        #"{"a":"x\"y","b":"\\","c":{"d":"中\"}"},"e":[1,"]",{"f":null}],"g":-0.5e-3}"#,
        #"{"data":{"content":"路灯\u4e0d亮 \\\"引号\"","tags":[]},"seq":12,"ticket":null}"#,
        "{}",
    ])
    func validatedBytesGiveTheSameMembers(text: String) throws {
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            let checked = try JSONSkim(buffer)
            let skipped = try JSONSkim(buffer, validated: true)
            #expect(skipped.members.map(\.0) == checked.members.map(\.0))
            #expect(skipped.members.map(\.1) == checked.members.map(\.1))
        }
    }

    @Test func decodesEscapedStrings() throws {
        let line = Array(#"{"id":"a\"b\u4e2d"}"#.utf8)
        let skim = try JSONSkim.skim(line)
        line.withUnsafeBufferPointer { #expect(skim.string("id", in: $0) == "a\"b中") }
    }

    @Test(arguments: [
        "[1,2]", "\"text\"", "42", "", "   ",
    ])
    func rejectsNonObjects(text: String) {
        #expect(throws: JSONSkim.Failure.notAnObject) { try JSONSkim.skim(Array(text.utf8)) }
    }

    @Test(arguments: [
        "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":tru}", "{\"a\":01}", "{\"a\":1} x", "{\"a\":\"\u{01}\"}",
        "{a:1}", "{\"a\":[1,]}", "{\"a\":\"\\x\"}", "{\"a\":1.}", "{\"a\":-}",
    ])
    func rejectsMalformed(text: String) {
        #expect(throws: JSONSkim.Failure.self) { try JSONSkim.skim(Array(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8() {
        let bad: [UInt8] = Array("{\"a\":\"".utf8) + [0xc3, 0x28] + Array("\"}".utf8)
        #expect(throws: JSONSkim.Failure.self) { try JSONSkim.skim(bad) }
        let overlong: [UInt8] = Array("{\"a\":\"".utf8) + [0xc0, 0xaf] + Array("\"}".utf8)
        #expect(throws: JSONSkim.Failure.self) { try JSONSkim.skim(overlong) }
    }

    /// Plain ASCII is skipped eight bytes at a time: whatever needs a look — a quote, an escape,
    /// a control character, a multi-byte character, a byte that is not UTF-8 — is still found
    /// at every position of a word, and the string still ends where it ends.
    @Test func findsWhatMattersAtEveryPositionOfAWord() throws {
        let insertions: [(bytes: [UInt8], text: String?)] = [
            (Array(#"\""#.utf8), "\""), (Array(#"\\"#.utf8), "\\"), (Array(#"\u4e2d"#.utf8), "中"), (Array("中".utf8), "中"),
            (Array("😀".utf8), "😀"), (Array("~".utf8), "~"), ([0x1f], nil), ([0x0a], nil), ([0xff], nil), ([0xe4, 0xb8], nil), ([0x80], nil),
        ]
        for length in [0, 7, 8, 9, 16, 23] {
            for position in 0...length {
                for (inserted, text) in insertions {
                    let before = String(repeating: "a", count: position), after = String(repeating: "b", count: length - position)
                    let line = Array(#"{"s":""#.utf8) + Array(before.utf8) + inserted + Array(after.utf8) + Array(#"","n":1}"#.utf8)
                    guard let text else {
                        #expect(throws: JSONSkim.Failure.self, "\(inserted) at \(position) of \(length)") { try JSONSkim.skim(line) }
                        continue
                    }
                    let skim = try JSONSkim.skim(line)
                    line.withUnsafeBufferPointer { buffer in
                        #expect(skim.string("s", in: buffer) == before + text + after, "\(text) at \(position) of \(length)")
                        #expect(skim.members.map { $0.0 } == ["s", "n"])
                        let validated = try? JSONSkim(buffer, validated: true)
                        #expect(validated?.members.map { $0.0 } == ["s", "n"] && validated?.string("s", in: buffer) == before + text + after)
                    }
                }
            }
        }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONSkim.Failure.tooDeep) { try JSONSkim.skim(Array("{\"a\":\(deep)}".utf8)) }
    }
}

@Suite struct JSONValueParserTests {
    @Test func parsesWhatJSONDecoderParses() throws {
        let text = #"{"a":[1,-2.5e3,true,false,null],"b":{"c":"中文 \"q\" \\ \/ \n \u4e2d \ud83d\ude00"},"d":""}"#
        let fast = try JSONValueParser.parse(text)
        let slow = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(fast == slow)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "\"a", "1 2", "{\"a\":\"\u{01}\"}", "\"\\ud800x\""])
    func rejectsMalformed(text: String) {
        #expect(throws: JSONValueParser.Failure.self) { try JSONValueParser.parse(text) }
    }

    @Test func limitsDepth() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: JSONValueParser.Failure.self) { try JSONValueParser.parse(deep) }
    }
}
