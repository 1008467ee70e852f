import FoundationEssentials
import HotlineBus
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineStorage
import HotlineStreams
import Synchronization

/// The facilities a service's logic uses: its database, its stream, the clock, the county
/// configuration, logging and metrics.
public final class ServiceContext: Sendable {
    public let settings: ServiceSettings
    public let database: Database
    public let store: EventStore
    public let clock: any HotlineClock
    public let county: CountyConfig
    public let calendar: WorkingCalendar
    public let logger: Logger
    public let metrics: Metrics
    /// Every token the county configures (channel keys and staff tokens), as the HTTP server
    /// checks them; services that take a key elsewhere (Open311's `api_key`) use the same.
    public let authenticator: Authenticator
    /// nil for a context without a bus (tests, offline recomputation): events are stored only.
    let publisher: OrderedPublisher?
    /// On the manual clock: whether the bus has told this process the suite's time since it
    /// started (until then it would stamp requests with the time its own store last saw).
    private let clockKnown = Mutex(false)
    /// Reads another service's stream through the bus (nil without a bus).
    let streamReader: (@Sendable (String, Int64, Int) async throws -> (events: [Event], head: Int64))?

    init(settings: ServiceSettings, database: Database, clock: any HotlineClock, county: CountyConfig,
         calendar: WorkingCalendar, logger: Logger, metrics: Metrics, authenticator: Authenticator, publisher: OrderedPublisher?,
         streamReader: (@Sendable (String, Int64, Int) async throws -> (events: [Event], head: Int64))? = nil) {
        self.streamReader = streamReader
        self.authenticator = authenticator
        self.settings = settings
        self.database = database
        self.store = EventStore(stream: settings.service)
        self.clock = clock
        self.county = county
        self.calendar = calendar
        self.logger = logger
        self.metrics = metrics
        self.publisher = publisher
    }

    /// A context with no bus: what a service's logic needs to apply events and run its
    /// commands against `database` in-process (the interleaving harness, offline tools).
    /// Emitted events are appended to the service's stream in `database` and not published.
    public static func offline(service: String, database: Database, url: DatabaseURL, clock: any HotlineClock, county: CountyConfig,
                               calendar: WorkingCalendar, zone: TimeZone, logger: Logger) -> ServiceContext {
        let settings = ServiceSettings(
            service: service, httpHost: "127.0.0.1", httpPort: 0, database: url,
            runDirectory: "", configDirectory: "", manualClock: true, timeZone: zone, logLevel: .warning, busSocket: "")
        return ServiceContext(settings: settings, database: database, clock: clock, county: county, calendar: calendar,
                              logger: logger, metrics: Metrics(),
                              // No HTTP server offline: nobody to authenticate.
                              authenticator: Authenticator([]), publisher: nil)
    }

    public var zone: TimeZone { settings.timeZone }

    /// Whether requests may be stamped with `clock`: always, unless it follows the suite's
    /// manual clock over the bus (`HOTLINE_CLOCK=manual`) and the bus has not given it yet.
    public var clockReady: Bool { !settings.manualClock || clockKnown.withLock { $0 } }

    func clockSynced() { clockKnown.withLock { $0 = true } }

    /// Runs `body` in a write transaction that may append events; returns after commit and
    /// hands the new events to the bus.
    /// - Parameter date: the time the events carry; now by default.
    /// - Parameter rederivable: the changes follow from other services' events alone and
    ///   answer nobody (a consumer's batch): when the body emits no event, the commit need not
    ///   be synced to disk (`Database.write(rederivable:_:)`). Events emitted are another
    ///   service's input and always durable before they are published.
    public func transact<T: Sendable>(at date: Date? = nil, rederivable: Bool = false,
                                      _ body: @escaping @Sendable (Transaction, EventSink) throws -> T) async throws -> T
    {
        let now = date ?? clock.now()
        let store = self.store
        let work = { @Sendable (tx: Transaction) throws -> (T, [Event]) in
            let sink = EventSink(tx: tx, store: store, now: now)
            let result = try body(tx, sink)
            return (result, sink.appended)
        }
        let (result, events) = rederivable
            ? try await database.write(rederivable: { $0.1.isEmpty }, work)
            : try await database.write(work)
        publish(events)
        return result
    }

    /// Events of `stream` after seq `after` (at most `limit`), fetched from its producer
    /// through the bus, with the producer's head: what an audit re-reads from seq 1.
    public func fetch(stream: String, after: Int64, limit: Int) async throws -> (events: [Event], head: Int64) {
        guard let streamReader else { throw Problem(status: 503, detail: "no bus: streams cannot be read") }
        return try await streamReader(stream, after, limit)
    }

    /// Reads in a snapshot.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T {
        try await database.read(body)
    }

    func publish(_ events: [Event]) {
        guard !events.isEmpty else { return }
        metrics.increment("hotline_events_produced_total", ["stream": settings.service], by: Double(events.count))
        // Nothing else in flight: followers need not wait for more of this stream's events.
        publisher?.publish(events, producerIdle: !database.hasWritesInFlight)
    }
}

/// Hands committed events to the bus in seq order.
///
/// Writes grouped into one commit finish together and their callers publish in any order;
/// holding back a later seq until the earlier one arrives (or briefly, at most) spares
/// followers needless gap fetches.
final class OrderedPublisher: Sendable {
    private struct State {
        var lastPublished: Int64
        /// The highest seq whose write has been acknowledged, so is on disk.
        var acknowledged: Int64
        var held: [Int64: Event] = [:]
        var heldSince: Date?
    }
    private let state: Mutex<State>
    private let bus: BusClient

    init(bus: BusClient, head: Int64) {
        self.bus = bus
        state = Mutex(State(lastPublished: head, acknowledged: head))
        bus.setHead(head)
    }

    /// The stream as far as it is durable: a write is acknowledged, and its events handed
    /// here, only once on disk, and the log is durable in commit order, so every event up to
    /// the highest seq handed here is too. Catch-up fetches answer no further (`LogSyncer`):
    /// an event a power cut could still take back never reaches another service.
    var acknowledgedHead: Int64 { state.withLock { $0.acknowledged } }

    /// - Parameter producerIdle: no other write of this service is in flight; passed on with
    ///   the last line when nothing is held back, so followers apply without lingering.
    func publish(_ events: [Event], producerIdle: Bool) {
        let (ready, nothingHeld) = state.withLock { s -> ([Event], Bool) in
            for e in events where e.seq > s.lastPublished { s.held[e.seq] = e }
            s.acknowledged = max(s.acknowledged, events.last?.seq ?? 0)
            var out: [Event] = []
            while let next = s.held.removeValue(forKey: s.lastPublished + 1) {
                out.append(next)
                s.lastPublished = next.seq
            }
            if s.held.isEmpty {
                s.heldSince = nil
            } else if let since = s.heldSince, Date().timeIntervalSince(since) > 0.2 {
                // An earlier seq never came (its caller went away): followers will fetch it.
                let rest = s.held.values.sorted { $0.seq < $1.seq }
                s.held.removeAll()
                s.heldSince = nil
                s.lastPublished = rest.last!.seq
                out += rest
            } else if s.heldSince == nil {
                s.heldSince = Date()
            }
            return (out, s.held.isEmpty)
        }
        // Keep lines well under the bus limit.
        for start in stride(from: 0, to: ready.count, by: 100) {
            let end = min(start + 100, ready.count)
            bus.publish(Array(ready[start..<end]), producerIdle: producerIdle && nothingHeld && end == ready.count)
        }
    }
}

import Synchronization
