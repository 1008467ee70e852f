import Foundation
import HotlineRuntime
import HotlineStorage
import HotlineStreams

/// A consumer and the inputs the interleaving harness feeds it: the events of every stream
/// it follows, and the commands (its own HTTP actions) that the events depend on.
public struct ConsumerUnderTest: Sendable {
    /// The service's logic; a new instance after every simulated restart.
    public let makeLogic: @Sendable () -> any ServiceLogic
    /// Each followed stream's events, in seq order from 1.
    public var streams: [String: [Event]]
    /// The service's own actions, in the order they happened (one lane, kept in order).
    public var commands: [HarnessCommand]
    /// Whether an event can be delivered yet. In the real suite some events cannot reach a
    /// consumer before its own earlier action caused them (a callback on a reply the service
    /// itself made); every other order is possible and must give the same result.
    public var isReady: @Sendable (Event, Transaction) throws -> Bool
    /// The service's state before any input (rows its own HTTP path made), on each fresh database.
    public var prepare: @Sendable (ServiceContext) async throws -> Void
    /// Tables left out of the comparison, with the reason in the caller's code.
    public var ignoredTables: Set<String>

    public init(_ makeLogic: @escaping @Sendable () -> any ServiceLogic, streams: [String: [Event]],
                commands: [HarnessCommand] = [],
                isReady: @escaping @Sendable (Event, Transaction) throws -> Bool = { _, _ in true },
                prepare: @escaping @Sendable (ServiceContext) async throws -> Void = { _ in },
                ignoredTables: Set<String> = []) {
        self.makeLogic = makeLogic
        self.streams = streams
        self.commands = commands
        self.isReady = isReady
        self.prepare = prepare
        self.ignoredTables = ignoredTables
    }

    public var name: String { makeLogic().name }
}

/// One of the service's own actions, run through its real code (as its HTTP route would).
public struct HarnessCommand: Sendable {
    public let label: String
    /// Whether what it acts on exists yet (it could not have been issued before).
    public let isReady: @Sendable (Transaction) throws -> Bool
    public let run: @Sendable (ServiceContext) async throws -> Void

    public init(_ label: String, isReady: @escaping @Sendable (Transaction) throws -> Bool,
                run: @escaping @Sendable (ServiceContext) async throws -> Void) {
        self.label = label
        self.isReady = isReady
        self.run = run
    }
}
