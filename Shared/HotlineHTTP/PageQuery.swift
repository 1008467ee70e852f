/// The paging of a list (`limit`, and `after` = the previous page's `Next-Cursor`), checked.
/// A cursor is `KEY,ID`: the sort key and id of the last item of the previous page, compared
/// as text, so any value of that shape is a position.
public struct PageQuery: Sendable {
    public let limit: Int
    /// The sort key and id to continue after.
    public let after: (key: String, id: String)?

    /// Reads the query, adding what is wrong to `errors`.
    public init(_ request: HTTPRequest, defaultLimit: Int, maxLimit: Int = 500, errors: inout [Problem.FieldError]) {
        let limitText = request.queryValue("limit")
        let asked = limitText.flatMap { Int($0) }
        if limitText != nil && !(1...maxLimit).contains(asked ?? 0) { errors.append(.init("limit", "must be 1 to \(maxLimit)")) }
        limit = asked.map { min(max($0, 1), maxLimit) } ?? defaultLimit
        let parts = request.queryValue("after").map { $0.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).map(String.init) }
        if let parts, parts.count != 2 || parts[0].isEmpty { errors.append(.init("after", "must be the Next-Cursor of the previous page")) }
        after = parts.flatMap { $0.count == 2 && !$0[0].isEmpty ? ($0[0], $0[1]) : nil }
    }

    /// The `Next-Cursor` header when more than a page came back (the query asks for `limit + 1`).
    public func nextCursor(fetched: Int, lastKey: String?, lastID: String?) -> (String, String)? {
        guard fetched > limit, let lastKey, let lastID else { return nil }
        return ("Next-Cursor", "\(lastKey),\(lastID)")
    }
}
