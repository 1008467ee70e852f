import DispatchService
import Testing

/// The unit workflow, table-wise: every action in every state, by every actor (DI-4, issue 7
/// item 11). The table is written out by hand, independently of the code it checks.
@Suite struct AssignmentWorkflowTests {
    typealias W = AssignmentWorkflow

    /// What the lead unit may do in each state (no extension pending, none approved yet).
    static let leadUnit: [W.State: [W.Action: W.State]] = [
        .dispatched: [.accept: .accepted, .requestReturn: .returnRequested, .requestEscalation: .dispatched],
        .accepted: [.reply: .replied, .pause: .paused, .requestExtension: .accepted, .requestReturn: .returnRequested,
                    .requestEscalation: .accepted],
        .paused: [.resume: .accepted, .requestExtension: .paused, .requestReturn: .returnRequested, .requestEscalation: .paused],
        .replied: [:],
        .returnRequested: [:],
        .returned: [:],
        .escalated: [:],
    ]
    /// Decisions only the centre takes.
    static let centreOnly: Set<W.Action> = [.approveExtension, .rejectExtension, .approveReturn, .rejectReturn, .escalate,
                                            .rejectEscalation]

    @Test(arguments: W.State.allCases)
    func everyActionInEveryState(state: W.State) {
        for action in W.Action.allCases {
            let facts = W.Facts(state: state)
            let lead = W.decide(facts, action, by: .leadUnit, maxExtensions: 2)
            if let expected = Self.leadUnit[state]?[action] {
                #expect((try? lead.get())?.state == expected, "\(action) in \(state)")
            } else if Self.centreOnly.contains(action) {
                #expect(lead == .failure(.notYours(action)), "the unit does not decide on its own request")
            } else {
                #expect(lead == .failure(.notNow(action, state)), "\(action) in \(state) names the state")
            }
            // Another unit never learns the assignment exists, whatever it tries.
            #expect(W.decide(facts, action, by: .otherUnit, maxExtensions: 2) == .failure(.foreign))
            // The centre acts as the lead does, but only asks for nothing and decides extensions.
            let centre = W.decide(facts, action, by: .centre, maxExtensions: 2)
            switch action {
            case .requestExtension, .requestReturn, .requestEscalation: #expect(centre == .failure(.notYours(action)))
            case .escalate:
                if [W.State.dispatched, .accepted, .paused].contains(state) {
                    #expect((try? centre.get())?.state == .escalated)
                } else {
                    #expect(centre == .failure(.notNow(action, state)))
                }
            case .rejectEscalation: #expect(centre == .failure(.noEscalationPending))
            case .approveExtension, .rejectExtension: #expect(centre == .failure(.noExtensionPending))
            case .approveReturn, .rejectReturn:
                if state == .returnRequested {
                    #expect((try? centre.get())?.state == (action == .approveReturn ? .returned : .accepted))
                } else {
                    #expect(centre == .failure(.noReturnPending))
                }
            default: #expect(centre == lead, "\(action) in \(state)")
            }
        }
    }

    @Test func aRejectedReturnGoesBackWhereItWas() {
        for from in [W.State.dispatched, .accepted, .paused] {
            let asked = (try? W.decide(W.Facts(state: from), .requestReturn, by: .leadUnit, maxExtensions: 2).get())!
            #expect(asked.state == .returnRequested && asked.stateBeforeReturn == from)
            #expect(W.decide(asked, .reply, by: .leadUnit, maxExtensions: 2) == .failure(.notNow(.reply, .returnRequested)))
            let rejected = (try? W.decide(asked, .rejectReturn, by: .centre, maxExtensions: 2).get())!
            #expect(rejected.state == from && rejected.stateBeforeReturn == nil)
            let approved = (try? W.decide(asked, .approveReturn, by: .centre, maxExtensions: 2).get())!
            #expect(approved.state == .returned)
        }
    }

    @Test func escalationIsAskedThenDecided() {
        let asked = (try? W.decide(W.Facts(state: .accepted), .requestEscalation, by: .leadUnit, maxExtensions: 2).get())!
        #expect(asked.escalationPending && asked.state == .accepted, "the unit works on while the centre decides")
        #expect(W.decide(asked, .requestEscalation, by: .leadUnit, maxExtensions: 2) == .failure(.escalationPending))
        let rejected = (try? W.decide(asked, .rejectEscalation, by: .centre, maxExtensions: 2).get())!
        #expect(!rejected.escalationPending && rejected.state == .accepted)
        let escalated = (try? W.decide(asked, .escalate, by: .centre, maxExtensions: 2).get())!
        #expect(escalated.state == .escalated && !escalated.escalationPending)
    }

    @Test func extensionsAreAskedDecidedAndCounted() {
        var facts = W.Facts(state: .accepted)
        facts = (try? W.decide(facts, .requestExtension, by: .leadUnit, maxExtensions: 2).get())!
        #expect(facts.extensionPending)
        #expect(W.decide(facts, .requestExtension, by: .leadUnit, maxExtensions: 2) == .failure(.extensionPending))
        facts = (try? W.decide(facts, .approveExtension, by: .centre, maxExtensions: 2).get())!
        #expect(!facts.extensionPending && facts.extensionsApproved == 1)
        facts = (try? W.decide(facts, .requestExtension, by: .leadUnit, maxExtensions: 2).get())!
        facts = (try? W.decide(facts, .rejectExtension, by: .centre, maxExtensions: 2).get())!
        #expect(facts.extensionsApproved == 1, "a rejection uses nothing up")
        facts = (try? W.decide(facts, .requestExtension, by: .leadUnit, maxExtensions: 2).get())!
        facts = (try? W.decide(facts, .approveExtension, by: .centre, maxExtensions: 2).get())!
        #expect(W.decide(facts, .requestExtension, by: .leadUnit, maxExtensions: 2) == .failure(.extensionsUsedUp(2)))
        // A reply ends the assignment: a request still waiting is dropped with it.
        var waiting = W.Facts(state: .accepted, extensionPending: true)
        waiting = (try? W.decide(waiting, .reply, by: .leadUnit, maxExtensions: 2).get())!
        #expect(waiting.state == .replied && !waiting.extensionPending)
        #expect(W.decide(W.Facts(state: .accepted), .requestExtension, by: .leadUnit, maxExtensions: 0) == .failure(.extensionsUsedUp(0)))
    }
}

/// A ticket's life in dispatch, step by step in every state (issue 7 item 11), from a table
/// written out by hand.
@Suite struct TicketLifecycleTests {
    typealias L = TicketLifecycle

    static let allowed: [L.State: [L.Step: L.State]] = [
        .received: [.linkRepeat: .repeat, .closeAtIntake: .closed, .queue: .queued, .dispatch: .dispatched],
        .queued: [.dispatchByHand: .dispatched],
        .dispatched: [.dispatch: .dispatched, .reply: .replied],
        .replied: [.closeAfterCallback: .closed, .reopenAfterCallback: .dispatched, .closeUnreachable: .closed,
                   .reopenAfterSpotCheck: .dispatched],
        .repeat: [:],
        .closed: [.reopenAfterSpotCheck: .dispatched],
    ]

    @Test(arguments: L.State.allCases)
    func everyStepInEveryState(state: L.State) {
        for step in L.Step.allCases {
            #expect(L.next(state, step) == Self.allowed[state]?[step], "\(step) in \(state)")
        }
    }
}
