import DispatchService
import Testing

/// The unit workflow, table-wise: every action in every state, by every actor (DI-4, issue 7
/// item 11). The table is written out by hand, independently of the code it checks.
@Suite struct AssignmentWorkflowTests {
    typealias W = AssignmentWorkflow

    /// What the lead unit may do in each state (no extension pending, none approved yet).
    static let leadUnit: [W.State: [W.Action: W.State]] = [
        .dispatched: [.accept: .accepted],
        .accepted: [.reply: .replied, .pause: .paused, .requestExtension: .accepted],
        .paused: [.resume: .accepted, .requestExtension: .paused],
        .replied: [:],
    ]

    @Test(arguments: W.State.allCases)
    func everyActionInEveryState(state: W.State) {
        for action in W.Action.allCases {
            let facts = W.Facts(state: state)
            let lead = W.decide(facts, action, by: .leadUnit, maxExtensions: 2)
            if let expected = Self.leadUnit[state]?[action] {
                #expect((try? lead.get())?.state == expected, "\(action) in \(state)")
            } else if action == .approveExtension || action == .rejectExtension {
                #expect(lead == .failure(.notYours(action)), "the unit does not decide its own extension")
            } else {
                #expect(lead == .failure(.notNow(action, state)), "\(action) in \(state) names the state")
            }
            // Another unit never learns the assignment exists, whatever it tries.
            #expect(W.decide(facts, action, by: .otherUnit, maxExtensions: 2) == .failure(.notFound))
            // The centre acts as the lead does, but only asks for nothing and decides extensions.
            let centre = W.decide(facts, action, by: .centre, maxExtensions: 2)
            switch action {
            case .requestExtension: #expect(centre == .failure(.notYours(action)))
            case .approveExtension, .rejectExtension: #expect(centre == .failure(.noExtensionPending))
            default: #expect(centre == lead, "\(action) in \(state)")
            }
        }
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
