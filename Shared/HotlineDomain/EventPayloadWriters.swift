import HotlineCore

// The payloads emitted most often write their canonical JSON themselves: they are most of the
// fifteen million events a city-year appends, and going through `Encodable`, a `JSONValue`
// tree and a key sort for each was two fifths of supervision's timer firing, which every
// clock move waits for.
// Members are written in canonical key order; `EventPayloadCodingTests` compares every one
// with the canonical bytes of its `Encodable` form.

extension ActedBy: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in
            o.string("role", role)
            o.string("staff", staff)
        }
    }
}

extension DeadlineEvent: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in
            o.string("assignment", assignment)
            o.string("due", due)
            o.string("policy", policy)
            o.string("unit", unit)
            o.string("which", which)
        }
    }
}

extension DeadlineReminded: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in
            o.string("assignment", assignment)
            o.string("due", due)
            o.string("kind", kind)
            o.string("policy", policy)
            o.string("remind_at", remindAt)
            o.string("unit", unit)
            o.string("which", which)
        }
    }
}

extension TicketDispatched: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in
            o.string("assignment", assignment)
            o.strings("assisting_units", assistingUnits)
            o.string("by", by)
            o.string("category", category)
            o.string("channel", channel)
            o.bool("enterprise", enterprise)
            o.strings("joint_leads", jointLeads)
            o.string("kind", kind)
            o.string("lead_unit", leadUnit)
            o.string("mode", mode)
            o.integer("round", Int64(round))
            o.strings("tags", tags)
            o.integer("tier", Int64(tier))
            o.string("urgency", urgency)
        }
    }
}

extension AssignmentAccepted: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in
            o.string("assignment", assignment)
            o.object("by", by)
            o.string("unit", unit)
        }
    }
}

extension TicketReplied.Part: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in
            o.string("assignment", assignment)
            o.strings("attachments", attachments)
            o.string("result", result)
            o.string("unit", unit)
        }
    }
}

extension TicketReplied.Contribution: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in
            o.string("text", text)
            o.string("unit", unit)
        }
    }
}

extension TicketReplied: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in
            o.string("assignment", assignment)
            o.strings("attachments", attachments)
            o.object("by", by)
            o.bool("caller_anonymous", callerAnonymous)
            o.objects("contributions", contributions)
            o.objects("parts", parts)
            o.string("result", result)
            o.string("unit", unit)
        }
    }
}

extension TicketClosed: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in o.string("how", how) }
    }
}

extension TicketReopened: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in
            o.string("reason", reason)
            o.integer("round", Int64(round))
        }
    }
}

extension CallbackScheduled: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in
            o.string("assignment", assignment)
            o.string("due", due)
            o.string("kind", kind)
        }
    }
}

extension CallbackAttempted: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in
            o.string("assignment", assignment)
            o.integer("attempt", Int64(attempt))
            o.bool("reached", reached)
        }
    }
}

extension CallbackCompleted: CanonicalJSONWritable {
    public func writeCanonicalJSON(to out: inout [UInt8]) {
        CanonicalJSON.writeObject(to: &out) { o in
            o.string("assignment", assignment)
            o.string("comment", comment)
            o.string("kind", kind)
            o.bool("resolved", resolved)
            o.string("satisfaction", satisfaction)
        }
    }
}
