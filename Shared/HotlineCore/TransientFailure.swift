/// An error that says whether the work that failed may succeed later unchanged (the
/// storage or a peer failed, not the request): callers retry those, HTTP answers them
/// 503 with `Retry-After` instead of 500, and consumers never dead-letter an event for them.
public protocol TransientFailure: Error {
    var isTransient: Bool { get }
}
