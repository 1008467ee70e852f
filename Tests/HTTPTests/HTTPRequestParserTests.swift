import HotlineHTTP
import Testing

@Suite struct HTTPRequestParserTests {
    private func parse(_ text: String, limits: HTTPLimits = HTTPLimits(), bodyLimit: Int = 1 << 20) throws(HTTPParseError)
        -> (HTTPRequestHead?, [UInt8]?)
    {
        var p = HTTPRequestParser(limits: limits)
        p.append(Array(text.utf8))
        guard let head = try p.parseHead() else { return (nil, nil) }
        return (head, try p.parseBody(limit: bodyLimit))
    }

    private func status(_ text: String, limits: HTTPLimits = HTTPLimits(), bodyLimit: Int = 1 << 20) -> Int? {
        do {
            _ = try parse(text, limits: limits, bodyLimit: bodyLimit)
            return nil
        } catch { return error.status }
    }

    @Test func parsesHeadersAndContentLengthBody() throws {
        let (head, body) = try parse("POST /v1/tickets?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nX-Y:  z \r\n\r\nhello")
        #expect(head?.method == "POST")
        #expect(head?.target == "/v1/tickets?x=1")
        #expect(head?.headers.last == .init(name: "x-y", value: "z"))
        #expect(head?.keepAlive == true)
        #expect(body.map { String(decoding: $0, as: UTF8.self) } == "hello")
    }

    @Test func parsesChunkedBodiesWithExtensionsAndTrailers() throws {
        let text = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-T: 1\r\n\r\n"
        let (_, body) = try parse(text)
        #expect(body.map { String(decoding: $0, as: UTF8.self) } == "Wikipedia")
    }

    @Test func handlesPipelinedRequestsAndByteByByteInput() throws {
        let two = "GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nok"
        var p = HTTPRequestParser(limits: HTTPLimits())
        var targets: [String] = []
        var bodies: [String] = []
        var awaitingBody = false
        for byte in Array(two.utf8) {
            p.append([byte])
            if !awaitingBody, let head = try p.parseHead() {
                targets.append(head.target)
                awaitingBody = true
            }
            if awaitingBody, let body = try p.parseBody(limit: 100) {
                bodies.append(String(decoding: body, as: UTF8.self))
                awaitingBody = false
            }
        }
        #expect(targets == ["/a", "/b"])
        #expect(bodies == ["", "ok"])
    }

    @Test func http10ClosesByDefault() throws {
        let (head, _) = try parse("GET / HTTP/1.0\r\n\r\n")
        #expect(head?.keepAlive == false)
        let (closing, _) = try parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(closing?.keepAlive == false)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("GET / HTTP/2.0\r\n\r\n", 505),
        ("GET / FOO\r\n\r\n", 400),
        ("GET /\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", 400),
        ("GET / HTTP/1.1\nHost: x\r\n\r\n", 400),
        ("GET relative HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nX: a\u{01}b\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", 400),
        ("GET / HTTP/1.1\r\nExpect: magic\r\n\r\n", 417),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nAuthorization: Bearer a\r\nauthorization: Bearer b\r\n\r\n", 400),
    ])
    func rejectsMalformedRequests(text: String, expected: Int) {
        #expect(status(text) == expected)
    }

    @Test func enforcesLimits() {
        var limits = HTTPLimits()
        limits.maxHeadBytes = 256
        limits.maxRequestLine = 64
        #expect(status("GET /" + String(repeating: "a", count: 100) + " HTTP/1.1\r\n\r\n", limits: limits) == 414)
        #expect(status("GET /" + String(repeating: "a", count: 100), limits: limits) == 414)
        #expect(status("GET / HTTP/1.1\r\nX: " + String(repeating: "b", count: 300) + "\r\n\r\n", limits: limits) == 431)
        #expect(status("GET / HTTP/1.1\r\nX: " + String(repeating: "b", count: 300), limits: limits) == 431)
        #expect(status("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world", bodyLimit: 10) == 413)
        #expect(status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nb\r\nhello world\r\n0\r\n\r\n", bodyLimit: 10) == 413)
        limits.maxHeaderCount = 2
        #expect(status("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: limits) == 431)
    }

    /// What can never become a request head is refused on its first bytes, not after the head
    /// timeout (issue 16: HTTP/0.9, bare LF and a TLS ClientHello waited 10 s for a 408).
    @Test(arguments: [
        "\u{16}\u{03}\u{01}\u{02}\u{00}",  // a TLS ClientHello's record header
        "GET /\r\n",  // HTTP/0.9
        "GET / HTTP/1.1\nHost: x\n",  // bare LF
        "\r\n\r\nGET /index.html\r\n",  // after tolerated empty lines
        " GET / HTTP/1.1\r\n",
    ])
    func refusesAtOnceWhatCanNeverBeAHead(text: String) {
        #expect(status(text) == 400, "\(text.debugDescription)")
    }

    @Test func incompleteButPlausibleHeadsWait() {
        for text in ["G", "GET", "GET / HTTP/1.1", "GET / HTTP/1.1\r", "GET / HTTP/1.1\r\nHost: a\r\n"] {
            #expect(status(text) == nil, "\(text.debugDescription) may still become a request")
        }
    }
}

/// Paging parameters (`limit`, `after`) as every list reads them.
@Suite struct PageQueryTests {
    private func page(_ query: String) -> (PageQuery, [String]) {
        var errors: [Problem.FieldError] = []
        let request = HTTPRequest(method: "GET", target: "/v1/x" + query, headers: [], body: [])
        let page = PageQuery(request, defaultLimit: 100, errors: &errors)
        return (page, errors.map(\.field))
    }

    @Test func limitsAndCursors() {
        #expect(page("").0.limit == 100 && page("").1.isEmpty && page("").0.after == nil)
        #expect(page("?limit=7").0.limit == 7)
        for bad in ["?limit=0", "?limit=501", "?limit=abc", "?limit=-1"] { #expect(page(bad).1 == ["limit"], "\(bad)") }
        let after = page("?after=2026-11-30T00%3A00%3A00Z,A-1")
        #expect(after.0.after?.key == "2026-11-30T00:00:00Z" && after.0.after?.id == "A-1" && after.1.isEmpty)
        #expect(page("?after=nonsense").1 == ["after"] && page("?after=,x").1 == ["after"])
        #expect(page("?limit=2").0.nextCursor(fetched: 3, lastKey: "k", lastID: "i")?.1 == "k,i")
        #expect(page("?limit=2").0.nextCursor(fetched: 2, lastKey: "k", lastID: "i") == nil)
    }
}
