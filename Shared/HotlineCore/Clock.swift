import FoundationEssentials
import Synchronization

/// Where services read the time. Production uses the system clock; with
/// `HOTLINE_CLOCK=manual` the suite follows a clock set over the bus.
public protocol HotlineClock: Sendable {
    func now() -> Date
}

/// The machine's wall clock.
public struct SystemClock: HotlineClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to, and never backwards.
public final class ManualClock: HotlineClock {
    private let current: Mutex<Date>

    public init(start: Date = Date(timeIntervalSince1970: 0)) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward to `date`.
    /// - Returns: `true` when the clock moved (an earlier or equal time is ignored).
    @discardableResult
    public func advance(to date: Date) -> Bool {
        current.withLock { value in
            guard date > value else { return false }
            value = date
            return true
        }
    }
}

/// Duration text as operators type it: `90s`, `15m`, `2h`, `3d`, or combinations like `1d12h`.
public enum DurationText {
    public static func parse(_ text: String) -> TimeInterval? {
        var total: TimeInterval = 0
        var number = ""
        var sawUnit = false
        for ch in text.trimmingWhitespace() {
            if ch.isNumber {
                number.append(ch)
                continue
            }
            guard let n = Double(number) else { return nil }
            switch ch {
            case "s": total += n
            case "m": total += n * 60
            case "h": total += n * 3600
            case "d": total += n * 86_400
            case "w": total += n * 7 * 86_400
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit else { return nil }
        return total
    }
}
