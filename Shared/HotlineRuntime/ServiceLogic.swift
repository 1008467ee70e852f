import FoundationEssentials
import HotlineCore
import HotlineHTTP
import HotlineStorage
import HotlineStreams

/// What a service contributes; the runtime does the rest (database, bus, HTTP, lifecycle).
public protocol ServiceLogic: Sendable {
    /// The service's name, which is also its stream's and its schema's.
    var name: String { get }
    /// The streams it follows.
    var follows: [String] { get }
    /// Its schema migrations, numbered from 100 (1–99 belong to the stream tables).
    var migrations: [Migration] { get }

    /// The service's own HTTP routes.
    func routes(_ context: ServiceContext) -> [Route]

    /// Applies one event of a followed stream inside `tx`, in stream order, exactly once.
    /// Events appended to `emit` commit with the effects and the cursor.
    func apply(_ event: Event, _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws

    /// Applies a run of consecutive events of one followed stream inside `tx` (default: `apply`
    /// each in turn). A service overrides it to share work across the run — rows several events
    /// touch read once, sums written once — with the same result as event by event.
    func apply(run events: [Event], _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws

    /// Answers for unmatched paths under a prefix (default: none, problem+json 404/405).
    func routeFallbacks(_ context: ServiceContext) -> [RouteFallback]

    /// The service's OpenAPI 3.1 document, served at `/openapi.json` (nil: none).
    var openAPIDocument: [UInt8]? { get }

    /// The tables holding a projection of the followed streams and nothing else, which
    /// `POST /v1/admin/rebuild` empties before re-applying the streams from seq 1. Empty
    /// (the default) when the service's state also comes from its own actions, which no
    /// stream could give back.
    var rebuildableTables: [String] { get }

    /// Called once at start, after the migrations and before any event is applied: for what
    /// depends on the configuration rather than on the schema's version (e.g. views in the
    /// county's zone).
    func prepare(_ context: ServiceContext) async throws

    /// Called when time moves (every second on the system clock, at each change of the
    /// manual clock), for durable timers.
    func tick(_ context: ServiceContext) async throws

    /// What an operator must know while the service still works (`/readyz` says `degraded`
    /// and lists them; HTTP 200): e.g. a calendar year missing from the configuration.
    func warnings(_ context: ServiceContext) async throws -> [String]
}

extension ServiceLogic {
    public func apply(run events: [Event], _ tx: Transaction, _ emit: EventSink, _ context: ServiceContext) throws {
        for event in events { try apply(event, tx, emit, context) }
    }
    public func tick(_ context: ServiceContext) async throws {}
    public func prepare(_ context: ServiceContext) async throws {}
    public func warnings(_ context: ServiceContext) async throws -> [String] { [] }
    public func routeFallbacks(_ context: ServiceContext) -> [RouteFallback] { [] }
    public var openAPIDocument: [UInt8]? { nil }
    public var rebuildableTables: [String] { [] }
}

/// Collects the events a transaction appends to the service's own stream.
public final class EventSink: @unchecked Sendable {
    // @unchecked: used only inside one database closure, on the writer thread.
    private let tx: Transaction
    private let store: EventStore
    public let now: Date
    public private(set) var appended: [Event] = []

    init(tx: Transaction, store: EventStore, now: Date) {
        self.tx = tx
        self.store = store
        self.now = now
    }

    /// Appends an event with a typed payload; it commits with the transaction.
    @discardableResult
    public func emit<P: Encodable>(_ type: String, ticket: String?, _ payload: P) throws -> Event {
        try emit(try NewEvent(type, ticket: ticket, payload))
    }

    /// Appends an event encoded beforehand (outside the serial writer, when it is hot).
    @discardableResult
    public func emit(_ event: NewEvent) throws -> Event {
        let stored = try store.append(tx, [event], at: now)
        appended += stored
        return stored[0]
    }
}
