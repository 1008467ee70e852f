import FoundationEssentials
import HotlineBus
import HotlineCore

/// The bus's routing decisions as a pure state machine: lines in, lines out. No sockets, no
/// threads, so every rule (who may publish what, fan-out, fetch routing, the clock) is
/// tested directly.
///
/// It reads only the envelope of each line (`op`, `id`, `stream`, …) with `JSONSkim` and
/// forwards event arrays as the raw bytes it received.
public struct RouterCore: Sendable {
    public typealias ConnectionID = Int

    public enum Output: Equatable, Sendable {
        /// Send a line (with its `\n`). `droppable` pushes may be dropped for a slow reader.
        case send(ConnectionID, [UInt8], droppable: Bool)
        case close(ConnectionID)
        /// A hello refused (unknown name, or a name its uid is not bound to): for the log.
        case refused(ConnectionID, reason: String)
    }

    public struct Configuration: Sendable {
        public var services: Set<String>
        public var admins: Set<String>
        public var maxPendingRequests: Int
        /// Who may say hello as whom: name → the peer uids (SO_PEERCRED) allowed to use it.
        /// Empty: any admitted peer may use any name (one user runs the whole suite). Otherwise
        /// a name without an entry is refused to everyone, so one compromised service cannot
        /// speak (or publish) for another.
        public var identities: [String: Set<UInt32>]
        /// Bytes of each stream's latest publish lines kept to answer catch-up fetches (0: none).
        public var recentBytesPerStream: Int
        /// The longest line a client reads (answers from the recent lines stay under it).
        public var maxLine: Int

        public init(services: Set<String> = Set(BusNames.services), admins: Set<String> = [BusNames.admin],
                    maxPendingRequests: Int = 10_000, identities: [String: Set<UInt32>] = [:],
                    recentBytesPerStream: Int = 4 << 20, maxLine: Int = BusNames.defaultMaxLine) {
            self.services = services
            self.admins = admins
            self.maxPendingRequests = maxPendingRequests
            self.identities = identities
            self.recentBytesPerStream = recentBytesPerStream
            self.maxLine = maxLine
        }
    }

    private struct Session {
        var service: String?
        var follows: Set<String> = []
        /// The peer's uid, when the socket told it.
        var uid: UInt32?
        /// The latest manual clock this service says it has applied (`clock-applied`).
        var clockApplied: Date?
        /// False once it said it runs on the system clock: no clock move waits for it.
        var followsManualClock = true
    }

    /// An admin's clock move waiting until every connected service has applied it.
    private struct ClockWait {
        let requester: ConnectionID
        let id: String
        let target: Date
    }

    private struct PendingRequest {
        let requester: ConnectionID
        let originalID: String
        let stream: String
    }

    public let configuration: Configuration
    private var sessions: [ConnectionID: Session] = [:]
    private var producers: [String: ConnectionID] = [:]
    private var pending: [String: PendingRequest] = [:]
    private var nextRequest = 0
    private var heads: [String: Int64] = [:]
    private var clock: Date?
    private var clockWaits: [ClockWait] = []
    private var recent: [String: RecentEvents] = [:]
    /// Catch-up fetches the bus answered from recent lines, and those it passed to producers.
    public private(set) var fetchesAnsweredHere = 0
    public private(set) var fetchesForwarded = 0

    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// The manual clock, if anyone has set it.
    public var manualClock: Date? { clock }

    /// - Parameter uid: the peer's uid (SO_PEERCRED), checked against `identities` at hello.
    public mutating func connected(_ c: ConnectionID, uid: UInt32? = nil) { sessions[c] = Session(uid: uid) }

    public mutating func disconnected(_ c: ConnectionID) -> [Output] {
        guard let session = sessions.removeValue(forKey: c) else { return [] }
        var out: [Output] = []
        if let service = session.service, producers[service] == c {
            producers[service] = nil
            recent[service] = nil
            // Requests waiting on this producer will never be answered: say so now.
            for (id, request) in pending where request.stream == service {
                pending[id] = nil
                out.append(error(request.requester, "unavailable", "producer \(service) disconnected", id: request.originalID))
            }
        }
        pending = pending.filter { $0.value.requester != c }
        clockWaits.removeAll { $0.requester == c }
        // A service gone no longer holds a clock move back; it takes the clock at its next hello.
        return out + settleClockWaits()
    }

    /// A line over the limit: report and close that connection only.
    public mutating func lineTooLong(_ c: ConnectionID, limit: Int) -> [Output] {
        [error(c, "too_long", "line longer than \(limit) bytes"), .close(c)]
    }

    public mutating func received(_ c: ConnectionID, line: [UInt8]) -> [Output] {
        guard sessions[c] != nil else { return [] }
        return line.withUnsafeBufferPointer { buffer -> [Output] in
            let skim: JSONSkim
            do {
                skim = try JSONSkim(buffer)
            } catch {
                return [self.error(c, "not_json", "each line must be one JSON object"), .close(c)]
            }
            guard let op = skim.string("op", in: buffer) else {
                return [self.error(c, "bad_request", "missing op")]
            }
            let id = skim.string("id", in: buffer)
            if op == "hello" { return hello(c, skim, buffer) }
            guard let service = sessions[c]?.service else {
                return [self.error(c, "forbidden", "say hello first"), .close(c)]
            }
            switch op {
            case "publish": return publish(c, service, skim, buffer)
            case "fetch": return fetch(c, skim, buffer, id: id)
            case "events": return eventsReply(c, service, skim, buffer, id: id)
            case "head":
                guard let stream = skim.string("stream", in: buffer) else {
                    return [self.error(c, "bad_request", "head needs a stream", id: id)]
                }
                guard let seq = heads[stream] else {
                    return [self.error(c, "unavailable", "no head known for \(stream)", id: id)]
                }
                return [outputLine(c, ["op": .s("head"), "id": .o(id), "stream": .s(stream), "seq": .i(seq)])]
            case "ping": return [outputLine(c, ["op": .s("pong"), "id": .o(id)])]
            case "pong": return []
            case "clock":
                guard configuration.admins.contains(service) else {
                    return [self.error(c, "forbidden", "only an admin client sets the clock", id: id)]
                }
                guard let text = skim.string("at", in: buffer), let at = Timestamp.parse(text) else {
                    return [self.error(c, "bad_request", "clock needs an ISO 8601 'at'", id: id)]
                }
                var out = setClock(at)
                if let id {
                    guard clockWaits.count < configuration.maxPendingRequests else {
                        return out + [self.error(c, "unavailable", "too many clock moves waiting", id: id)]
                    }
                    let target = clock ?? at
                    if out.isEmpty {
                        // Asked again (the first ask timed out): tell whoever has not applied it yet.
                        let text = Timestamp.format(target)
                        for (other, session) in sessions.sorted(by: { $0.key < $1.key })
                        where session.service.map(configuration.services.contains) == true && session.followsManualClock
                            && (session.clockApplied ?? .distantPast) < target {
                            out.append(outputLine(other, ["op": .s("clock"), "at": .s(text)]))
                        }
                    }
                    clockWaits.append(ClockWait(requester: c, id: id, target: target))
                    out += settleClockWaits()
                }
                return out
            case "clock-applied":
                guard configuration.services.contains(service), var session = sessions[c] else { return [] }
                if skim.string("code", in: buffer) == "system" {
                    session.followsManualClock = false
                } else if let at = skim.string("at", in: buffer).flatMap(Timestamp.parse), at > (session.clockApplied ?? .distantPast) {
                    session.clockApplied = at
                }
                sessions[c] = session
                return settleClockWaits()
            default:
                return [self.error(c, "bad_request", "unknown op", id: id)]
            }
        }
    }

    private mutating func hello(_ c: ConnectionID, _ skim: JSONSkim, _ buffer: UnsafeBufferPointer<UInt8>) -> [Output] {
        guard sessions[c]?.service == nil else { return [error(c, "bad_request", "hello twice")] }
        guard let service = skim.string("service", in: buffer),
            configuration.services.contains(service) || configuration.admins.contains(service)
        else { return [error(c, "forbidden", "unknown service"), .close(c), .refused(c, reason: "unknown service")] }
        if !configuration.identities.isEmpty {
            let uid = sessions[c]?.uid
            guard let uid, configuration.identities[service]?.contains(uid) == true else {
                let reason = "\(service) may not connect as uid \(uid.map(String.init) ?? "unknown")"
                return [error(c, "forbidden", reason), .close(c), .refused(c, reason: reason)]
            }
        }
        var follows: Set<String> = []
        if let range = skim.members["follows"] {
            let raw = Array(UnsafeBufferPointer(rebasing: buffer[range]))
            guard let names = try? JSONDecoder().decode([String].self, from: Data(raw)),
                names.allSatisfy(configuration.services.contains)
            else { return [error(c, "bad_request", "follows must list known streams"), .close(c)] }
            follows = Set(names)
        }
        var out: [Output] = []
        if configuration.services.contains(service) {
            if let old = producers[service], old != c {
                // A restarted service reconnects before the bus noticed the old socket died.
                out.append(error(old, "replaced", "a newer connection of \(service) took over"))
                out.append(.close(old))
                out += disconnected(old)
            }
            producers[service] = c
            recent[service] = nil  // what it will publish now continues its own store, not the cache
            if let head = skim.integer("head", in: buffer), head > (heads[service] ?? -1) { heads[service] = head }
        }
        sessions[c] = Session(service: service, follows: follows, uid: sessions[c]?.uid)
        if let text = skim.string("at", in: buffer), let at = Timestamp.parse(text), at > (clock ?? .distantPast) {
            clock = at
        }
        var welcome: [String: Field] = ["op": .s("welcome"), "service": .s(service)]
        if let clock { welcome["at"] = .s(Timestamp.format(clock)) }
        out.append(outputLine(c, welcome))
        return out
    }

    private mutating func publish(_ c: ConnectionID, _ service: String, _ skim: JSONSkim,
                                  _ buffer: UnsafeBufferPointer<UInt8>) -> [Output] {
        guard skim.string("stream", in: buffer) == service, configuration.services.contains(service) else {
            return [error(c, "forbidden", "a service may publish only its own stream")]
        }
        guard let events = skim.members["events"], buffer[events.lowerBound] == UInt8(ascii: "[") else {
            return [error(c, "bad_request", "publish needs an events array")]
        }
        let head = skim.integer("head", in: buffer)
        if let head, head > (heads[service] ?? -1) { heads[service] = head }
        var prefix = Array("{\"op\":\"event\",\"stream\":".utf8) + Self.quoted(service)
        if let head { prefix += Array(",\"head\":\(head)".utf8) }
        // The producer had nothing else in flight: its followers apply without lingering.
        if let idle = skim.members["idle"], buffer[idle.lowerBound] == UInt8(ascii: "t") { prefix += Array(",\"idle\":true".utf8) }
        prefix += Array(",\"events\":".utf8)
        var bytes = prefix
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[events]))
        bytes += Array("}\n".utf8)
        if configuration.recentBytesPerStream > 0 {
            if let first = skim.integer("first", in: buffer), let last = skim.integer("last", in: buffer), events.count > 2 {
                // The array's content inside the fanned-out line: kept by reference, not copied.
                let content = (prefix.count + 1)..<(prefix.count + events.count - 1)
                recent[service, default: RecentEvents(limit: configuration.recentBytesPerStream)]
                    .append(first: first, last: last, line: bytes, events: content)
            } else {
                recent[service] = nil  // a line that does not say what it carries breaks the run
            }
        }
        return sessions.compactMap { (other, session) in
            other != c && session.follows.contains(service) ? .send(other, bytes, droppable: true) : nil
        }.sorted { a, b in
            if case .send(let x, _, _) = a, case .send(let y, _, _) = b { return x < y }
            return false
        }
    }

    private mutating func fetch(_ c: ConnectionID, _ skim: JSONSkim, _ buffer: UnsafeBufferPointer<UInt8>,
                                id: String?) -> [Output] {
        guard let id, let stream = skim.string("stream", in: buffer), let after = skim.integer("after", in: buffer),
            after >= 0
        else { return [error(c, "bad_request", "fetch needs id, stream and after", id: id)] }
        guard sessions[c]?.follows.contains(stream) == true else {
            return [error(c, "forbidden", "fetch only streams you follow", id: id)]
        }
        guard let producer = producers[stream] else {
            return [error(c, "unavailable", "producer \(stream) is not connected", id: id)]
        }
        let limit = Int(min(max(skim.integer("limit", in: buffer) ?? 500, 0), 5000))
        if limit > 0, let cached = recent[stream]?.answer(after: after, limit: limit, maxBytes: configuration.maxLine - 512) {
            fetchesAnsweredHere += 1
            let head = max(heads[stream] ?? 0, recent[stream]?.last ?? 0)
            var bytes = Array("{\"op\":\"events\",\"id\":".utf8) + Self.quoted(id)
            bytes += Array(",\"stream\":".utf8) + Self.quoted(stream) + Array(",\"head\":\(head),\"events\":[".utf8)
            bytes += cached.events
            bytes += Array("]}\n".utf8)
            return [.send(c, bytes, droppable: false)]
        }
        guard pending.count < configuration.maxPendingRequests else {
            return [error(c, "unavailable", "too many requests in flight", id: id)]
        }
        fetchesForwarded += 1
        nextRequest += 1
        let routed = "r\(nextRequest)"
        pending[routed] = PendingRequest(requester: c, originalID: id, stream: stream)
        return [outputLine(producer, ["op": .s("fetch"), "id": .s(routed), "stream": .s(stream), "after": .i(after), "limit": .i(Int64(limit))])]
    }

    private mutating func eventsReply(_ c: ConnectionID, _ service: String, _ skim: JSONSkim,
                                      _ buffer: UnsafeBufferPointer<UInt8>, id: String?) -> [Output] {
        guard let id, let request = pending[id], request.stream == service, producers[service] == c else {
            return []  // a late answer to a request already failed or abandoned
        }
        pending[id] = nil
        guard let events = skim.members["events"], buffer[events.lowerBound] == UInt8(ascii: "[") else {
            return [error(request.requester, "unavailable", "producer sent a malformed answer", id: request.originalID)]
        }
        let head = skim.integer("head", in: buffer) ?? 0
        if head > (heads[service] ?? -1) { heads[service] = head }
        var bytes = Array("{\"op\":\"events\",\"id\":".utf8) + Self.quoted(request.originalID)
        bytes += Array(",\"stream\":".utf8) + Self.quoted(service) + Array(",\"head\":\(head),\"events\":".utf8)
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[events]))
        bytes += Array("}\n".utf8)
        return [.send(request.requester, bytes, droppable: false)]
    }

    /// Answers each clock move every connected service on the manual clock has now applied,
    /// naming them (a service not connected takes the clock from its `welcome`).
    private mutating func settleClockWaits() -> [Output] {
        guard !clockWaits.isEmpty else { return [] }
        let following = sessions.values.filter { s in
            s.service.map(configuration.services.contains) == true && s.followsManualClock
        }
        let names = following.compactMap(\.service).sorted()
        var out: [Output] = []
        var waiting: [ClockWait] = []
        for wait in clockWaits {
            guard following.allSatisfy({ ($0.clockApplied ?? .distantPast) >= wait.target }) else {
                waiting.append(wait)
                continue
            }
            out.append(outputLine(wait.requester, ["op": .s("clock-applied"), "id": .s(wait.id), "at": .s(Timestamp.format(wait.target)),
                                                   "services": .list(names)]))
        }
        clockWaits = waiting
        return out
    }

    private mutating func setClock(_ at: Date) -> [Output] {
        if let clock, at <= clock { return [] }
        clock = at
        let text = Timestamp.format(at)
        return sessions.keys.sorted().filter { sessions[$0]?.service != nil }.map {
            outputLine($0, ["op": .s("clock"), "at": .s(text)])
        }
    }

    // MARK: - Building lines

    private enum Field {
        case s(String)
        case o(String?)
        case i(Int64)
        case list([String])
    }

    private func outputLine(_ c: ConnectionID, _ fields: [String: Field]) -> Output {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        var first = true
        for key in fields.keys.sorted(by: { $0 == "op" ? true : ($1 == "op" ? false : $0 < $1) }) {
            let value: [UInt8]
            switch fields[key]! {
            case .s(let s): value = Self.quoted(s)
            case .o(let s?): value = Self.quoted(s)
            case .o(nil): continue
            case .i(let i): value = Array(String(i).utf8)
            case .list(let items): value = [UInt8(ascii: "[")] + items.map(Self.quoted).joined(separator: [UInt8(ascii: ",")]) + [UInt8(ascii: "]")]
            }
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            bytes += Self.quoted(key) + [UInt8(ascii: ":")] + value
        }
        bytes += Array("}\n".utf8)
        return .send(c, bytes, droppable: false)
    }

    private func error(_ c: ConnectionID, _ code: String, _ message: String, id: String? = nil) -> Output {
        outputLine(c, ["op": .s("error"), "code": .s(code), "message": .s(message), "id": .o(id)])
    }

    static func quoted(_ s: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0..<0x20: out += Array(String(cFormat: "\\u%04x", b).utf8)
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
