import FoundationEssentials
import HotlineCore
import HotlineDomain

/// Hotspot early warning (SU-5) as pure functions: where a ticket is (its place key), how
/// big a cluster is, and who hears of it.
public enum Hotspots {
    /// A cluster exists from this many tickets of one category at one place in the window.
    public static let clusterFrom = 3
    /// From this many the unit's head hears of it (below: its deputy head).
    public static let headFrom = 10
    /// Over this many the county leader in charge hears of it.
    public static let countyOver = 20

    public enum Level: String, Sendable, CaseIterable {
        case deputy
        case head
        case county
    }

    /// The level of a cluster of `count` tickets; nil below a cluster.
    public static func level(_ count: Int) -> Level? {
        if count > countyOver { return .county }
        if count >= headFrom { return .head }
        if count >= clusterFrom { return .deputy }
        return nil
    }

    /// The tickets of a cluster in the window ending at `at`: received after `at − window`
    /// and not after `at`.
    public static func inWindow(_ received: Date, at: Date, window: TimeInterval) -> Bool {
        received > at.addingTimeInterval(-window) && received <= at
    }

    /// Whether a cluster that has reached a level at `at` is announced: not when an alert of
    /// the same level lies within the window ending at `at` (once per level per window).
    public static func shouldAlert(lastAlertOfLevel last: Date?, at: Date, window: TimeInterval) -> Bool {
        guard let last else { return true }
        return !inWindow(last, at: at, window: window)
    }

    /// Where a ticket is, for clustering: its grid when the region code is a grid, else its
    /// address normalised (width, case, spaces and punctuation ignored); nil when neither.
    public static func placeKey(region: String?, address: String?, county: CountyConfig) -> String? {
        if let region, county.region(region)?.level == "grid" { return "grid:" + region }
        guard let address else { return nil }
        let folded = (address.compatibilityNormalized ?? address).lowercased()
        let kept = folded.unicodeScalars.filter { $0.isLetterMarkOrDecimalDigit }
        guard kept.count >= 4 else { return nil }  // too little to say two complaints are about one place
        return "address:" + String(String.UnicodeScalarView(kept))
    }

    /// Who hears of a cluster at `level`: the lead unit's deputy head, its head, or the county
    /// leader in charge of it.
    public static func addressee(_ level: Level, unit: CountyConfig.Unit) -> LevelRaised.Addressee {
        switch level {
        case .deputy: return .init(role: "deputy_head", name: unit.roles.deputyHead, unit: unit.id)
        case .head: return .init(role: "head", name: unit.roles.head, unit: unit.id)
        case .county: return .init(role: "county_leader", name: unit.roles.countyLeader, unit: unit.id)
        }
    }
}

extension Unicode.Scalar {
    /// Letters and marks (general categories L*, M*) and decimal digits (Nd): what
    /// `CharacterSet.letters` and `.decimalDigits` held, which place keys were made of.
    fileprivate var isLetterMarkOrDecimalDigit: Bool {
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber:
            return true
        default:
            return false
        }
    }
}
