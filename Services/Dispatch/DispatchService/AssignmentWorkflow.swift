/// An assignment's unit workflow (DI-4) as one pure type over typed states and actions: no
/// strings of the wire, no HTTP, no SQL. The service maps a refusal to problem+json at the
/// edge and stores the facts it returns.
public enum AssignmentWorkflow {
    public enum State: String, Sendable, CaseIterable {
        case dispatched
        /// The lead unit took it on.
        case accepted
        /// Waiting for the citizen to supply what was missing (一次告知); the clock stops.
        case paused
        /// Ended by the lead unit's reply.
        case replied
        /// The lead unit asked to give it back; the centre's dispute queue decides. The unit
        /// keeps it (and its clock runs) until then.
        case returnRequested = "return_requested"
        /// Ended by an approved return: another unit took it over.
        case returned
        /// Ended by escalation: the next tier's unit took it over (this one assists).
        case escalated
    }

    public enum Action: String, Sendable, CaseIterable {
        case accept
        case reply
        case pause
        case resume
        case requestExtension = "request_extension"
        case approveExtension = "approve_extension"
        case rejectExtension = "reject_extension"
        case requestReturn = "request_return"
        case approveReturn = "approve_return"
        case rejectReturn = "reject_return"
        /// The lead unit asks to blow the whistle (吹哨) one tier up.
        case requestEscalation = "request_escalation"
        /// The centre escalates: a unit's request approved, or on its own.
        case escalate
        case rejectEscalation = "reject_escalation"
    }

    public enum Actor: Sendable, Equatable {
        /// The assignment's own lead unit.
        case leadUnit
        /// Any other unit: refused as if the assignment did not exist.
        case otherUnit
        case centre
    }

    /// What the workflow keeps of an assignment.
    public struct Facts: Sendable, Equatable {
        public var state: State
        /// An extension request waits for the centre.
        public var extensionPending: Bool
        public var extensionsApproved: Int
        /// Where a rejected return request goes back to.
        public var stateBeforeReturn: State?
        /// An escalation request waits for the centre; the unit works on meanwhile.
        public var escalationPending: Bool

        public init(state: State, extensionPending: Bool = false, extensionsApproved: Int = 0, stateBeforeReturn: State? = nil,
                    escalationPending: Bool = false) {
            self.state = state
            self.extensionPending = extensionPending
            self.extensionsApproved = extensionsApproved
            self.stateBeforeReturn = stateBeforeReturn
            self.escalationPending = escalationPending
        }
    }

    public enum Refusal: Error, Sendable, Equatable {
        /// Another unit's assignment (403, as for an assignment that does not exist).
        case foreign
        /// This actor does not take this action (the unit asks, the centre decides).
        case notYours(Action)
        /// Not in this state: the current state is named.
        case notNow(Action, State)
        /// The configured number of extensions is used up.
        case extensionsUsedUp(Int)
        /// An extension request is already waiting for the centre.
        case extensionPending
        /// No extension request waits for a decision.
        case noExtensionPending
        /// No return request waits for a decision.
        case noReturnPending
        /// An escalation request already waits for the centre.
        case escalationPending
        /// No escalation request waits for a decision.
        case noEscalationPending
    }

    /// The facts after `action` by `actor`, or why it is refused.
    public static func decide(_ facts: Facts, _ action: Action, by actor: Actor, maxExtensions: Int) -> Result<Facts, Refusal> {
        if actor == .otherUnit { return .failure(.foreign) }
        var next = facts
        switch action {
        case .accept:
            guard facts.state == .dispatched else { return .failure(.notNow(action, facts.state)) }
            next.state = .accepted
        case .reply:
            guard facts.state == .accepted else { return .failure(.notNow(action, facts.state)) }
            next.state = .replied
            // A reply ends the assignment: requests still waiting have nothing left to act on.
            next.extensionPending = false
            next.escalationPending = false
        case .pause:
            guard facts.state == .accepted else { return .failure(.notNow(action, facts.state)) }
            next.state = .paused
        case .resume:
            guard facts.state == .paused else { return .failure(.notNow(action, facts.state)) }
            next.state = .accepted
        case .requestExtension:
            guard actor == .leadUnit else { return .failure(.notYours(action)) }
            guard facts.state == .accepted || facts.state == .paused else { return .failure(.notNow(action, facts.state)) }
            guard !facts.extensionPending else { return .failure(.extensionPending) }
            guard facts.extensionsApproved < maxExtensions else { return .failure(.extensionsUsedUp(maxExtensions)) }
            next.extensionPending = true
        case .approveExtension, .rejectExtension:
            guard actor == .centre else { return .failure(.notYours(action)) }
            guard facts.extensionPending else { return .failure(.noExtensionPending) }
            next.extensionPending = false
            if action == .approveExtension { next.extensionsApproved += 1 }
        case .requestReturn:
            guard actor == .leadUnit else { return .failure(.notYours(action)) }
            guard [.dispatched, .accepted, .paused].contains(facts.state) else { return .failure(.notNow(action, facts.state)) }
            next.stateBeforeReturn = facts.state
            next.state = .returnRequested
        case .approveReturn, .rejectReturn:
            guard actor == .centre else { return .failure(.notYours(action)) }
            guard facts.state == .returnRequested else { return .failure(.noReturnPending) }
            if action == .approveReturn {
                next.state = .returned
                next.extensionPending = false
                next.escalationPending = false
            } else {
                next.state = facts.stateBeforeReturn ?? .accepted
            }
            next.stateBeforeReturn = nil
        case .requestEscalation:
            guard actor == .leadUnit else { return .failure(.notYours(action)) }
            guard [.dispatched, .accepted, .paused].contains(facts.state) else { return .failure(.notNow(action, facts.state)) }
            guard !facts.escalationPending else { return .failure(.escalationPending) }
            next.escalationPending = true
        case .escalate:
            guard actor == .centre else { return .failure(.notYours(action)) }
            guard [.dispatched, .accepted, .paused].contains(facts.state) else { return .failure(.notNow(action, facts.state)) }
            next.state = .escalated
            next.escalationPending = false
            next.extensionPending = false
        case .rejectEscalation:
            guard actor == .centre else { return .failure(.notYours(action)) }
            guard facts.escalationPending else { return .failure(.noEscalationPending) }
            next.escalationPending = false
        }
        return .success(next)
    }
}
