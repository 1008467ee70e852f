import FoundationEssentials
import HotlineCore

/// One event of a service's stream: the contract between services and the audit record.
public struct Event: Codable, Sendable, Equatable {
    public let stream: String
    public let seq: Int64
    public let id: String
    public let type: String
    public let ticket: String?
    /// The producer clock's time of the change, `Timestamp` format (UTC).
    public let at: String
    /// The previous event's hash (64 zeros before the first event).
    public let prev: String
    /// SHA-256 over `prev` and this event's canonical bytes.
    public let hash: String
    private let body: Body

    /// The payload as a value, or as the JSON bytes it was read from. Bytes are parsed only
    /// when the payload is read: a consumer ignores most of the events it follows, and
    /// building their payloads, then writing them out again to check the hash, was a third
    /// of a busy consumer's decoding.
    private enum Body: Sendable {
        case value(JSONValue)
        /// Just appended: the value and the canonical bytes that were stored and hashed.
        case encoded(JSONValue, [UInt8])
        /// Bytes from the producer's own store: canonical by construction.
        case canonical([UInt8])
        /// Bytes as they arrived over the bus: canonical when the hash over them matches.
        case received([UInt8])
    }

    public init(stream: String, seq: Int64, id: String, type: String, ticket: String?, at: String, data: JSONValue,
                prev: String, hash: String) {
        self.init(stream: stream, seq: seq, id: id, type: type, ticket: ticket, at: at, body: .value(data), prev: prev, hash: hash)
    }

    /// An event just appended: its payload and the canonical text stored and hashed for it.
    public init(stream: String, seq: Int64, id: String, type: String, ticket: String?, at: String, data: JSONValue,
                dataJSON: String, prev: String, hash: String) {
        self.init(stream: stream, seq: seq, id: id, type: type, ticket: ticket, at: at, body: .encoded(data, Array(dataJSON.utf8)),
                  prev: prev, hash: hash)
    }

    /// An event whose payload is still JSON text: `stored` for the producer's own rows (written
    /// canonically), otherwise bytes read off the bus (syntax already checked by the reader).
    public init(stream: String, seq: Int64, id: String, type: String, ticket: String?, at: String, dataJSON: [UInt8],
                stored: Bool, prev: String, hash: String) {
        self.init(stream: stream, seq: seq, id: id, type: type, ticket: ticket, at: at,
                  body: stored ? .canonical(dataJSON) : .received(dataJSON), prev: prev, hash: hash)
    }

    private init(stream: String, seq: Int64, id: String, type: String, ticket: String?, at: String, body: Body,
                 prev: String, hash: String) {
        self.stream = stream
        self.seq = seq
        self.id = id
        self.type = type
        self.ticket = ticket
        self.at = at
        self.body = body
        self.prev = prev
        self.hash = hash
    }

    /// The payload, for tests and tools: `null` when its bytes do not parse. Service code reads
    /// it with `parsedData()` or `payload(_:)`, which throw instead.
    public var data: JSONValue { (try? parsedData()) ?? .null }

    /// The payload, parsed from its bytes when it arrived as text.
    public func parsedData() throws -> JSONValue {
        switch body {
        case .value(let v), .encoded(let v, _): return v
        case .canonical(let bytes), .received(let bytes):
            do { return try JSONValueParser.parse(bytes) } catch {
                throw StreamError.corrupt("payload of \(stream) event \(seq) is not JSON (byte \(error.offset))")
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case stream, seq, id, type, ticket, at, data, prev, hash
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(stream: try c.decode(String.self, forKey: .stream), seq: try c.decode(Int64.self, forKey: .seq),
                  id: try c.decode(String.self, forKey: .id), type: try c.decode(String.self, forKey: .type),
                  ticket: try c.decodeIfPresent(String.self, forKey: .ticket), at: try c.decode(String.self, forKey: .at),
                  data: try c.decode(JSONValue.self, forKey: .data), prev: try c.decode(String.self, forKey: .prev),
                  hash: try c.decode(String.self, forKey: .hash))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stream, forKey: .stream)
        try c.encode(seq, forKey: .seq)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encodeIfPresent(ticket, forKey: .ticket)
        try c.encode(at, forKey: .at)
        try c.encode(try parsedData(), forKey: .data)
        try c.encode(prev, forKey: .prev)
        try c.encode(hash, forKey: .hash)
    }

    /// Equal content: the same fields and the same payload value, however each was held.
    public static func == (a: Event, b: Event) -> Bool {
        a.stream == b.stream && a.seq == b.seq && a.id == b.id && a.type == b.type && a.ticket == b.ticket && a.at == b.at
            && a.prev == b.prev && a.hash == b.hash && (try? a.parsedData()) == (try? b.parsedData())
    }

    public var date: Date { Timestamp.parse(at) ?? Date(timeIntervalSince1970: 0) }

    /// Decodes the payload as a typed value.
    public func payload<T: Decodable>(_ type: T.Type) throws -> T { try JSONCoding.convert(try parsedData(), to: type) }

    /// The event as canonical JSON (what `JSONCoding` would write for it), built by hand
    /// because every event crosses the bus this way.
    public func canonicalJSON() throws(CanonicalJSON.Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        func field(_ name: StaticString, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        out.append(UInt8(ascii: "{"))
        field("at", first: true)
        CanonicalJSON.writeString(at, to: &out)
        field("data")
        switch body {
        case .canonical(let bytes), .encoded(_, let bytes): out.append(contentsOf: bytes)
        case .value, .received:
            try CanonicalJSON.write(data, to: &out)
        }
        field("hash")
        CanonicalJSON.writeString(hash, to: &out)
        field("id")
        CanonicalJSON.writeString(id, to: &out)
        field("prev")
        CanonicalJSON.writeString(prev, to: &out)
        field("seq")
        CanonicalJSON.writeInteger(seq, to: &out)
        field("stream")
        CanonicalJSON.writeString(stream, to: &out)
        if let ticket {
            field("ticket")
            CanonicalJSON.writeString(ticket, to: &out)
        }
        field("type")
        CanonicalJSON.writeString(type, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The hash of the chain's start.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The chain hash: SHA-256 of `prev`, a newline, and the canonical bytes
    /// `stream \n seq \n id \n type \n ticket \n at \n data`, where `data` is the payload's
    /// canonical JSON (sorted keys) exactly as stored.
    public static func chainHash(prev: String, stream: String, seq: Int64, id: String, type: String, ticket: String?,
                                 at: String, dataJSON: String) -> String {
        var copy = dataJSON
        return copy.withUTF8 { data in
            chainHash(prev: prev, stream: stream, seq: seq, id: id, type: type, ticket: ticket, at: at, data: UnsafeRawBufferPointer(data))
        }
    }

    /// The same, over the payload's canonical bytes.
    public static func chainHash(prev: String, stream: String, seq: Int64, id: String, type: String, ticket: String?,
                                 at: String, data: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        let newline: [UInt8] = [0x0a]
        hasher.update(prev)
        for part in [stream, String(seq), id, type, ticket ?? "", at] {
            newline.withUnsafeBytes { hasher.update($0) }
            hasher.update(part)
        }
        newline.withUnsafeBytes { hasher.update($0) }
        hasher.update(data)
        return Hex.encode(hasher.finalize())
    }

    /// This event's chain hash computed from its content (what `hash` must equal). Bytes from
    /// the store or the bus are hashed as they are (the producer hashed exactly the canonical
    /// bytes it sent); a value is written canonically first. Bytes that do not hash to `hash`
    /// may still be a non-canonical spelling of the right payload: those are parsed and
    /// written canonically, so nothing is accepted that the value would not be.
    public func computedHash() throws -> String {
        func over(_ bytes: [UInt8]) -> String {
            bytes.withUnsafeBytes {
                Event.chainHash(prev: prev, stream: stream, seq: seq, id: id, type: type, ticket: ticket, at: at, data: $0)
            }
        }
        switch body {
        case .value(let v): return over(try CanonicalJSON.bytes(v))
        case .encoded(_, let bytes): return over(bytes)
        case .canonical(let bytes), .received(let bytes):
            let direct = over(bytes)
            if direct == hash { return direct }
            return over(try CanonicalJSON.bytes(try parsedData()))
        }
    }
}

/// What a service asks to append; the store assigns seq, id and hashes.
public struct NewEvent: Sendable {
    public let type: String
    public let ticket: String?
    /// The payload as a value, when it was built as one; a self-writing payload has only its text.
    let value: JSONValue?
    /// The payload's canonical JSON, exactly as it will be stored and hashed.
    public let dataJSON: String

    public init(type: String, ticket: String?, data: JSONValue) throws {
        self.type = type
        self.ticket = ticket
        value = data
        dataJSON = try JSONCoding.string(data)
    }

    /// Builds an event from a typed payload (encoded once; a `CanonicalJSONWritable` one
    /// writes its bytes without a value in between).
    public init<P: Encodable>(_ type: String, ticket: String?, _ payload: P) throws {
        self.type = type
        self.ticket = ticket
        if let writable = payload as? any CanonicalJSONWritable {
            value = nil
            dataJSON = String(decoding: CanonicalJSON.bytes(writable), as: UTF8.self)
        } else {
            let (v, text) = try JSONCoding.valueAndText(payload)
            value = v
            dataJSON = text
        }
    }

    /// The stored event for this request once the store has given it a place in the chain.
    func stored(stream: String, seq: Int64, id: String, at: String, prev: String, hash: String) -> Event {
        guard let value else {
            return Event(stream: stream, seq: seq, id: id, type: type, ticket: ticket, at: at, dataJSON: Array(dataJSON.utf8),
                         stored: true, prev: prev, hash: hash)
        }
        return Event(stream: stream, seq: seq, id: id, type: type, ticket: ticket, at: at, data: value, dataJSON: dataJSON,
                     prev: prev, hash: hash)
    }
}
