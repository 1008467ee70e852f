import Foundation
import HotlineCore
import HotlineDomain
import TestSupport
import Testing

/// The directory (DI-1): units, their parents and roles, and who answers for a place at each
/// of the four tiers (DI-6).
@Suite struct DirectoryTests {
    let county: CountyConfig
    let directory: Directory

    init() throws {
        county = try CountyConfig.load(directory: SampleCounty.directory)
        directory = Directory(county)
    }

    @Test func sampleCountyHasCommunitiesUnderTheirStreets() {
        let communities = county.units.filter { $0.kind == "community" }
        #expect(communities.count == 60)
        #expect(communities.allSatisfy { $0.tier == 1 && directory.unit($0.parent ?? "")?.kind == "street" })
        #expect(directory.children(of: "xicheng").count == 5)
        #expect(county.units.allSatisfy { !$0.roles.handler.isEmpty && !$0.roles.countyLeader.isEmpty })
        // Every community and street place is answered for by a unit of its own level.
        for r in county.regions where r.level == "community" || r.level == "street" {
            #expect(r.unit.flatMap { directory.unit($0) } != nil, "\(r.code)")
        }
    }

    @Test func aGridIsAnsweredForTierByTier() throws {
        // A grid of 西城街道's third community.
        let grid = "330901003003002"
        let chain = directory.chain(grid)
        #expect(chain.map(\.level) == ["grid", "community", "street", "county"])
        let community = try #require(chain[1].unit)
        #expect(directory.unit(community)?.parent == "xicheng")
        let byCatalogue = try #require(directory.answering(grid, category: "housing.property_mgmt"))
        #expect(byCatalogue.map(\.unit) == [community, "xicheng", "housing", "county_taskforce"])
        #expect(byCatalogue.map(\.basis) == [.community, .street, .catalogue, .taskForce])
        // A category the street leads has no county department in the catalogue here.
        let streetLed = try #require(directory.answering(grid, category: "city.sanitation"))
        #expect(streetLed[2].unit == nil && streetLed[2].basis == .noCatalogueRule)
        #expect(directory.answering("999", category: nil) == nil)
        #expect(directory.regions(answeredBy: community) == [chain[1].code])
    }

    @Test func escalationClimbsTierByTierPassingOverEmptyTiers() {
        let grid = "330901003003002"
        let community = directory.chain(grid)[1].unit
        func up(_ tier: Int, _ category: String, _ region: String? = grid) -> String? {
            directory.escalation(from: tier, region: region, category: category)?.unit
        }
        #expect(up(1, "housing.old_community") == "xicheng")
        #expect(up(2, "housing.old_community") == "housing")
        #expect(up(3, "housing.old_community") == "county_taskforce")
        #expect(up(4, "housing.old_community") == nil, "nobody above the task force")
        #expect(up(2, "city.sanitation") == "county_taskforce", "no county department for a street-led category: passed over")
        #expect(up(1, "other") == "xicheng" && up(2, "other") == "county_taskforce")
        #expect(up(2, "housing.property_mgmt", nil) == "housing", "without a place, the county's tiers")
        #expect(community != nil)
    }

    /// The boundary list (DI-5) takes precedence over the configured catalogue, a county-wide
    /// boundary rule over a configured regional one; within a list the most specific wins.
    @Test func boundaryRulesComeFirst() {
        let place = "330901003002004"
        let configured = ResponsibilityCatalogue(county.responsibilities)
        #expect(configured.route(category: "city.sanitation", regionCode: place)?.leads == ["xicheng"])
        let boundary = [
            ResponsibilityCatalogue.Rule(id: "B-1", category: "city.sanitation", region: nil, lead: "housing", assists: [], dispute: "D-1"),
            ResponsibilityCatalogue.Rule(id: "B-2", category: "city.sanitation", region: "330901003002", lead: "enforcement", assists: ["xicheng"],
                                         dispute: "D-2"),
        ]
        let catalogue = ResponsibilityCatalogue(county.responsibilities, boundary: boundary)
        #expect(catalogue.rule(category: "city.sanitation", regionCode: place)?.id == "B-2", "the most specific boundary rule")
        #expect(catalogue.rule(category: "city.sanitation", regionCode: "330901001")?.id == "B-1", "a county-wide boundary rule beats configuration")
        #expect(catalogue.rule(category: "city.garbage", regionCode: place)?.isBoundary == false, "other categories keep their rules")
        let listed = catalogue.rules(category: "city.sanitation", regionCode: place)
        #expect(listed.prefix(2).map(\.id) == ["B-2", "B-1"] && listed.dropFirst(2).allSatisfy { !$0.isBoundary })
    }

    private func broken(_ file: String, _ edit: (inout [[String: Any]]) -> Void) throws -> String {
        let dir = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in try FileManager.default.contentsOfDirectory(atPath: SampleCounty.directory) {
            try FileManager.default.copyItem(atPath: SampleCounty.directory + "/" + name, toPath: dir.path + "/" + name)
        }
        var items = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(file))) as? [[String: Any]] ?? []
        edit(&items)
        try JSONSerialization.data(withJSONObject: items).write(to: dir.appendingPathComponent(file))
        do {
            _ = try CountyConfig.load(directory: dir.path)
            return "loaded"
        } catch let e as ConfigurationError { return e.description }
    }

    @Test func inconsistentDirectoriesAreRefused() throws {
        let upsideDown = try broken("units.json") { units in
            if let i = units.firstIndex(where: { $0["id"] as? String == "xicheng" }) { units[i]["parent"] = "xicheng_c1" }
        }
        #expect(upsideDown.contains("units.json") && upsideDown.contains("not above"), "\(upsideDown)")
        let wrongTier = try broken("regions.json") { regions in
            if let i = regions.firstIndex(where: { $0["code"] as? String == "330901003" }) { regions[i]["unit"] = "housing" }
        }
        #expect(wrongTier.contains("regions.json") && wrongTier.contains("tier 3"), "\(wrongTier)")
        let noHandler = try broken("units.json") { units in
            var roles = units[0]["roles"] as? [String: Any] ?? [:]
            roles["handler"] = "  "
            units[0]["roles"] = roles
        }
        #expect(noHandler.contains("has no handler"), "\(noHandler)")
    }
}
