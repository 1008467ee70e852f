import FoundationEssentials
import HotlineCore
import HotlineDomain

/// A service's OpenAPI document as served: the repository's file with the county's value
/// sets filled in.
///
/// Which categories, regions, units and channels exist is configuration, not code, so the
/// file marks such a schema with `"x-hotline-values": "categories"` (or `regions`, `units`,
/// `channels`, `knowledge`) and the served document adds the `enum` the service enforces.
/// A client generated from `/openapi.json` then knows exactly what this county accepts.
public enum OpenAPIDocument {
    public static let valueSetKey = "x-hotline-values"

    public struct UnknownValueSet: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "openapi.json names an unknown value set \(name)" }
    }

    /// The county's value sets by name.
    public static func valueSets(_ county: CountyConfig) -> [String: [String]] {
        [
            "categories": county.categories.map(\.id),
            "regions": county.regions.map(\.code),
            "units": county.units.map(\.id),
            "channels": county.channels.map(\.id),
            "knowledge": county.knowledge.map(\.id),
        ]
    }

    /// The document with every marked schema given its `enum`.
    public static func resolve(_ raw: [UInt8], county: CountyConfig) throws -> [UInt8] {
        let sets = valueSets(county)
        func walk(_ value: JSONValue) throws -> JSONValue {
            switch value {
            case .object(var members):
                for (k, v) in members { members[k] = try walk(v) }
                if case .string(let name)? = members[valueSetKey] {
                    guard let values = sets[name] else { throw UnknownValueSet(name: name) }
                    members["enum"] = .array(values.map(JSONValue.string))
                }
                return .object(members)
            case .array(let items): return .array(try items.map(walk))
            default: return value
            }
        }
        return Array(try CanonicalJSON.bytes(try walk(try JSONValueParser.parse(raw))))
    }
}
