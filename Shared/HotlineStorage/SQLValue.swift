/// A value bound to or read from a statement. Both engines map onto these five cases.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var int: Int64? {
        switch self {
        case .integer(let v): return v
        case .real(let v): return Int64(exactly: v)
        case .text(let s): return Int64(s)
        default: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .integer(let v): return Double(v)
        case .real(let v): return v
        case .text(let s): return Double(s)
        default: return nil
        }
    }

    public var string: String? {
        switch self {
        case .text(let s): return s
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        default: return nil
        }
    }

    public var isNull: Bool { self == .null }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension SQLValue {
    /// `.text` or `.null` for an optional string.
    public static func optional(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
    /// `.integer` or `.null` for an optional integer.
    public static func optional(_ v: Int64?) -> SQLValue { v.map { .integer($0) } ?? .null }
    public static func int(_ v: Int) -> SQLValue { .integer(Int64(v)) }
    public static func bool(_ v: Bool) -> SQLValue { .integer(v ? 1 : 0) }
}

/// One result row; columns are looked up by name.
public struct Row: Sendable {
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(_ name: String) -> SQLValue {
        guard let i = columns.firstIndex(of: name) else { return .null }
        return values[i]
    }

    public subscript(_ index: Int) -> SQLValue { values[index] }

    public func string(_ name: String) -> String? { self[name].string }
    public func int(_ name: String) -> Int64? { self[name].int }
    public func double(_ name: String) -> Double? { self[name].double }
    public func bool(_ name: String) -> Bool { (self[name].int ?? 0) != 0 }
}
