import FoundationEssentials
import HotlineCore

/// Intake's own settings, beside the ones every service has: from the environment,
/// validated at start (bad values exit with status 78).
public struct IntakeSettings: Sendable {
    /// Key of the HMAC of callers' phones that events carry instead of the numbers.
    public var phoneHashKey: String
    /// Seconds within which an Open311 create without `attribute[channel_ref]` and with the
    /// same normalised fields returns the earlier request instead of a new one.
    public var open311DedupeWindow: TimeInterval

    public static let defaultPhoneHashKey = "hotline-local-phone-hash-key"
    public static let defaultOpen311DedupeHours: Double = 24

    public static let help = """
          HOTLINE_PHONE_HASH_KEY keyed hash of callers' phones in events; required unless HOTLINE_DEMO=1 [demo: a built-in key]
                                 (or HOTLINE_PHONE_HASH_KEY_FILE: a file holding it, as container secrets are)
          HOTLINE_OPEN311_DEDUPE_HOURS  an Open311 create without attribute[channel_ref] that repeats the fields of
                                 one made this many hours before returns that request; 0 never deduplicates [24]
        """

    public static func fromEnvironment(_ env: EnvironmentReader = EnvironmentReader()) throws -> IntakeSettings {
        let hours = try env.int("HOTLINE_OPEN311_DEDUPE_HOURS", default: Int(defaultOpen311DedupeHours), range: 0...24 * 365)
        let key = try env.secret("HOTLINE_PHONE_HASH_KEY")
        // The built-in key is in the source: hashes made with it can be reversed by anyone.
        if !env.demoMode && (key == nil || key == defaultPhoneHashKey) {
            throw ConfigurationError("set HOTLINE_PHONE_HASH_KEY (or HOTLINE_PHONE_HASH_KEY_FILE) to a secret key; "
                                     + "the built-in one is for demonstrations only (HOTLINE_DEMO=1)")
        }
        return IntakeSettings(phoneHashKey: key ?? defaultPhoneHashKey, open311DedupeWindow: TimeInterval(hours) * 3600)
    }
}
