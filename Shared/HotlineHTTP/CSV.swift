/// CSV as auditors' spreadsheets read it (UTF-8, RFC 4180, CRLF line ends).
public enum CSV {
    /// One field: quoted when it holds a comma, a quote or a line break, quotes doubled.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }

    /// A 200 response with a header row and the records, each field escaped.
    public static func response(header: [String], rows: [[String]], filename: String? = nil) -> HTTPResponse {
        let lines = ([header] + rows).map { $0.map(field).joined(separator: ",") }
        var headers: [(name: String, value: String)] = [("Content-Type", "text/csv; charset=utf-8")]
        if let filename { headers.append(("Content-Disposition", "attachment; filename=\"\(filename)\"")) }
        return HTTPResponse(status: 200, headers: headers, body: Array((lines.joined(separator: "\r\n") + "\r\n").utf8))
    }
}
