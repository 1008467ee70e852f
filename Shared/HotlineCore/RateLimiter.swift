import FoundationEssentials
import Synchronization

/// Token buckets per key (a channel, a client address): `rate` per minute with a burst of
/// the same size. Bounded: idle buckets are forgotten when there are too many.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    private let maxKeys: Int

    public init(maxKeys: Int = 10_000) { self.maxKeys = maxKeys }

    /// Takes one token for `key`.
    /// - Returns: `nil` when allowed, else the seconds until a token is available.
    public func take(_ key: String, perMinute rate: Int, now: Date) -> Int? {
        let perSecond = Double(rate) / 60
        return buckets.withLock { all -> Int? in
            var b = all[key] ?? Bucket(tokens: Double(rate), updated: now)
            b.tokens = min(Double(rate), b.tokens + max(0, now.timeIntervalSince(b.updated)) * perSecond)
            b.updated = now
            if all.count >= maxKeys && all[key] == nil {
                // Forget full buckets first: they behave exactly like new ones.
                all = all.filter { $0.value.tokens < Double(rate) - 0.5 }
                if all.count >= maxKeys { all.removeAll() }
            }
            defer { all[key] = b }
            if b.tokens >= 1 {
                b.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - b.tokens) / perSecond).rounded(.up)))
        }
    }

    /// Gives back a token taken for work that turned out to cost nothing (an idempotent replay).
    public func refund(_ key: String, perMinute rate: Int) {
        buckets.withLock { all in
            guard var b = all[key] else { return }
            b.tokens = min(Double(rate), b.tokens + 1)
            all[key] = b
        }
    }
}
