import FoundationEssentials
import Dispatch
import HotlineBus
import HotlineCore
import HotlineStorage
import HotlineStreams
import Synchronization

/// Follows one stream: applies its events in order, exactly once in effect.
///
/// The cursor advances in the same transaction as the effects. Pushed events are applied
/// when they continue the cursor; a gap, a (re)connect or the periodic poll fetches from the
/// producer. Pushes that arrive while a batch is being applied wait in `pending` and go
/// together into the next transaction (one commit, one cursor update for the lot, up to
/// `maxBatch` events), so a busy consumer commits less often the busier it is. A failing
/// event is retried with back-off and then dead-lettered so the stream moves on; the failure
/// shows in logs, metrics and `/readyz`.
final class StreamFollower: Sendable {
    let stream: String
    private let logic: any ServiceLogic
    private let context: ServiceContext
    private let bus: BusClient
    private let triggers: AsyncStream<Trigger>
    private let trigger: AsyncStream<Trigger>.Continuation
    private let state = Mutex(Status())
    private let maxAttempts: Int

    enum Trigger: Sendable {
        /// Pushed events wait in `pending`.
        case pushed
        case catchUp
    }

    /// Pushed events not yet applied; beyond `maxPending` further pushes are dropped (those
    /// waiting are kept) and fetched after the waiting ones are applied.
    private struct Pending {
        var events: [Event] = []
        var head: Int64 = 0
        var overflowed = false
        /// The latest push said its producer had no other write in flight.
        var producerIdle = false
    }
    private let pending = Mutex(Pending())
    /// The most events one transaction applies.
    static let maxBatch = 1000
    /// Decoded events weigh several times their bytes: 100,000 waiting cost a follower
    /// hundreds of MB on PostgreSQL under load (measured); beyond this they come by fetch.
    static let maxPending = 20_000
    /// Events asked for per catch-up fetch (the producer sends as many as fit in one line).
    static let fetchLimit = 2000

    struct Status: Sendable {
        var cursor: Int64 = 0
        var knownHead: Int64 = 0
        /// The temporary fault the stream is waiting out (retried without end), if any.
        var stalled: String?
        /// The chain break that stopped the stream until the real event arrives, if any.
        var broken: String?
    }

    init(stream: String, logic: any ServiceLogic, context: ServiceContext, bus: BusClient, maxAttempts: Int = 5) {
        self.stream = stream
        self.logic = logic
        self.context = context
        self.bus = bus
        self.maxAttempts = maxAttempts
        (triggers, trigger) = AsyncStream.makeStream(of: Trigger.self, bufferingPolicy: .bufferingNewest(1000))
    }

    var status: Status { state.withLock { $0 } }

    /// The logic, for re-driving a dead letter outside stream order.
    var logicForRedrive: any ServiceLogic { logic }

    func pushed(_ events: [Event], head: Int64, producerIdle: Bool) {
        let wake = pending.withLock { p -> Bool in
            let idle = p.events.isEmpty && !p.overflowed
            p.head = max(p.head, head)
            p.producerIdle = producerIdle
            if p.events.count + events.count > Self.maxPending {
                p.overflowed = true
            } else {
                p.events += events
            }
            return idle
        }
        if wake { trigger.yield(.pushed) }
    }

    /// Waits (bounded) until the cursor reaches the producer's head as the bus knows it, so
    /// that timers decide on everything that already happened (an accept just before a
    /// deadline must not be announced as a miss).
    /// - Returns: whether the follower caught up in time.
    func catchUp(timeout: TimeInterval) async -> Bool {
        guard let head = try? await bus.head(stream: stream, timeout: timeout) else {
            return state.withLock { $0.cursor >= $0.knownHead }
        }
        state.withLock { $0.knownHead = max($0.knownHead, head) }
        let deadline = Date().addingTimeInterval(timeout)
        while state.withLock({ $0.cursor }) < head {
            guard Date() < deadline else { return false }
            requestCatchUp()
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return true
    }
    func requestCatchUp() { trigger.yield(.catchUp) }

    private struct Hold: Sendable {
        let reached: CheckedContinuation<Void, Never>
        let release: AsyncStream<Void>
    }
    private let holdRequest = Mutex<Hold?>(nil)

    /// Stops applying events until `release` finishes; returns once the follower is idle
    /// (no batch in flight). On release it reloads its cursor from the store, which the
    /// holder may have moved (a rebuild resets it to 0).
    func hold(until release: AsyncStream<Void>) async {
        await withCheckedContinuation { reached in
            holdRequest.withLock { $0 = Hold(reached: reached, release: release) }
            // Wake the loop; a flag, not a trigger, so a full trigger buffer cannot lose it.
            trigger.yield(.catchUp)
        }
    }

    private func honourHold() async {
        guard let hold = holdRequest.withLock({ h -> Hold? in defer { h = nil }; return h }) else { return }
        hold.reached.resume()
        for await _ in hold.release {}
        let stream = self.stream
        if let stored = try? await context.read({ tx in try ConsumerState.cursor(tx, stream: stream) }) {
            state.withLock { $0.cursor = stored }
        }
    }
    func finish() {
        finished.store(true, ordering: .relaxed)
        trigger.finish()
    }
    private let finished = Atomic<Bool>(false)

    /// Processes triggers until `finish()`.
    func run() async {
        do {
            let cursor = try await context.read { [stream] tx in try ConsumerState.cursor(tx, stream: stream) }
            state.withLock { $0.cursor = cursor }
        } catch {
            context.logger.error("cannot read cursor", ["bus.stream": stream, "error": "\(error)"])
        }
        for await t in triggers {
            await honourHold()
            switch t {
            case .pushed:
                // A thin batch waits for company while more keeps coming (`Linger`): under
                // load one commit then carries many producers' commits, which halves what
                // a consumer writes; an event its producer published with nothing else in
                // flight is applied at once.
                let start = DispatchTime.now().uptimeNanoseconds
                var seen: Int?
                while true {
                    let (count, overflowed, producerIdle) = pending.withLock { ($0.events.count, $0.overflowed, $0.producerIdle) }
                    let waited = DispatchTime.now().uptimeNanoseconds - start
                    guard Linger.keepWaiting(count: count, seenBefore: seen, waited: waited, overflowed: overflowed,
                                             producerIdle: producerIdle) else { break }
                    seen = count
                    try? await Task.sleep(nanoseconds: Linger.quietNanoseconds)
                }
                let taken = pending.withLock { p -> Pending in
                    defer { p = Pending() }
                    return p
                }
                state.withLock { $0.knownHead = max($0.knownHead, taken.head) }
                switch StreamApplication.decide(taken.events, cursor: state.withLock { $0.cursor }) {
                case .nothingNew: if taken.overflowed { await catchUp() }
                case .gap: await catchUp()
                case .apply(let run):
                    for start in stride(from: 0, to: run.count, by: Self.maxBatch) {
                        await apply(Array(run[start..<min(start + Self.maxBatch, run.count)]))
                    }
                    // Pushes with a hole in them, or dropped beyond `maxPending`: the rest comes by fetch.
                    if taken.overflowed { await catchUp() }
                    else if let newest = taken.events.map(\.seq).max(), newest > state.withLock({ $0.cursor }) { await catchUp() }
                }
            case .catchUp:
                await catchUp()
            }
        }
    }

    /// Fetches from the producer until the cursor reaches its head. The next fetch goes out
    /// while a batch is being applied, so the producer's read and the round trip overlap the
    /// commit; it is used only if the batch moved the cursor where it was asked from.
    private func catchUp() async {
        typealias Reply = (events: [Event], head: Int64)
        var ahead: (after: Int64, reply: Task<Reply, any Error>)?
        defer { ahead?.reply.cancel() }
        while bus.isConnected {
            // A holder waits for the loop: let it in between batches of a long catch-up.
            if holdRequest.withLock({ $0 != nil }) { return requestCatchUp() }
            let cursor = state.withLock { $0.cursor }
            let reply: Reply
            do {
                if let pending = ahead, pending.after == cursor {
                    reply = try await pending.reply.value
                } else {
                    ahead?.reply.cancel()
                    reply = try await bus.fetch(stream: stream, after: cursor, limit: Self.fetchLimit)
                }
                ahead = nil
            } catch {
                context.logger.debug("catch-up fetch failed", ["bus.stream": stream, "error": "\(error)"])
                return
            }
            state.withLock { $0.knownHead = max($0.knownHead, reply.head) }
            // How much comes by fetch rather than push: each fetched event was read, sent and
            // decoded once more than a pushed one.
            context.metrics.increment("hotline_catch_up_fetches_total", ["stream": stream])
            context.metrics.increment("hotline_events_fetched_total", ["stream": stream], by: Double(reply.events.count))
            guard case .apply(let run) = StreamApplication.decide(reply.events, cursor: cursor) else { return }
            if let last = run.last?.seq, last < reply.head {
                let (bus, stream) = (self.bus, self.stream)
                ahead = (last, Task { try await bus.fetch(stream: stream, after: last, limit: Self.fetchLimit) })
            }
            await apply(run)
            if state.withLock({ $0.cursor }) >= reply.head { return }
        }
    }

    /// Why a batch did not apply.
    private enum Failure {
        /// The storage failed (disk full, read-only, I/O, lost connection, lock): the same
        /// batch will apply once it recovers, so it is retried without end, never dead-lettered.
        case transient(String)
        /// An event does not continue the chain: not applied, not skipped; the stream waits
        /// for the real event (the next fetch from the producer).
        case chainBreak(String)
        /// The work itself failed (an event that cannot be decoded or breaks a rule).
        case permanent(String)
    }

    /// Applies consecutive events in one transaction; on a permanent failure, one at a time,
    /// dead-lettering an event only after `maxAttempts` permanent failures.
    private func apply(_ events: [Event]) async {
        switch await applyWaitingOutFaults(events) {
        case nil, .chainBreak?: return
        case .transient?: return  // stopping
        case .permanent?: break
        }
        for event in events {
            var attempt = 0
            while state.withLock({ $0.cursor }) < event.seq {
                switch await applyWaitingOutFaults([event]) {
                case nil:
                    // Applied, or not this follower's turn (the cursor moved elsewhere): stop here if not applied.
                    if state.withLock({ $0.cursor }) < event.seq { return }
                case .chainBreak?, .transient?: return
                case .permanent(let message)?:
                    attempt += 1
                    if attempt >= maxAttempts {
                        await deadLetter(event, attempts: attempt, error: message)
                        // Could not even record the dead letter: retry on the next trigger.
                        if state.withLock({ $0.cursor }) < event.seq { return }
                    } else {
                        try? await Task.sleep(nanoseconds: UInt64(100_000_000 * (1 << min(attempt, 5))))
                    }
                }
            }
        }
    }

    /// Applies a batch, retrying with back-off (up to 5 s between tries) as long as the
    /// storage fails temporarily, while `/readyz` reports the stream as stalled.
    /// - Returns: nil when applied (or nothing was left to apply); the failure otherwise
    ///   (`.transient` only when the service is stopping).
    private func applyWaitingOutFaults(_ events: [Event]) async -> Failure? {
        var tries = 0
        while true {
            let outcome = await applyBatch(events)
            guard case .transient(let message)? = outcome else {
                if state.withLock({ $0.stalled != nil }) {
                    state.withLock { $0.stalled = nil }
                    context.logger.notice("stream flowing again", ["bus.stream": stream, "tries": String(tries)])
                }
                return outcome
            }
            tries += 1
            context.metrics.increment("hotline_consumer_transient_failures_total", ["stream": stream])
            let first = state.withLock { s -> Bool in
                defer { s.stalled = message }
                return s.stalled == nil
            }
            if first || tries % 60 == 0 {
                context.logger.error("stream stalled on a temporary fault; retrying until it clears",
                                     ["bus.stream": stream, "event.seq": String(events.first?.seq ?? 0), "error": message,
                                      "tries": String(tries)])
            }
            if finished.load(ordering: .relaxed) { return outcome }
            try? await Task.sleep(nanoseconds: UInt64(min(5_000_000_000, 50_000_000 << min(tries, 7))))
        }
    }

    private func applyBatch(_ batch: [Event]) async -> Failure? {
        let cursor = state.withLock { $0.cursor }
        // The cursor may have moved past the batch's start since it was taken (re-read after a
        // commit that landed unseen): what lies beyond it still applies now.
        let events = batch.drop { $0.seq <= cursor }
        guard let first = events.first, first.seq == cursor + 1, let last = events.last else { return nil }
        let stream = self.stream
        let logic = self.logic
        let context = self.context
        do {
            try await StreamApplication.apply(Array(events), stream: stream, cursor: cursor, logic: logic, context: context)
            state.withLock {
                $0.cursor = last.seq
                $0.broken = nil
            }
            context.metrics.increment("hotline_events_applied_total", ["stream": stream], by: Double(events.count))
            return nil
        } catch let chain as ChainBreak {
            let fresh = state.withLock { s -> Bool in
                defer { s.broken = chain.description }
                return s.broken != chain.description
            }
            if fresh {
                context.metrics.increment("hotline_chain_breaks_total", ["stream": stream])
                context.logger.critical("event refused: it does not continue its stream's chain; the stream waits for the real one",
                                        ["bus.stream": stream, "event.seq": String(chain.seq), "error": chain.reason])
            }
            return .chainBreak(chain.description)
        } catch {
            // The cursor may have moved under us (another instance): re-read it.
            if let stored = try? await context.read({ tx in try ConsumerState.cursor(tx, stream: stream) }) {
                state.withLock { $0.cursor = max($0.cursor, stored) }
            }
            if let failure = error as? any TransientFailure, failure.isTransient { return .transient("\(error)") }
            if error is StreamError { return .transient("\(error)") }  // cursor moved concurrently: re-read, retry
            if events.count == 1 {
                context.logger.warning("event failed to apply", ["bus.stream": stream, "event.seq": String(first.seq),
                                                                  "event.type": first.type, "error": "\(error)"])
            }
            return .permanent("\(error)")
        }
    }

    private func deadLetter(_ event: Event, attempts: Int, error message: String) async {
        let stream = self.stream
        let cursor = state.withLock { $0.cursor }
        do {
            try await context.transact { tx, _ in
                // Only an event that continues the chain is ever skipped past.
                try StreamApplication.verifyChain([event], stream: stream, from: cursor, tx)
                try ConsumerState.recordDeadLetter(tx, event: event, error: message, attempts: attempts, at: Date())
                try ConsumerState.advance(tx, stream: stream, from: cursor, to: event.seq, hash: event.hash)
            }
            state.withLock { $0.cursor = event.seq }
            context.metrics.increment("hotline_dead_letters_total", ["stream": stream])
            context.logger.error("event dead-lettered", ["bus.stream": stream, "event.seq": String(event.seq),
                                                          "event.type": event.type, "error": message])
        } catch {
            context.logger.error("cannot record dead letter", ["bus.stream": stream, "error": "\(error)"])
        }
    }
}
