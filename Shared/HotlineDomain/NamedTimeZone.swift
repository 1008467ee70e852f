import FoundationEssentials
import FoundationInternationalization

/// Time zones by name (`Asia/Shanghai`), from the ICU data FoundationInternationalization
/// carries. FoundationEssentials alone knows only fixed offsets and finds ICU's zones by type
/// name at run time, so a static executable (`--static-swift-stdlib`: the start command's and
/// the image's build) that never names ICU's zone code leaves it out and every named zone is
/// unknown. Touching `timeZoneDataVersion`, defined beside that code, links it in.
public enum NamedTimeZone {
    public static func named(_ identifier: String) -> TimeZone? {
        _ = dataVersion
        return TimeZone(identifier: identifier)
    }

    /// The tz database version the zones come from (e.g. "2025b").
    public static let dataVersion: String = TimeZone.timeZoneDataVersion
}
