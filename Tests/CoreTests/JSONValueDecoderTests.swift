import Foundation
import HotlineCore
import Testing

/// The tree decoder must decode what Foundation's decoder decodes, and fail with the same
/// kind of error at the same coding path (request validation names fields from it).
@Suite struct JSONValueDecoderTests {
    private struct Inner: Codable, Equatable {
        var name: String?
        var score: Double
        var flags: [Bool]
    }

    private enum Kind: String, Codable { case complaint, consultation }

    private struct Outer: Codable, Equatable {
        var id: String
        var count: Int
        var small: UInt8?
        var kind: Kind
        var inner: Inner
        var list: [Inner]
        var map: [String: Int]
        var any: JSONValue?
        var at: Date?
    }

    private static func both<T: Decodable & Equatable>(_ type: T.Type, _ text: String) throws -> (T, T) {
        let ours = try JSONValueDecoder.decode(type, from: JSONValueParser.parse(text))
        let theirs = try JSONDecoder().decode(type, from: Data(text.utf8))
        return (ours, theirs)
    }

    @Test func decodesWhatFoundationDecodes() throws {
        let text = #"{"id":"T1","count":-42,"small":255,"kind":"consultation","inner":{"name":null,"score":1.5,"flags":[true,false]},"list":[{"score":2,"flags":[]}],"map":{"a":1,"中":2},"any":{"x":[1,"y",null]},"at":812345678.5,"extra":"ignored"}"#
        let (ours, theirs) = try Self.both(Outer.self, text)
        #expect(ours == theirs)
        #expect(ours.inner.name == nil && ours.list[0].score == 2 && ours.map["中"] == 2)
    }

    /// The failure's kind and path, as `HTTPRequest.decodeJSON` turns them into a field name.
    private static func failure(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not a DecodingError: \(error)" }
        func path(_ c: DecodingError.Context, _ extra: (any CodingKey)? = nil) -> String {
            (c.codingPath + (extra.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let c): return "typeMismatch " + path(c)
        case .valueNotFound(_, let c): return "valueNotFound " + path(c)
        case .keyNotFound(let key, let c): return "keyNotFound " + path(c, key)
        case .dataCorrupted(let c): return "dataCorrupted " + path(c)
        @unknown default: return "unknown"
        }
    }

    @Test(arguments: [
        #"{"id":1,"count":1,"kind":"complaint","inner":{"score":1,"flags":[]},"list":[],"map":{}}"#,  // wrong type
        #"{"count":1,"kind":"complaint","inner":{"score":1,"flags":[]},"list":[],"map":{}}"#,  // missing key
        #"{"id":"a","count":null,"kind":"complaint","inner":{"score":1,"flags":[]},"list":[],"map":{}}"#,  // null
        #"{"id":"a","count":1.5,"kind":"complaint","inner":{"score":1,"flags":[]},"list":[],"map":{}}"#,  // not whole
        #"{"id":"a","count":1,"small":256,"kind":"complaint","inner":{"score":1,"flags":[]},"list":[],"map":{}}"#,  // range
        #"{"id":"a","count":1,"kind":"other","inner":{"score":1,"flags":[]},"list":[],"map":{}}"#,  // bad enum
        #"{"id":"a","count":1,"kind":"complaint","inner":{"score":"x","flags":[]},"list":[],"map":{}}"#,  // nested
        #"{"id":"a","count":1,"kind":"complaint","inner":{"score":1,"flags":[1]},"list":[],"map":{}}"#,  // in array
        #"{"id":"a","count":1,"kind":"complaint","inner":{"score":1,"flags":[]},"list":[{"flags":[]}],"map":{}}"#,
        #"{"id":"a","count":1,"kind":"complaint","inner":[],"list":[],"map":{}}"#,  // array for object
        #"{"id":"a","count":1,"kind":"complaint","inner":{"score":1,"flags":[]},"list":[],"map":{"k":"v"}}"#,
    ])
    func failsLikeFoundation(text: String) throws {
        var ours = "decoded", theirs = "decoded"
        do { _ = try JSONValueDecoder.decode(Outer.self, from: JSONValueParser.parse(text)) } catch { ours = Self.failure(error) }
        do { _ = try JSONDecoder().decode(Outer.self, from: Data(text.utf8)) } catch { theirs = Self.failure(error) }
        if theirs == "dataCorrupted " {
            // Foundation reports numbers out of range without a path; ours names the field.
            #expect(ours == "dataCorrupted count" || ours == "dataCorrupted small")
        } else {
            #expect(ours == theirs)
        }
        #expect(ours != "decoded")
    }

    private struct Optionals: Codable, Equatable {
        var s: String?
        var b: Bool?
        var d: Double?
        var i: Int?
        var l: Int64?
    }

    /// Optional members take a shorter path (one look-up): absent and null are nil, and a value
    /// of the wrong kind fails as Foundation fails.
    @Test(arguments: [
        #"{"s":"x","b":true,"d":1.5,"i":-3,"l":9007199254740992}"#, #"{"s":null,"b":null,"d":null,"i":null,"l":null}"#, "{}",
        #"{"s":1}"#, #"{"b":"true"}"#, #"{"d":"1"}"#, #"{"i":1.5}"#, #"{"l":[1]}"#, #"{"i":{}}"#,
    ])
    func optionalMembersDecodeAndFailLikeFoundation(text: String) throws {
        var ours = "decoded", theirs = "decoded"
        var values: (Optionals?, Optionals?) = (nil, nil)
        do { values.0 = try JSONValueDecoder.decode(Optionals.self, from: JSONValueParser.parse(text)) } catch { ours = Self.failure(error) }
        do { values.1 = try JSONDecoder().decode(Optionals.self, from: Data(text.utf8)) } catch { theirs = Self.failure(error) }
        #expect(values.0 == values.1)
        if theirs == "dataCorrupted " {
            #expect(ours == "dataCorrupted i")
        } else {
            #expect(ours == theirs)
        }
    }

    @Test func convertRetypesPayloadsWithoutText() throws {
        let value = JSONValue.object(["score": .number(3), "flags": .array([.bool(true)]), "name": .string("王")])
        #expect(try JSONCoding.convert(value, to: Inner.self) == Inner(name: "王", score: 3, flags: [true]))
        #expect(try JSONCoding.convert(value, to: JSONValue.self) == value)
    }
}
