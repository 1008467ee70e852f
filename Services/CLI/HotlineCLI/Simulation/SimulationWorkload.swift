import Foundation

/// What a simulated county does, decided by the seed alone (pure: no I/O, no clock).
///
/// The workload, documented in the README ("Simulating a city"):
/// - **Channels**: the 12345 phone line half of all requests, then WeChat, the app, the
///   portal, grid workers, and a tail of online inquiry, the leaders' board, enterprises,
///   provincial transfers and face-to-face meetings.
/// - **Kinds**: complaints 40%, help 25%, consultations 20% (three in four answered on the
///   call and closed at intake), reports 7%, suggestions 6%, praise 2%.
/// - **Categories**: every category of the county, equally likely, with seasonal peaks —
///   heating ×8 from November to March, floods and rivers ×6 in June–August, night noise ×2 in
///   summer; 1.5% of callers say it is an emergency.
/// - **Repeats**: 8% of requests come again from a caller of the past week, same category and
///   place (intake links them).
/// - **Hours**: requests arrive 08:00–17:00, most in the morning; weekends bring 40%.
/// - **Units** each have a profile (`UnitProfile`) fixed by the seed; the county task force is
///   always prompt.
/// - **Callbacks**: 9 in 10 callers are reached at each attempt; reached callers are
///   satisfied 78%, basically 15%, unsatisfied 7% (then unresolved two times in three).
/// - **Spot checks**: each Monday the centre checks last week's sample: confirmed 90%,
///   perfunctory 7%, falsified 3%.
struct SimulationWorkload {
    struct County {
        var channels: [String]
        var categories: [(id: String, name: String, emergency: Bool)]
        /// Community region codes, the places requests come from.
        var communities: [String]
        /// The unit answering for each street-level region (a manual dispatch's target).
        var streetUnits: [String: String]
        var units: [String]
    }

    struct Ticket: Equatable, Sendable {
        var channel: String
        var ref: String
        var kind: String
        var category: String
        var urgency: String
        var phone: String
        var region: String
        var closedAtIntake: Bool
        var hour: Int

        /// The JSON body of `POST /v1/tickets`.
        var body: String {
            var fields: [String] = [
                "\"channel_ref\":\"\(ref)\"", "\"kind\":\"\(kind)\"", "\"category\":\"\(category)\"", "\"urgency\":\"\(urgency)\"",
                "\"content\":\"模拟诉求 \(ref)：\(category)\"", "\"caller\":{\"phone\":\"\(phone)\"}",
                "\"location\":{\"region\":\"\(region)\"}",
            ]
            if closedAtIntake { fields.append("\"closed_at_intake\":{\"answer\":\"已当场解答（模拟）\"}") }
            return "{" + fields.joined(separator: ",") + "}"
        }
    }

    let seed: UInt64
    let county: County
    let ticketsPerDay: Int
    /// Callers of the past seven days (phone, category, region), by day index.
    private var recentCallers: [Int: [(String, String, String)]] = [:]

    init(seed: UInt64, county: County, ticketsPerDay: Int) {
        self.seed = seed
        self.county = county
        self.ticketsPerDay = ticketsPerDay
    }

    static let channelWeights: [String: Double] = [
        "phone_12345": 50, "wechat": 14, "mobile_app": 10, "web_portal": 7, "grid_worker": 8, "online_inquiry": 4,
        "leader_board": 3, "enterprise": 2, "provincial_transfer": 1.5, "in_person": 0.5,
    ]
    static let kinds: [(String, Double)] = [
        ("complaint", 40), ("help", 25), ("consultation", 20), ("report", 7), ("suggestion", 6), ("praise", 2),
    ]
    /// Requests per hour of the working day, 08:00–16:00 starts.
    static let hourWeights: [Double] = [10, 16, 15, 12, 6, 10, 12, 11, 8]
    static let firstHour = 8

    /// How much more often a category comes up in `month` (1–12).
    static func seasonal(_ category: String, month: Int) -> Double {
        let winter = month >= 11 || month <= 3, summer = (6...8).contains(month)
        if category.hasPrefix("utility.heating") { return winter ? 8 : 0.3 }
        if category == "water.flood" || category == "water.river" { return summer ? 6 : 0.5 }
        if category == "city.noise_night" { return summer ? 2 : 1 }
        return 1
    }

    /// The requests of day `index` (0 = the first simulated day), `weekday` 1 = Sunday … 7,
    /// `month` 1–12, in the order they arrive (by hour).
    mutating func tickets(day index: Int, weekday: Int, month: Int) -> [Ticket] {
        var rng = SimulationRandom(seed: seed, "day", String(index))
        let weekend = weekday == 1 || weekday == 7
        let count = Int((Double(ticketsPerDay) * (weekend ? 0.4 : 1)).rounded())
        let channelNames = county.channels.filter { Self.channelWeights[$0] != nil }
        let channelWeights = channelNames.map { Self.channelWeights[$0]! }
        let categoryWeights = county.categories.map { Self.seasonal($0.id, month: month) }
        let earlier = (max(0, index - 7)..<index).flatMap { recentCallers[$0] ?? [] }
        var out: [Ticket] = []
        out.reserveCapacity(count)
        for n in 0..<count {
            let kind = Self.kinds[rng.pick(Self.kinds.map(\.1))].0
            var phone: String, category: String, region: String
            if !earlier.isEmpty, rng.chance(0.08) {
                (phone, category, region) = earlier[rng.below(earlier.count)]
            } else {
                phone = "13" + String(5 + rng.below(5)) + String(format: "%08d", rng.below(100_000_000))
                category = county.categories[rng.pick(categoryWeights)].id
                region = county.communities[rng.below(county.communities.count)]
            }
            let ticket = Ticket(
                channel: channelNames[rng.pick(channelWeights)], ref: "sim-\(seed)-\(index)-\(n)", kind: kind, category: category,
                urgency: rng.chance(0.015) ? "emergency" : "normal", phone: phone, region: region,
                closedAtIntake: kind == "consultation" && rng.chance(0.75), hour: Self.firstHour + rng.pick(Self.hourWeights))
            out.append(ticket)
        }
        out.sort { $0.hour < $1.hour }  // stable: the order drawn within an hour
        recentCallers[index] = out.filter { !$0.closedAtIntake }.map { ($0.phone, $0.category, $0.region) }
        recentCallers[index - 7] = nil
        return out
    }

    // MARK: - Units

    /// How a unit works. The seed decides each unit's; the task force is always prompt.
    enum UnitProfile: String, CaseIterable {
        /// Accepts within the hour, replies within a day or two.
        case prompt
        /// Accepts after hours, replies in days: misses some deadlines.
        case slow
        /// Gives one in four tickets back (退回): a dispute for the centre.
        case returnProne = "return-prone"
        /// Asks for more time on one in three.
        case extensionProne = "extension-prone"
        /// Never answers: reminders, misses and the ladder up to the task force.
        case silent = "never-replies"
    }

    func profile(of unit: String) -> UnitProfile {
        if unit == "county_taskforce" { return .prompt }
        let x = SimulationRandom.fraction(seed, "profile", unit)
        switch x {
        case ..<0.55: return .prompt
        case ..<0.75: return .slow
        case ..<0.85: return .returnProne
        case ..<0.95: return .extensionProne
        default: return .silent
        }
    }

    /// What a unit does with one of its assignments (each decided once, from its id).
    struct Plan: Equatable, Sendable {
        /// Hours after dispatch before it accepts (nil: never), and after acceptance before it replies.
        var acceptAfter: Double?
        var replyAfter: Double
        var giveBack: Bool
        var askExtension: Bool
    }

    func plan(assignment: String, unit: String) -> Plan {
        var rng = SimulationRandom(seed: seed, "plan", assignment)
        switch profile(of: unit) {
        case .prompt: return Plan(acceptAfter: 0, replyAfter: 4 + Double(rng.below(30)), giveBack: false, askExtension: false)
        case .slow: return Plan(acceptAfter: 1 + Double(rng.below(6)), replyAfter: 24 + Double(rng.below(96)), giveBack: false, askExtension: false)
        case .returnProne:
            return Plan(acceptAfter: 0, replyAfter: 8 + Double(rng.below(40)), giveBack: rng.chance(0.25), askExtension: false)
        case .extensionProne:
            return Plan(acceptAfter: 0, replyAfter: 24 + Double(rng.below(72)), giveBack: false, askExtension: rng.chance(0.33))
        case .silent: return Plan(acceptAfter: nil, replyAfter: 0, giveBack: false, askExtension: false)
        }
    }

    /// The centre's decision on a dispute: approve one in three (the place's street takes it).
    func approvesReturn(dispute: String) -> Bool { SimulationRandom.fraction(seed, "dispute", dispute) < 1.0 / 3 }

    /// The centre grants four extensions in five.
    func grantsExtension(assignment: String) -> Bool { SimulationRandom.fraction(seed, "extension", assignment) < 0.8 }

    // MARK: - Callbacks and spot checks

    enum CallbackOutcome: Equatable, Sendable {
        case notReached
        case reached(resolved: Bool, satisfaction: String)

        var body: String {
            switch self {
            case .notReached: return #"{"reached":false}"#
            case .reached(let resolved, let satisfaction): return #"{"reached":true,"resolved":\#(resolved),"satisfaction":"\#(satisfaction)"}"#
            }
        }
    }

    func callback(ticket: String, assignment: String, attempt: Int) -> CallbackOutcome {
        var rng = SimulationRandom(seed: seed, "callback", ticket, assignment, String(attempt))
        guard rng.chance(0.9) else { return .notReached }
        let satisfaction = ["satisfied", "basic", "unsatisfied"][rng.pick([78, 15, 7])]
        return .reached(resolved: satisfaction != "unsatisfied" || rng.chance(1.0 / 3), satisfaction: satisfaction)
    }

    func spotCheck(ticket: String) -> String {
        var rng = SimulationRandom(seed: seed, "spot", ticket)
        return ["confirmed", "perfunctory", "falsified"][rng.pick([90, 7, 3])]
    }
}
