import Foundation
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
    public let data: JSONValue
    /// The previous event's hash (64 zeros before the first event).
    public let prev: String
    /// SHA-256 over `prev` and this event's canonical bytes.
    public let hash: String

    public init(stream: String, seq: Int64, id: String, type: String, ticket: String?, at: String, data: JSONValue,
                prev: String, hash: String) {
        self.stream = stream
        self.seq = seq
        self.id = id
        self.type = type
        self.ticket = ticket
        self.at = at
        self.data = data
        self.prev = prev
        self.hash = hash
    }

    public var date: Date { Timestamp.parse(at) ?? Date(timeIntervalSince1970: 0) }

    /// Decodes the payload as a typed value.
    public func payload<T: Decodable>(_ type: T.Type) throws -> T { try JSONCoding.convert(data, to: type) }

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
        try CanonicalJSON.write(data, to: &out)
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

    /// This event's chain hash computed from its content (what `hash` must equal). The
    /// payload is written canonically straight from the parsed value, without a detour
    /// through `Encodable`.
    public func computedHash() throws -> String {
        let data = try CanonicalJSON.bytes(self.data)
        return data.withUnsafeBytes {
            Event.chainHash(prev: prev, stream: stream, seq: seq, id: id, type: type, ticket: ticket, at: at, data: $0)
        }
    }
}

/// What a service asks to append; the store assigns seq, id and hashes.
public struct NewEvent: Sendable {
    public let type: String
    public let ticket: String?
    public let data: JSONValue
    /// The payload's canonical JSON, exactly as it will be stored and hashed.
    public let dataJSON: String

    public init(type: String, ticket: String?, data: JSONValue) throws {
        self.type = type
        self.ticket = ticket
        self.data = data
        dataJSON = try JSONCoding.string(data)
    }

    /// Builds an event from a typed payload (encoded once).
    public init<P: Encodable>(_ type: String, ticket: String?, _ payload: P) throws {
        self.type = type
        self.ticket = ticket
        (data, dataJSON) = try JSONCoding.valueAndText(payload)
    }
}
