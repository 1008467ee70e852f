import HotlineCore

/// A storage failure. `description` is safe to log (no SQL parameters, no personal data);
/// `debugDescription` adds the engine's own message.
public struct DatabaseError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable, TransientFailure {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case connection, constraint, uniqueViolation, busy, syntax, misuse, io, full, readOnly, other }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        public static let connection = Code(.connection)
        public static let constraint = Code(.constraint)
        public static let uniqueViolation = Code(.uniqueViolation)
        public static let busy = Code(.busy)
        public static let syntax = Code(.syntax)
        public static let misuse = Code(.misuse)
        public static let io = Code(.io)
        /// The disk (or the database's quota) is full.
        public static let full = Code(.full)
        /// The database or its files cannot be written (permissions, immutable, read-only server).
        public static let readOnly = Code(.readOnly)
        public static let other = Code(.other)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// The SQLite (extended) result code, when the engine is SQLite.
    public let sqliteCode: Int32?
    /// The five-character SQLSTATE, when the engine is PostgreSQL.
    public let sqlState: String?
    /// The engine's message; may quote data, so only in `debugDescription`.
    public let engineMessage: String

    public init(code: Code, sqliteCode: Int32? = nil, sqlState: String? = nil, engineMessage: String) {
        self.code = code
        self.sqliteCode = sqliteCode
        self.sqlState = sqlState
        self.engineMessage = engineMessage
    }

    public var description: String {
        var s = "database error (\(code))"
        if let c = sqliteCode { s += " sqlite=\(c)" }
        if let st = sqlState { s += " sqlstate=\(st)" }
        return s
    }

    public var debugDescription: String { description + ": " + engineMessage }

    /// Whether the same work may succeed later unchanged: the storage, not the work, failed
    /// (connection lost, lock contention, I/O, disk full, read-only). Anything else — a
    /// constraint, bad SQL — fails again however often it is retried.
    public var isTransient: Bool { [.connection, .busy, .io, .full, .readOnly].contains(code) }

    /// Maps a SQLite extended result code.
    static func sqlite(_ code: Int32, message: String) -> DatabaseError {
        let primary = code & 0xff
        let mapped: Code
        switch primary {
        case 19: mapped = (code == 2067 || code == 1555) ? .uniqueViolation : .constraint
        case 5, 6: mapped = .busy
        case 1: mapped = .syntax
        case 21: mapped = .misuse
        case 13: mapped = .full
        case 8: mapped = .readOnly
        case 7, 10, 14, 15: mapped = .io  // NOMEM, IOERR, CANTOPEN, PROTOCOL
        default: mapped = .other
        }
        return DatabaseError(code: mapped, sqliteCode: code, engineMessage: message)
    }

    /// Maps a PostgreSQL SQLSTATE.
    static func postgres(_ state: String?, message: String) -> DatabaseError {
        let mapped: Code
        switch state {
        case "23505"?: mapped = .uniqueViolation
        case let s? where s.hasPrefix("23"): mapped = .constraint
        case "40001"?, "40P01"?, "55P03"?, "57014"?: mapped = .busy
        case "53100"?: mapped = .full
        case "25006"?: mapped = .readOnly
        case let s? where s.hasPrefix("53") || s.hasPrefix("58"): mapped = .io
        case let s? where s.hasPrefix("08") || s.hasPrefix("57P"): mapped = .connection
        case let s? where s.hasPrefix("42"): mapped = .syntax
        case nil: mapped = .connection
        default: mapped = .other
        }
        return DatabaseError(code: mapped, sqlState: state, engineMessage: message)
    }
}
