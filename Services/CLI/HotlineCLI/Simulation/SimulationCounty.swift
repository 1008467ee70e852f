import Foundation
import HotlineCore

extension SimulationWorkload.County {
    /// The county as the simulation needs it, read from its configuration directory.
    static func load(configDirectory dir: String) throws -> SimulationWorkload.County {
        func array(_ name: String, key: String) throws -> [[String: Any]] {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
            let value = try JSONSerialization.jsonObject(with: data)
            if let list = value as? [[String: Any]] { return list }
            if let object = value as? [String: Any], let list = object[key] as? [[String: Any]] { return list }
            throw ConfigurationError("\(dir)/\(name): expected a list of \(key)")
        }
        let channels = try array("channels.json", key: "channels").compactMap { $0["id"] as? String }
        let categories = try array("categories.json", key: "categories").compactMap { c -> (id: String, name: String, emergency: Bool)? in
            guard let id = c["id"] as? String else { return nil }
            return (id, c["name"] as? String ?? id, c["emergency"] as? Bool ?? false)
        }
        let regions = try array("regions.json", key: "regions")
        let communities = regions.filter { $0["level"] as? String == "community" }.compactMap { $0["code"] as? String }.sorted()
        var streets: [String: String] = [:]
        for r in regions where r["level"] as? String == "street" {
            if let code = r["code"] as? String, let unit = r["unit"] as? String { streets[code] = unit }
        }
        let units = try array("units.json", key: "units").compactMap { $0["id"] as? String }.sorted()
        guard !channels.isEmpty, !categories.isEmpty, !communities.isEmpty else {
            throw ConfigurationError("\(dir): the simulation needs channels, categories and community regions")
        }
        return .init(channels: channels, categories: categories, communities: communities, streetUnits: streets, units: units)
    }

    /// The street unit answering for a region code (its first nine digits).
    func streetUnit(of region: String?) -> String? {
        guard let region, region.count >= 9 else { return nil }
        return streetUnits[String(region.prefix(9))]
    }
}
