import HotlineStreams

/// One line of the bus protocol, as clients see it. Every frame has an `op`:
///
/// | op | direction | fields |
/// |---|---|---|
/// | `hello` | service → bus | `service`, `follows`, `head` (its stream's head), `at` (its manual clock, if any) |
/// | `welcome` | bus → service | `service`, `at` (manual clock, if set), `heads` |
/// | `publish` | producer → bus | `stream` (its own), `head`, `events`, `first`/`last` (the seqs the line carries, when consecutive), `idle` (true: no other write of the producer in flight) |
/// | `event` | bus → followers | `stream`, `head`, `events`, `idle` (as published) |
/// | `head` | service ↔ bus | `id`, `stream` → `seq` |
/// | `fetch` | consumer → bus → producer | `id`, `stream`, `after`, `limit` |
/// | `events` | producer → bus → consumer | `id`, `stream`, `head`, `events` |
/// | `error` | bus → service | `code` (`bad_request`, `unavailable`, `forbidden`, `too_long`, `not_json`), `message`, `id` |
/// | `ping` / `pong` | either way | `id` |
/// | `clock` | admin → bus → everyone | `at`; with an `id`, the bus answers `clock-applied` once every connected service applied it |
/// | `clock-applied` | service → bus | `at` (the clock it now runs on), or `code` `system` (it follows the system clock) |
/// | `clock-applied` | bus → admin | `id`, `at`, `services` (those that applied it) |
public struct BusFrame: Codable, Sendable, Equatable {
    public var op: String
    public var id: String?
    public var service: String?
    public var follows: [String]?
    public var stream: String?
    public var events: [Event]?
    public var after: Int64?
    public var limit: Int?
    public var head: Int64?
    public var seq: Int64?
    public var heads: [String: Int64]?
    public var at: String?
    public var code: String?
    public var message: String?
    public var services: [String]?
    public var idle: Bool?

    public init(op: String, id: String? = nil, service: String? = nil, follows: [String]? = nil, stream: String? = nil,
                events: [Event]? = nil, after: Int64? = nil, limit: Int? = nil, head: Int64? = nil, seq: Int64? = nil,
                heads: [String: Int64]? = nil, at: String? = nil, code: String? = nil, message: String? = nil,
                services: [String]? = nil, idle: Bool? = nil) {
        self.op = op
        self.id = id
        self.service = service
        self.follows = follows
        self.stream = stream
        self.events = events
        self.after = after
        self.limit = limit
        self.head = head
        self.seq = seq
        self.heads = heads
        self.at = at
        self.code = code
        self.message = message
        self.services = services
        self.idle = idle
    }
}

/// The names known to the bus. Each service produces the stream with its own name.
public enum BusNames {
    public static let services = ["intake", "dispatch", "supervision", "survey", "kpi"]
    /// Clients that produce no stream but may set the manual clock.
    public static let admin = "hotline"
    /// The default limit on one line (1 MiB).
    public static let defaultMaxLine = 1 << 20
}
