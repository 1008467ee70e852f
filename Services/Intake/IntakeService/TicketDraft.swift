import FoundationEssentials
import HotlineCore
import HotlineDomain
import HotlineStreams

/// A validated ticket with what its store needs worked out in advance: id, time, phone
/// hash, fingerprint and the canonical `ticket.received` payload for the usual case of a
/// ticket that is not a repeat. Built on the request's thread, not the serial writer's.
struct TicketDraft: Sendable {
    let ticket: ValidTicket
    let channel: String
    /// The channel's reference, or for a ticket deduplicated on content one made from its id.
    let channelRef: String
    let fingerprint: String
    let id: String
    let now: String
    let phoneHash: String?
    /// Set when the ticket is deduplicated on content: the earliest receipt time that counts.
    let dedupeSince: String?
    let received: TicketReceived
    let event: NewEvent

    /// The prefix of references made for tickets deduplicated on content.
    static let contentRefPrefix = "o311-"

    /// - Parameter stableID: the id's last digits keyed by the channel's reference (see `TicketID`).
    init(_ ticket: ValidTicket, channel: String, phoneKey: String, at date: Date, dedupeSince: String? = nil, stableID: Bool = false) throws {
        self.ticket = ticket
        self.channel = channel
        self.dedupeSince = dedupeSince
        fingerprint = TicketValidator.fingerprint(ticket)
        let stable = stableID && dedupeSince == nil ? (text: channel + "\n" + ticket.channelRef, key: phoneKey) : nil
        let id = TicketID.make(at: date, stable: stable)
        self.id = id
        channelRef = dedupeSince == nil ? ticket.channelRef : Self.contentRefPrefix + id
        now = Timestamp.format(date)
        let phoneHash = ticket.callerPhone.map { HMACSHA256.hex($0, key: phoneKey) }
        self.phoneHash = phoneHash
        let t = ticket
        // Outside intake nobody reads a citizen's number: masked in every free-text field of
        // the event (the account, the address, tags, and a reference a channel may have built
        // from the number). Intake keeps the originals for its own look-ups.
        received = TicketReceived(
            channel: channel, channelRef: Redaction.scrubPhones(channelRef), kind: t.kind, domain: t.domain, category: t.category,
            urgency: t.urgency, content: Redaction.scrubPhones(t.content),
            location: .init(address: t.address.map(Redaction.scrubPhones), region: t.region, latitude: t.latitude, longitude: t.longitude),
            enterprise: t.enterprise, tags: t.tags.map(Redaction.scrubPhones),
            caller: .init(name: t.callerName.map(Redaction.maskName), phone: t.callerPhone.map(Redaction.maskPhone),
                          phoneHash: phoneHash, anonymous: t.anonymous),
            receivedAt: now, repeatOf: nil, closedAtIntake: t.intakeAnswer != nil ? true : nil)
        event = try NewEvent(EventType.ticketReceived, ticket: id, received)
    }

    /// The view of the ticket as stored now.
    func view(status: String, repeatOf: String?) -> IntakeService.TicketView {
        IntakeService.TicketView(
            id: id, status: status, channel: channel, channelRef: channelRef, category: ticket.category,
            urgency: ticket.urgency, leadUnit: nil, reply: nil, receivedAt: now, updatedAt: now, repeatOf: repeatOf,
            repeatCount: 0)
    }
}
