import HotlineCore

// The payloads consumers read most often read themselves from the parsed event: going
// through `Decodable` (keyed containers, coding keys, a witness call per member) was most of
// a consumer's decoding. `EventPayloadCodingTests` compares each with its `Decodable` form,
// on good payloads and on broken ones.

extension ActedBy: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(staff: try m.string("staff"), role: try m.string("role"))
    }
}

extension TicketLocation: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(address: try m.stringIfPresent("address"), region: try m.stringIfPresent("region"),
                  latitude: try m.doubleIfPresent("latitude"), longitude: try m.doubleIfPresent("longitude"))
    }
}

extension TicketReceived.MaskedCaller: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(name: try m.stringIfPresent("name"), phone: try m.stringIfPresent("phone"),
                  phoneHash: try m.stringIfPresent("phone_hash"), anonymous: try m.bool("anonymous"))
    }
}

extension TicketReceived: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(channel: try m.string("channel"), channelRef: try m.string("channel_ref"), kind: try m.string("kind"),
                  domain: try m.string("domain"), category: try m.string("category"), urgency: try m.string("urgency"),
                  content: try m.string("content"), location: try m.object("location"), enterprise: try m.bool("enterprise"),
                  tags: try m.strings("tags"), caller: try m.object("caller"), receivedAt: try m.string("received_at"),
                  repeatOf: try m.stringIfPresent("repeat_of"), closedAtIntake: try m.boolIfPresent("closed_at_intake"))
    }
}

extension DeadlineEvent: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(assignment: try m.string("assignment"), unit: try m.string("unit"), which: try m.string("which"),
                  due: try m.string("due"), policy: try m.string("policy"))
    }
}

extension TicketDispatched: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(assignment: try m.string("assignment"), round: try m.int("round"), tier: try m.int("tier"), mode: try m.string("mode"),
                  leadUnit: try m.string("lead_unit"), assistingUnits: try m.strings("assisting_units"), by: try m.string("by"),
                  channel: try m.string("channel"), kind: try m.string("kind"), urgency: try m.string("urgency"),
                  category: try m.string("category"), enterprise: try m.bool("enterprise"), jointLeads: try m.stringsIfPresent("joint_leads"),
                  tags: try m.stringsIfPresent("tags"))
    }
}

extension AssignmentAccepted: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(assignment: try m.string("assignment"), unit: try m.string("unit"), by: try m.objectIfPresent("by"))
    }
}

extension TicketReplied.Part: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(assignment: try m.string("assignment"), unit: try m.string("unit"), result: try m.string("result"),
                  attachments: try m.stringsIfPresent("attachments"))
    }
}

extension TicketReplied.Contribution: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(unit: try m.string("unit"), text: try m.string("text"))
    }
}

extension TicketReplied: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(assignment: try m.string("assignment"), unit: try m.string("unit"), result: try m.string("result"),
                  callerAnonymous: try m.bool("caller_anonymous"), by: try m.objectIfPresent("by"),
                  attachments: try m.stringsIfPresent("attachments"), parts: try m.objectsIfPresent("parts"),
                  contributions: try m.objectsIfPresent("contributions"))
    }
}

extension TicketClosed: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws { self.init(how: try JSONMembers(jsonValue).string("how")) }
}

extension TicketReopened: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(reason: try m.string("reason"), round: try m.int("round"))
    }
}

extension CallbackScheduled: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(assignment: try m.string("assignment"), due: try m.string("due"), kind: try m.stringIfPresent("kind"))
    }
}

extension CallbackCompleted: JSONValueDecodable {
    public init(jsonValue: JSONValue) throws {
        let m = try JSONMembers(jsonValue)
        self.init(assignment: try m.string("assignment"), resolved: try m.bool("resolved"), satisfaction: try m.string("satisfaction"),
                  comment: try m.stringIfPresent("comment"), kind: try m.stringIfPresent("kind"))
    }
}
