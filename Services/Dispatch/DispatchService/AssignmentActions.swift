import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineHTTP
import HotlineRuntime
import HotlineStorage

/// The unit workflow at the edge: reads an assignment, asks `AssignmentWorkflow` whether the
/// action may happen, stores the new facts and announces them in one transaction, and maps a
/// refusal to problem+json.
enum AssignmentActions {
    /// What an action carries, checked before the transaction.
    enum Input: Sendable {
        case none
        /// The reply text, phone numbers already masked, and its attachment links.
        case reply(String, attachments: [String])
        /// What the citizen must supply, all at once.
        case pause(missing: String)
        case extensionRequest(until: Date, reason: String)
        case decision(note: String?)
        case returnRequest(reason: String)
        /// A reason or note for an escalation step (optional for the centre).
        case escalation(reason: String?)
        /// The centre's decision on a return: where the ticket goes when approved.
        case returnDecision(ReturnDecision)
    }

    /// A checked decision on a dispute.
    struct ReturnDecision: Sendable {
        let dispute: String
        /// When approved: the new lead, further joint leads, and the assisting units.
        let lead: String?
        let jointLeads: [String]
        let assists: [String]
        let note: String?
        let panel: DisputeDecided.Panel?
        /// Add a boundary rule for the ticket's category in this region (`.some(nil)`: anywhere).
        let boundaryRegion: String??
    }

    static func perform(_ id: String, _ action: AssignmentWorkflow.Action, _ input: Input, by principal: Principal,
                        _ context: ServiceContext) async throws -> DispatchService.AssignmentView {
        let view = try await context.transact { tx, emit -> DispatchService.AssignmentView in
            try apply(id, action, input, by: principal, tx: tx, emit: emit, context)
        }
        context.logger.info("assignment updated", ["assignment.id": id, "assignment.action": action.rawValue, "unit": view.leadUnit])
        return view
    }

    /// The action inside the caller's transaction (a request's, or a followed event's).
    /// - Parameter requestedBy: who asked for an escalation, when not the unit or the centre
    ///   (supervision's ladder at level 4).
    static func apply(_ id: String, _ action: AssignmentWorkflow.Action, _ input: Input, by principal: Principal, requestedBy: String? = nil,
                      tx: Transaction, emit: EventSink, _ context: ServiceContext) throws -> DispatchService.AssignmentView {
        let maxExtensions = context.county.sla.maxExtensions
        guard let a = try tx.queryOne("SELECT * FROM assignments WHERE id = ?", [.text(id)]) else {
            throw DispatchService.unseen("assignment \(id)", principal)
        }
        let lead = a.string("lead_unit") ?? ""
        let ticket = a.string("ticket") ?? ""
        let actor: AssignmentWorkflow.Actor = principal.role == .centre ? .centre : principal.unit == lead ? .leadUnit : .otherUnit
        if actor == .otherUnit {
            // An assisting unit sees the assignment in its inbox; it may not act on the lead's part.
            if try DispatchService.units(inAssists: a).contains(principal.unit ?? "") {
                throw Problem.forbidden("\(principal.unit ?? "this unit") assists on this assignment; the lead unit \(lead) acts on it")
            }
            DispatchService.logForeignAttempt(principal, assignment: id, action: action.rawValue, context)
        }
        guard let state = AssignmentWorkflow.State(rawValue: a.string("status") ?? "") else {
            throw Problem.conflict("assignment \(id) is \(a.string("status") ?? "in no known state")")
        }
        let facts = AssignmentWorkflow.Facts(state: state, extensionPending: a.bool("extension_pending"),
                                             extensionsApproved: Int(a.int("extensions_approved") ?? 0),
                                             stateBeforeReturn: a.string("return_from").flatMap(AssignmentWorkflow.State.init),
                                             escalationPending: a.bool("escalation_pending"))
        let next: AssignmentWorkflow.Facts
        switch AssignmentWorkflow.decide(facts, action, by: actor, maxExtensions: maxExtensions) {
        case .success(let f): next = f
        case .failure(let refusal): throw problem(refusal, id)
        }
        let now = Timestamp.format(emit.now)
        let by = ActedBy(staff: principal.name, role: principal.role.rawValue)
        // Where an escalation goes is found before anything changes: at the top tier it is refused.
        var target: Directory.TierAnswer?
        if action == .escalate {
            let t = try tx.queryOne("SELECT region, category FROM tickets WHERE id = ?", [.text(ticket)])
            target = Directory(context.county).escalation(
                from: Int(a.int("tier") ?? 3), region: t?.string("region"), category: t?.string("category") ?? "")
            guard target?.unit != nil else { throw Problem.conflict("assignment \(id) is at the top tier: nobody is above it") }
        }
        // The new state goes with an acceptance's time or a reply's text: one write for the two
        // commonest actions, whose row as written is the answer (the other actions change it
        // again, and their answer reads it at the end).
        var changes = """
            UPDATE assignments SET status = ?, extension_pending = ?, extensions_approved = ?, return_from = ?, escalation_pending = ?,
                accepted_at = COALESCE(?, accepted_at)
            """
        var values: [SQLValue] = [
            .text(next.state.rawValue), .bool(next.extensionPending), .int(next.extensionsApproved),
            .optional(next.stateBeforeReturn?.rawValue), .bool(next.escalationPending), action == .accept ? .text(now) : .null,
        ]
        if action == .reply, case .reply(let result, let attachments) = input {
            changes += ", replied_at = ?, result = ?, reply_attachments = ?"
            values += [.text(now), .text(result), attachments.isEmpty ? .null : .text(try JSONCoding.string(attachments))]
        }
        let updated: Row?
        if action == .accept || action == .reply {
            updated = try tx.write(changes + " WHERE id = ?", values + [.text(id)], readingBack: "SELECT * FROM assignments WHERE id = ?", [.text(id)])
        } else {
            try tx.executeDeferred(changes + " WHERE id = ?", values + [.text(id)])
            updated = nil
        }
        var answer: Row?
        switch (action, input) {
        case (.accept, _):
            try emit.emit(EventType.assignmentAccepted, ticket: ticket, AssignmentAccepted(assignment: id, unit: lead, by: by))
            answer = updated
        case (.reply, .reply):
            guard let replied = updated else { throw Problem(status: 500, detail: "assignment \(id) vanished inside its own transaction") }
            try RoundReply.record(replied, by: by, county: context.county, tx: tx, emit: emit)
            answer = replied
        case (.pause, .pause(let missing)):
            try tx.executeDeferred("UPDATE assignments SET paused_at = ?, pause_missing = ? WHERE id = ?", [.text(now), .text(missing), .text(id)])
            try emit.emit(EventType.assignmentPaused, ticket: ticket, AssignmentPaused(assignment: id, unit: lead, missing: missing, by: by))
        case (.resume, _):
            try tx.executeDeferred("UPDATE assignments SET paused_at = NULL WHERE id = ?", [.text(id)])
            try emit.emit(EventType.assignmentResumed, ticket: ticket, AssignmentResumed(assignment: id, unit: lead, by: by))
        case (.requestExtension, .extensionRequest(let until, let reason)):
            guard until > emit.now else { throw Problem.invalid([.init("until", "must be later than now")]) }
            let text = Timestamp.format(until)
            try tx.executeDeferred("UPDATE assignments SET extension_until = ?, extension_reason = ? WHERE id = ?",
                           [.text(text), .text(reason), .text(id)])
            try emit.emit(EventType.extensionRequested, ticket: ticket,
                          ExtensionRequested(assignment: id, unit: lead, until: text, reason: reason, by: by))
        case (.approveExtension, .decision(let note)), (.rejectExtension, .decision(let note)):
            let approved = action == .approveExtension
            let due = approved ? a.string("extension_until") : nil
            if let due { try tx.executeDeferred("UPDATE assignments SET extended_reply_due = ? WHERE id = ?", [.text(due), .text(id)]) }
            try emit.emit(EventType.extensionDecided, ticket: ticket,
                          ExtensionDecided(assignment: id, unit: lead, approved: approved, replyDue: due, note: note, by: by))
        case (.requestReturn, .returnRequest(let reason)):
            // The dispute's id comes from the assignment and how many it already had, so a
            // replay names it the same.
            let earlier = try tx.scalarInt("SELECT COUNT(*) FROM disputes WHERE assignment = ?", [.text(id)]) ?? 0
            let dispute = "D-" + NamedUUID.make("dispute\n\(id)\n\(earlier)")
            try tx.executeDeferred(
                """
                INSERT INTO disputes (id, assignment, ticket, unit, reason, requested_by, requested_at, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'open')
                """, [.text(dispute), .text(id), .text(ticket), .text(lead), .text(reason), .text(principal.name), .text(now)])
            try emit.emit(EventType.returnRequested, ticket: ticket,
                          ReturnRequested(assignment: id, unit: lead, reason: reason, dispute: dispute, by: by))
        case (.approveReturn, .returnDecision(let d)), (.rejectReturn, .returnDecision(let d)):
            let approved = action == .approveReturn
            var newAssignments: [String] = []
            if approved, let newLead = d.lead {
                guard let t = try tx.queryOne("SELECT * FROM tickets WHERE id = ?", [.text(ticket)]) else {
                    throw Problem(status: 500, detail: "ticket \(ticket) of assignment \(id) is missing")
                }
                newAssignments = try DispatchService.dispatch(
                    t, leads: [newLead] + d.jointLeads, assists: d.assists, tier: context.county.unit(newLead)?.tier ?? 3, by: "dispute",
                    round: Int(a.int("round") ?? 1), tx: tx, emit: emit).map(\.id)
            }
            var boundary: DisputeDecided.BoundaryRule?
            if approved, let newLead = d.lead, let region = d.boundaryRegion {
                // DI-5: the same dispute must not recur — this category here goes to the new lead from now on.
                let category = try tx.queryOne("SELECT category FROM tickets WHERE id = ?", [.text(ticket)])?.string("category") ?? ""
                let rule = ResponsibilityCatalogue.Rule(id: "B-" + NamedUUID.make("boundary\n\(d.dispute)"), category: category,
                                                        region: region, lead: newLead, assists: d.assists, jointLeads: d.jointLeads,
                                                        dispute: d.dispute)
                try BoundaryList.add(rule, by: by, at: now, tx: tx, emit: emit)
                boundary = .init(id: rule.id, category: category, region: region)
            }
            let decided = DisputeDecided(dispute: d.dispute, assignment: id, unit: lead, approved: approved, newLead: approved ? d.lead : nil,
                                         assistingUnits: approved ? d.assists : [], newAssignment: newAssignments.first,
                                         jointLeads: approved && !d.jointLeads.isEmpty ? [d.lead ?? ""] + d.jointLeads : nil,
                                         newAssignments: newAssignments.count > 1 ? newAssignments : nil, note: d.note,
                                         panel: d.panel, boundaryRule: boundary, by: by)
            try tx.executeDeferred("UPDATE disputes SET status = ?, decided_by = ?, decided_at = ?, decision = ? WHERE id = ?",
                           [.text(approved ? "approved" : "rejected"), .text(principal.name), .text(now),
                            .text(try JSONCoding.string(decided)), .text(d.dispute)])
            // After the new assignment's ticket.dispatched, which it names.
            try emit.emit(EventType.disputeDecided, ticket: ticket, decided)
        case (.requestEscalation, .escalation(let reason)):
            try tx.executeDeferred("UPDATE assignments SET escalation_reason = ? WHERE id = ?", [.optional(reason), .text(id)])
            try emit.emit(EventType.escalationRequested, ticket: ticket, EscalationNote(assignment: id, unit: lead, reason: reason, by: by))
        case (.rejectEscalation, .escalation(let note)):
            try emit.emit(EventType.escalationRejected, ticket: ticket, EscalationNote(assignment: id, unit: lead, reason: note, by: by))
        case (.escalate, .escalation(let reason)):
            guard let target, let toUnit = target.unit,
                let t = try tx.queryOne("SELECT * FROM tickets WHERE id = ?", [.text(ticket)])
            else { throw Problem(status: 500, detail: "ticket \(ticket) of assignment \(id) is missing") }
            // The earlier tier stays on the ticket as an assisting party (DI-6).
            var assists = try DispatchService.units(inAssists: a)
            assists = [lead] + assists.filter { $0 != lead && $0 != toUnit }
            let successor = try DispatchService.dispatch(
                t, leads: [toUnit], assists: assists, tier: target.tier, mode: .leadAssist, by: "escalation",
                round: Int(a.int("round") ?? 1), tx: tx, emit: emit)[0].id
            let requestedBy = requestedBy ?? (facts.escalationPending ? "unit" : "centre")
            try emit.emit(EventType.ticketEscalated, ticket: ticket, TicketEscalated(
                assignment: id, fromUnit: lead, fromTier: Int(a.int("tier") ?? 3), toUnit: toUnit, toTier: target.tier,
                newAssignment: successor, requestedBy: requestedBy, reason: reason ?? a.string("escalation_reason"), by: by))
        default:
            throw Problem(status: 500, detail: "\(action.rawValue) reached the store without its input")
        }
        guard let row = try answer ?? tx.queryOne("SELECT * FROM assignments WHERE id = ?", [.text(id)]) else {
            throw Problem(status: 500, detail: "assignment \(id) vanished inside its own transaction")
        }
        return try DispatchService.AssignmentView(row)
    }

    /// The answer for a refused action.
    static func problem(_ refusal: AssignmentWorkflow.Refusal, _ id: String) -> Problem {
        switch refusal {
        case .foreign: return DispatchService.unseen("assignment \(id)", Principal(role: .unit, name: ""))
        case .notYours(let action):
            switch action {
            case .requestExtension, .requestReturn, .requestEscalation: return .forbidden("the lead unit asks; the centre decides")
            default: return .forbidden("the centre decides on a unit's requests")
            }
        case .notNow(let action, let state):
            return .conflict("cannot \(action.rawValue.replacing("_", with: " ")) an assignment that is \(state.rawValue)")
        case .extensionsUsedUp(let n): return .conflict("this assignment has had its \(n) extension(s)")
        case .extensionPending: return .conflict("an extension request already waits for the centre")
        case .noExtensionPending: return .conflict("no extension request waits for a decision")
        case .noReturnPending: return .conflict("no return request waits for a decision")
        case .escalationPending: return .conflict("an escalation request already waits for the centre")
        case .noEscalationPending: return .conflict("no escalation request waits for a decision")
        }
    }
}
