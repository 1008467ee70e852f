/// The latest publish lines of one stream as the bus received them, so that a consumer
/// catching up on what it just missed is answered by the bus itself: the producer neither
/// reads its store nor encodes the events again, and nothing is decoded here (each line says
/// which seqs it carries).
///
/// Kept only while the producer stays connected (a producer that comes back may have been
/// restored to an earlier state), only while contiguous (a line that does not continue the
/// last one starts over), and bounded by bytes (the oldest lines go first).
struct RecentEvents: Sendable {
    struct Line: Sendable {
        let first: Int64
        let last: Int64
        /// The line as fanned out (shared with the followers' queues, not copied) and where in
        /// it the events array's content lies, without its brackets.
        let bytes: [UInt8]
        let events: Range<Int>
    }

    let limit: Int
    private var lines: [Line] = []
    private var start = 0
    private(set) var bytes = 0

    init(limit: Int) { self.limit = limit }

    var first: Int64? { start < lines.count ? lines[start].first : nil }
    var last: Int64? { lines.last?.last }

    mutating func append(first: Int64, last: Int64, line: [UInt8], events: Range<Int>) {
        guard last >= first, !events.isEmpty, events.count <= limit else { return clear() }
        if let previous = self.last, first != previous + 1 { clear() }
        lines.append(Line(first: first, last: last, bytes: line, events: events))
        bytes += events.count
        while bytes > limit, start < lines.count {
            bytes -= lines[start].events.count
            start += 1
        }
        if start > 256 && start * 2 > lines.count {
            lines.removeFirst(start)
            start = 0
        }
    }

    mutating func clear() {
        lines.removeAll()
        start = 0
        bytes = 0
    }

    /// The events after `after`, whole lines from the one holding `after + 1`, as long as
    /// they stay within `limit` events (at least one line) and `maxBytes`; nil when `after + 1`
    /// is not here (the producer answers then). The first line may repeat events at or below
    /// `after`: consumers ignore those.
    func answer(after: Int64, limit: Int, maxBytes: Int) -> (events: [UInt8], count: Int)? {
        guard let first, let last, after + 1 >= first, after + 1 <= last else { return nil }
        // Lines are contiguous and sorted: find the one holding after + 1 by bisection.
        var low = start, high = lines.count - 1
        while low < high {
            let mid = (low + high) / 2
            if lines[mid].last < after + 1 { low = mid + 1 } else { high = mid }
        }
        var out: [UInt8] = []
        var count = 0
        for line in lines[low...] {
            let adds = Int(line.last - max(line.first, after + 1) + 1)
            if count > 0 && (count + adds > limit || out.count + 1 + line.events.count > maxBytes) { break }
            if count == 0 && line.events.count > maxBytes { return nil }
            if !out.isEmpty { out.append(UInt8(ascii: ",")) }
            out += line.bytes[line.events]
            count += adds
        }
        return (out, count)
    }
}
