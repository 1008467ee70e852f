import FoundationEssentials
import Glibc
import Synchronization

/// Structured logging: one JSON object per line (time, level, service, message, fields).
///
/// Messages are constant text; data goes in dot-keyed fields. Field values whose key names
/// personal data are masked, and every value is scrubbed of phone numbers, so a careless
/// call site cannot leak a caller's contact into the logs.
public struct Logger: Sendable {
    public enum Level: Int, Comparable, Sendable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical

        public var name: String { String(describing: self) }

        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
            self = level
        }

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public let service: String
    public let minimumLevel: Level
    private let sink: any LogSink
    private let clock: any HotlineClock

    public init(service: String, level: Level = .info, sink: any LogSink = StandardErrorSink.shared,
                clock: any HotlineClock = SystemClock()) {
        self.service = service
        self.minimumLevel = level
        self.sink = sink
        self.clock = clock
    }

    public func log(_ level: Level, _ message: StaticString, _ fields: [String: String] = [:]) {
        guard level >= minimumLevel else { return }
        var object: [String: String] = [:]
        for (key, value) in fields { object[key] = Redaction.field(key, value) }
        object["time"] = Timestamp.format(clock.now())
        object["level"] = level.name
        object["service"] = service
        object["message"] = "\(message)"
        let line = (try? JSONCoding.string(object)) ?? "{\"message\":\"unencodable log line\"}"
        sink.write(LogRecord(level: level, message: "\(message)", fields: object, line: line))
    }

    public func trace(_ m: StaticString, _ f: [String: String] = [:]) { log(.trace, m, f) }
    public func debug(_ m: StaticString, _ f: [String: String] = [:]) { log(.debug, m, f) }
    public func info(_ m: StaticString, _ f: [String: String] = [:]) { log(.info, m, f) }
    public func notice(_ m: StaticString, _ f: [String: String] = [:]) { log(.notice, m, f) }
    public func warning(_ m: StaticString, _ f: [String: String] = [:]) { log(.warning, m, f) }
    public func error(_ m: StaticString, _ f: [String: String] = [:]) { log(.error, m, f) }
    public func critical(_ m: StaticString, _ f: [String: String] = [:]) { log(.critical, m, f) }
}

/// One emitted log record: the parsed parts and the exact line written.
public struct LogRecord: Sendable {
    public let level: Logger.Level
    public let message: String
    public let fields: [String: String]
    public let line: String
}

/// Where log lines go.
public protocol LogSink: Sendable {
    func write(_ record: LogRecord)
}

/// Writes each line to stderr in one `write(2)` so concurrent lines never interleave.
public final class StandardErrorSink: LogSink {
    public static let shared = StandardErrorSink()

    public func write(_ record: LogRecord) {
        writeToStandardError(record.line + "\n")
    }
}

/// Writes `text` to stderr (one `write(2)` unless the kernel takes it in parts): log lines, and
/// messages before a logger exists (usage and configuration errors).
public func writeToStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let n = Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
            if n <= 0 { return }
            offset += n
        }
    }
}

/// Keeps records in memory, for tests that assert on what was logged.
public final class MemoryLogSink: LogSink {
    private let records = Mutex<[LogRecord]>([])

    public init() {}

    public func write(_ record: LogRecord) { records.withLock { $0.append(record) } }

    public var all: [LogRecord] { records.withLock { $0 } }
}
