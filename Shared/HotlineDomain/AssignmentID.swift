import HotlineCore

/// Assignment ids: derived from the ticket, the round and how many the round already holds,
/// so that events naming an assignment mean the same thing in any replay; and ordered like
/// their tickets — the first 48 bits are the ticket's receipt time, read from its id — so the
/// assignments of a busy hour append to every index keyed by them (dispatch's assignments,
/// supervision's deadlines, reminders and ladder, kpi's facts) instead of dirtying a random
/// page each.
public enum AssignmentID {
    public static func make(ticket: String, round: Int64, index: Int) -> String {
        "A-" + NamedUUID.make("assignment\n\(ticket)\n\(round)" + (index == 0 ? "" : "\n\(index)"),
                              milliseconds: receivedMilliseconds(ticket))
    }

    /// Unix milliseconds of a ticket id `TYYYYMMDD-MMMMMMM…` (day, then milliseconds into it
    /// in 7 hex digits: `TicketID`); nil for any other shape.
    static func receivedMilliseconds(_ ticket: String) -> UInt64? {
        let b = Array(ticket.utf8.prefix(17))
        guard b.count == 17, b[0] == UInt8(ascii: "T"), b[9] == UInt8(ascii: "-") else { return nil }
        var date = 0
        for c in b[1...8] {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            date = date * 10 + Int(c - UInt8(ascii: "0"))
        }
        var ms: UInt64 = 0
        for c in b[10...16] {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): ms = ms << 4 | UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): ms = ms << 4 | UInt64(c - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        let (y, m, d) = (date / 10_000, date / 100 % 100, date % 100)
        guard (1970...9999).contains(y), (1...12).contains(m), (1...CivilDate.daysInMonth(y, m)).contains(d), ms < 86_400_000
        else { return nil }
        return UInt64(CivilDate.toDays(y, m, d)) * 86_400_000 + ms
    }
}
