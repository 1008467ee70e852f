import FoundationEssentials

/// How long a follower's thin batch of pushed events waits for more before it applies.
///
/// Each commit of a consumer rewrites whole pages (its cursor's, the tails of its tables and
/// indexes), so many small commits under load cost far more than a few large ones. A batch
/// waits in quiet intervals as long as each interval brought more events, until it is large
/// enough or has waited long enough: a burst is applied in a few commits. A batch whose latest
/// push says its producer had no other write in flight applies at once: nothing more is on
/// its way, so a lone event (and the end of a burst) goes through without waiting.
/// Measured on `hotline simulate` (3 days × 5,000 tickets, SQLite): the services wrote
/// 20–27% fewer bytes than with a fixed 10 ms wait below 32 events, with the same report.
enum Linger {
    /// A batch this large applies at once.
    static let enough = 512
    /// The wait for more events; none arriving in it ends the wait.
    static let quietNanoseconds: UInt64 = 10_000_000
    /// The longest a batch waits in all.
    static let longestNanoseconds: UInt64 = 50_000_000

    /// Whether to wait another quiet interval.
    /// - Parameters:
    ///   - count: events waiting now.
    ///   - seenBefore: events waiting at the start of the last interval (nil before the first).
    ///   - waited: nanoseconds waited so far.
    ///   - overflowed: pushes were dropped (the rest comes by fetch: apply what is here first).
    ///   - producerIdle: the latest push said its producer had no other write in flight.
    static func keepWaiting(count: Int, seenBefore: Int?, waited: UInt64, overflowed: Bool, producerIdle: Bool = false) -> Bool {
        guard count > 0, count < enough, !overflowed, !producerIdle, waited < longestNanoseconds else { return false }
        guard let seenBefore else { return true }
        return count > seenBefore
    }
}
