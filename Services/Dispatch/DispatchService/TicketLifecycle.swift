/// A ticket's life in dispatch (domain.md, "A ticket's life") as one pure type: its states
/// and the steps that move it. The service asks it before every status change; a step it
/// does not allow is refused (a request) or ignored (a stale event), never applied.
public enum TicketLifecycle {
    public enum State: String, Sendable, CaseIterable {
        case received
        /// Linked as a repeat of an open ticket: not dispatched again (IN-4).
        case `repeat`
        /// No rule matched: waits in the centre's manual queue.
        case queued
        case dispatched
        case replied
        case closed
    }

    public enum Step: String, Sendable, CaseIterable {
        case linkRepeat = "link_repeat"
        case closeAtIntake = "close_at_intake"
        case queue
        /// By a rule, the emergency fast track, a dispute decision or an escalation.
        case dispatch
        /// The centre dispatches a queued ticket.
        case dispatchByHand = "dispatch_by_hand"
        case reply
        /// The callback found it resolved and the citizen not unsatisfied.
        case closeAfterCallback = "close_after_callback"
        /// The callback failed: a new round for the same lead (dispatched again).
        case reopenAfterCallback = "reopen_after_callback"
        /// Nobody can be called back (anonymous, unreachable).
        case closeUnreachable = "close_unreachable"
        /// Supervision's spot check found the reply falsified or perfunctory: a new round for
        /// the same lead, whether the ticket was still waiting for its callback or closed.
        case reopenAfterSpotCheck = "reopen_after_spot_check"
    }

    /// The state after `step`, or nil when the step does not belong in `state`.
    public static func next(_ state: State, _ step: Step) -> State? {
        switch (state, step) {
        case (.received, .linkRepeat): return .repeat
        case (.received, .closeAtIntake): return .closed
        case (.received, .queue): return .queued
        case (.received, .dispatch): return .dispatched
        case (.queued, .dispatchByHand): return .dispatched
        // A return approved or an escalation moves it to another lead while it is open.
        case (.dispatched, .dispatch): return .dispatched
        // The last open part of the round replied (one lead, or every joint lead).
        case (.dispatched, .reply): return .replied
        case (.replied, .closeAfterCallback), (.replied, .closeUnreachable): return .closed
        case (.replied, .reopenAfterCallback): return .dispatched
        case (.replied, .reopenAfterSpotCheck), (.closed, .reopenAfterSpotCheck): return .dispatched
        default: return nil
        }
    }
}
