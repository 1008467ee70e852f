import FoundationEssentials
import Synchronization

/// Counters, gauges and histograms rendered in the Prometheus text format.
public final class Metrics: Sendable {
    private struct Series: Hashable {
        let name: String
        let labels: [String: String]
    }

    private struct Histogram {
        var buckets: [Double]
        var counts: [Int]
        var sum = 0.0
        var count = 0
    }

    private struct State {
        var help: [String: (String, String)] = [:]  // name → (type, help)
        var values: [Series: Double] = [:]
        var histograms: [Series: Histogram] = [:]
    }

    private let state = Mutex(State())
    private let gauges = Mutex<[String: @Sendable () -> [([String: String], Double)]]>([:])
    public static let latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    public init() {}

    public func describe(_ name: String, type: String, help: String) {
        state.withLock { $0.help[name] = (type, help) }
    }

    public func increment(_ name: String, _ labels: [String: String] = [:], by value: Double = 1) {
        state.withLock { $0.values[Series(name: name, labels: labels), default: 0] += value }
    }

    public func set(_ name: String, _ labels: [String: String] = [:], _ value: Double) {
        state.withLock { $0.values[Series(name: name, labels: labels)] = value }
    }

    public func observe(_ name: String, _ labels: [String: String] = [:], _ value: Double,
                        buckets: [Double] = Metrics.latencyBuckets) {
        state.withLock { s in
            let key = Series(name: name, labels: labels)
            var h = s.histograms[key] ?? Histogram(buckets: buckets, counts: Array(repeating: 0, count: buckets.count))
            for (i, bound) in h.buckets.enumerated() where value <= bound { h.counts[i] += 1 }
            h.sum += value
            h.count += 1
            s.histograms[key] = h
        }
    }

    /// A gauge computed at scrape time.
    public func gauge(_ name: String, _ read: @escaping @Sendable () -> [([String: String], Double)]) {
        gauges.withLock { $0[name] = read }
    }

    /// The exposition text.
    public func render() -> String {
        var computed: [(String, [String: String], Double)] = []
        for (name, read) in gauges.withLock({ $0 }) {
            for (labels, value) in read() { computed.append((name, labels, value)) }
        }
        return state.withLock { s in
            var out = ""
            var names = Set(s.values.keys.map(\.name)).union(s.histograms.keys.map(\.name))
            names.formUnion(computed.map(\.0))
            for name in names.sorted() {
                if let (type, help) = s.help[name] {
                    out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
                }
                for (series, value) in s.values where series.name == name {
                    out += "\(name)\(Self.labels(series.labels)) \(Self.number(value))\n"
                }
                for (n, labels, value) in computed where n == name {
                    out += "\(name)\(Self.labels(labels)) \(Self.number(value))\n"
                }
                for (series, h) in s.histograms where series.name == name {
                    for (i, bound) in h.buckets.enumerated() {
                        var l = series.labels
                        l["le"] = Self.number(bound)
                        out += "\(name)_bucket\(Self.labels(l)) \(h.counts[i])\n"
                    }
                    var inf = series.labels
                    inf["le"] = "+Inf"
                    out += "\(name)_bucket\(Self.labels(inf)) \(h.count)\n"
                    out += "\(name)_sum\(Self.labels(series.labels)) \(Self.number(h.sum))\n"
                    out += "\(name)_count\(Self.labels(series.labels)) \(h.count)\n"
                }
            }
            return out
        }
    }

    private static func labels(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return "" }
        let parts = labels.sorted { $0.key < $1.key }.map { key, value in
            let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
                .replacing("\n", with: "\\n")
            return "\(key)=\"\(escaped)\""
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    private static func number(_ v: Double) -> String {
        v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
