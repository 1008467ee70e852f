import Foundation
@testable import HotlineHTTP
import Testing

/// Paths and query strings decode as Foundation's `removingPercentEncoding` decoded them
/// (the server used it before), without its cost.
@Suite struct PercentDecodingTests {
    /// What the server did before, with Foundation — except that where decoding gives bytes
    /// that are not UTF-8 the text stays as it came (Foundation kept some such texts and
    /// turned others into U+FFFD).
    static func foundation(_ text: String, plusAsSpace: Bool) -> String {
        let spaced = plusAsSpace ? text.replacingOccurrences(of: "+", with: " ") : text
        guard let decoded = spaced.removingPercentEncoding, !decoded.contains("\u{FFFD}") else { return spaced }
        return decoded
    }

    @Test(arguments: [
        "/v1/tickets/T20261122-0123", "/hello/%E4%B8%AD", "/a%2Fb", "%", "%4", "%zz", "abc%", "%e4%b8", "%FF%FE",
        "a+b", "a%2Bb", "%00", "%41%42%43", "%E4%B8%AD%", "x%4g", "%%41", "+%2B+", "", "中文+%E4%B8%AD", "%a9", "%C3%A9",
    ])
    func knownCases(text: String) {
        #expect(PercentDecoding.decode(Substring(text)) == Self.foundation(text, plusAsSpace: false))
        #expect(PercentDecoding.decode(Substring(text), plusAsSpace: true) == Self.foundation(text, plusAsSpace: true))
    }

    @Test func randomTextDecodesAsFoundationDid() {
        var generator = SystemRandomNumberGenerator()
        // Whole encoded characters, and pieces that make malformed or non-UTF-8 sequences.
        let pieces = ["%", "%", "+", "a", "Z", "0", "9", "f", "F", "g", "/", "中", "é", "%E4%B8%AD", "%C3%A9", "%2B", "%20", "%E4", "%A9", "%FF"]
        for _ in 0..<5000 {
            let length = Int.random(in: 0...10, using: &generator)
            let text = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(PercentDecoding.decode(Substring(text)) == Self.foundation(text, plusAsSpace: false), "\(text)")
            #expect(PercentDecoding.decode(Substring(text), plusAsSpace: true) == Self.foundation(text, plusAsSpace: true), "\(text)")
        }
    }

    @Test func queriesSplitAndDecode() {
        let request = HTTPRequest(method: "GET", target: "/v1/knowledge?q=%E8%B7%AF%E7%81%AF+%E4%B8%8D%E4%BA%AE&unit=a&unit=b%2Bc&bad=%zz", headers: [])
        #expect(request.path == "/v1/knowledge")
        #expect(request.query["q"] == ["路灯 不亮"])
        #expect(request.query["unit"] == ["a", "b+c"])
        #expect(request.query["bad"] == ["%zz"])
    }
}
