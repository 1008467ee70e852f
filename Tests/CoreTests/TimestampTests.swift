import Foundation
import HotlineCore
import Testing

@Suite struct TimestampTests {
    @Test func formatsUTCWithMilliseconds() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_795_320_245.678)) == "2026-11-22T04:04:05.678Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -1.5)) == "1969-12-31T23:59:58.500Z")
    }

    @Test func parsesOffsetsAndFractions() throws {
        let a = try #require(Timestamp.parse("2026-11-22T10:44:05+08:00"))
        #expect(Timestamp.format(a) == "2026-11-22T02:44:05.000Z")
        let b = try #require(Timestamp.parse("2026-02-28T23:59:59.25Z"))
        #expect(Timestamp.format(b) == "2026-02-28T23:59:59.250Z")
    }

    @Test(arguments: ["", "2026-11-22", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-22T00:00:00",
                      "2026-11-22T00:00:00+0800", "2026-11-22T24:00:00Z", "2026-11-22T00:00:00Zjunk"])
    func rejectsMalformed(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func roundTripsAcrossYears() {
        for seconds in stride(from: -2_000_000_000.0, to: 4_000_000_000.0, by: 37_777_777.123) {
            let text = Timestamp.format(Date(timeIntervalSince1970: seconds))
            #expect(Timestamp.parse(text).map(Timestamp.format) == text)
        }
    }

    /// The digits written in place are Foundation's ISO 8601 text, over five centuries.
    @Test func formatsAsFoundationDoes() {
        let foundation = ISO8601DateFormatter()
        foundation.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        foundation.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let millis = Int64.random(in: -2_208_988_800_000 ... 7_258_118_400_000, using: &generator)  // 1900–2200
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            #expect(Timestamp.format(date) == foundation.string(from: date), "\(millis)")
        }
        #expect(Timestamp.format(Date(timeIntervalSince1970: 253_402_300_799.999)) == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01T00:00:00.000Z")
    }

    @Test func isoWeekday() {
        #expect(CivilDate.isoWeekday(CivilDate.toDays(2026, 11, 22)) == 7)  // a Sunday
        #expect(CivilDate.isoWeekday(CivilDate.toDays(2026, 11, 23)) == 1)
    }

    @Test func durationText() {
        #expect(DurationText.parse("3d") == 259_200)
        #expect(DurationText.parse("1d12h") == 129_600)
        #expect(DurationText.parse("90s") == 90)
        #expect(DurationText.parse("3") == nil)
        #expect(DurationText.parse("3x") == nil)
    }
}

@Suite struct UUIDv7Tests {
    @Test func layoutFollowsRFC9562() throws {
        let at = Date(timeIntervalSince1970: 1_800_000_000.123)
        let id = UUIDv7.make(at: at)
        let parts = id.split(separator: "-").map(String.init)
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(UInt64(parts[0] + parts[1], radix: 16) == 1_800_000_000_123)
        #expect(parts[2].first == "7")
        #expect("89ab".contains(parts[3].first!))
        #expect(UUID(uuidString: id) != nil)
    }

    @Test func idsAreUniqueAndOrderedAcrossMilliseconds() {
        let ids = (0..<200).map { UUIDv7.make(at: Date(timeIntervalSince1970: 1_800_000_000 + Double($0) * 0.002)) }
        #expect(ids == ids.sorted())
        #expect(Set((0..<5000).map { _ in UUIDv7.make() }).count == 5000)
    }
}

@Suite struct RandomBitsTests {
    /// Across several refills of the pool, from several threads: no word repeats and every
    /// bit is set about half the time (a refill that failed to fill, or a page reused, would not be).
    @Test func wordsAcrossRefillsAreDistinctAndBalanced() async {
        let words = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<4 { group.addTask { (0..<1500).map { _ in RandomBits.next() } } }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(words).count == words.count)
        for bit in 0..<64 {
            let set = words.filter { $0 & (1 << UInt64(bit)) != 0 }.count
            #expect((2400...3600).contains(set), "bit \(bit) set in \(set) of \(words.count)")
        }
    }
}

@Suite struct NamedUUIDTests {
    @Test func sameNameSameIDVersion8() throws {
        let id = NamedUUID.make("assignment\nT-1\n1")
        #expect(id == NamedUUID.make("assignment\nT-1\n1"))
        #expect(id != NamedUUID.make("assignment\nT-1\n2"))
        let parts = id.split(separator: "-").map(String.init)
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(parts[2].first == "8")
        #expect("89ab".contains(parts[3].first!))
        // The first 64 bits are SHA-256's first 8 bytes but for the version nibble.
        let digest = Hex.encode(SHA256.hash(Array("assignment\nT-1\n1".utf8)))
        #expect(parts[0] == String(digest.prefix(8)))
        #expect(UUID(uuidString: id) != nil)
    }
}
