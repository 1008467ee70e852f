@testable import HotlineHTTP
import Testing

/// The client's response parser: however the bytes arrive, the same responses come out.
@Suite struct HTTPClientParserTests {
    private static let stream = Array(
        ("HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 201 Created\r\nContent-Type:  application/json \r\nX-Trace:\tt1\t\r\nContent-Length: 11\r\n\r\n{\"a\":\"中\"}"
            + "HTTP/1.1 204 No Content\r\nCONNECTION: keep-alive\r\n\r\n"
            + "HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\n\r\nno").utf8)

    @Test(arguments: [1, 2, 3, 7, 25, 64, 1000])
    func responsesSurviveAnySplitOfTheBytes(chunk: Int) throws {
        var parser = HTTPClient.ResponseParser()
        var responses: [HTTPClient.Response] = []
        var offset = 0
        while offset < Self.stream.count {
            parser.append(Self.stream[offset..<min(offset + chunk, Self.stream.count)])
            offset += chunk
            while let r = try parser.next(headOnly: false) { responses.append(r) }
        }
        #expect(responses.map(\.status) == [201, 204, 404])
        #expect(responses[0].text == #"{"a":"中"}"#)
        #expect(responses[0].header("Content-Type") == "application/json")
        #expect(responses[0].header("x-trace") == "t1")
        #expect(responses[1].body.isEmpty && responses[1].header("connection") == "keep-alive")
        #expect(responses[2].text == "no")
    }

    @Test func aHeadResponseHasNoBodyAndABadStatusLineIsAnError() throws {
        var head = HTTPClient.ResponseParser()
        head.append(Array("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n".utf8)[...])
        let r = try #require(try head.next(headOnly: true))
        #expect(r.status == 200 && r.body.isEmpty)
        var bad = HTTPClient.ResponseParser()
        bad.append(Array("HTTP/1.1\r\n\r\n".utf8)[...])
        #expect(throws: (any Error).self) { try bad.next(headOnly: false) }
    }
}
