import Foundation
import HotlineCore
import HotlineDomain
import HotlineHTTP
import DispatchService
@testable import IntakeService
import KPIService
import TestSupport
import Testing

/// The rules an OpenAPI document states as patterns are matched by hand in the services; these
/// tests hold both to the same language, so a client generated from the document and the
/// service never disagree.
@Suite struct InterfaceRulesTests {
    /// Random strings over an alphabet that hits every branch of the grammars below.
    static func samples(alphabet: [String], count: Int, maxLength: Int, seed: UInt64) -> [String] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let length = Int.random(in: 0...maxLength, using: &rng)
            return (0..<length).map { _ in alphabet.randomElement(using: &rng)! }.joined()
        }
    }

    /// Matches as JSON Schema (ECMA-262) does: there `$` is the end of the text, while ICU's
    /// `$` also matches before a final line terminator (\n, \r, \u{B}, \u{C}, …), which would
    /// let a trailing control character through; ICU spells the end of the text `\z`.
    static func matches(_ pattern: String, _ text: String) throws -> Bool {
        let ecma = pattern.hasSuffix("$") ? String(pattern.dropLast()) + #"\z"# : pattern
        let regex = try NSRegularExpression(pattern: ecma)
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    @Test func phoneGrammarIsTheDocumentsPattern() throws {
        let known = ["+86 138-1234-5678", "13812345678", "8613812345678", "(0571) 8888-6666", "0571-88886666", "", "+86", "12345",
                     "138abc12345678", "+8613812345678", "+85 13812345678", "0 5 7 1 8 8 8 8 6 6 6 6", "1381234567)", "１３８１２３４５６７８"]
        let random = Self.samples(alphabet: ["1", "0", "8", "6", "5", "+", " ", "-", "(", ")", "a", "３"], count: 20_000, maxLength: 16, seed: 7)
            + Self.samples(alphabet: ["1", "3", "8", "0", " ", "-"], count: 20_000, maxLength: 14, seed: 8)
        var accepted = 0
        for text in known + random {
            let byPattern = try Self.matches(PhoneNumber.pattern, text)
            let byHand = PhoneNumber.normalise(text) != nil || text.isEmpty
            #expect(byPattern == byHand, "\(text.debugDescription): pattern \(byPattern), normalise \(byHand)")
            if byHand && !text.isEmpty { accepted += 1 }
        }
        #expect(accepted > 100, "the samples reach numbers that are accepted")
        #expect(PhoneNumber.normalise("+86 138-1234-5678") == "13812345678")
        #expect(PhoneNumber.normalise("(0571) 8888-6666") == "057188886666")
        #expect(PhoneNumber.normalise("86 0571 8888 6666") == "057188886666")
    }

    @Test func attachmentGrammarIsTheDocumentsPattern() throws {
        let known = ["https://a.example/x.jpg", "http://h:8080", "http://h:", "http://h:123456", "ftp://h/x", "https://", "HTTP://h",
                     "https://h/a b", "https://h?q=1#f", "https://user@h/x", "https://h/\u{7f}", "https://例子.cn/x"]
        let tails = Self.samples(alphabet: ["h", ".", "-", ":", "8", "/", "?", "#", "@", " ", "~", "é", "\u{7f}"],
                                 count: 30_000, maxLength: 7, seed: 9)
        let random = tails.enumerated().map { ["https://", "http://", "http:/", "htp://", ""][$0.offset % 5] + $0.element }
        var accepted = 0
        for text in known + random {
            let byPattern = try Self.matches(AttachmentURL.pattern, text)
            #expect(byPattern == AttachmentURL.isValid(text), "\(text.debugDescription)")
            if byPattern { accepted += 1 }
        }
        #expect(accepted > 100)
    }

    @Test func textRulesAreTheDocumentsPatterns() throws {
        let alphabet = ["a", "中", " ", "\t", "\n", "\r", "\u{3000}", "\u{85}", "\u{a0}", "\u{2028}", "\u{feff}", "\u{0}", "\u{1}",
                        "\u{b}", "\u{1c}", "\u{1f}", "\u{7f}", "\u{80}", "e\u{301}"]
        for text in Self.samples(alphabet: alphabet, count: 20_000, maxLength: 6, seed: 10) {
            for lines in [TextRules.Lines.single, .multiple] {
                let nonBlank = try Self.matches(TextRules.nonBlankPattern(lines), text)
                #expect(nonBlank == (TextRules.problem(required: text, maxLength: 100, lines: lines) == nil), "\(lines) \(text.debugDescription)")
                let any = try Self.matches(TextRules.textPattern(lines), text)
                #expect(any == (TextRules.problem(optional: text, maxLength: 100, lines: lines) == nil), "\(lines) \(text.debugDescription)")
            }
        }
        // Line breaks and tabs belong in an account, not in a name; other controls in neither.
        #expect(TextRules.problem(required: "一\n二\t三\r\n", maxLength: 100, lines: .multiple) == nil)
        #expect(TextRules.problem(required: "王\n", maxLength: 100, lines: .single) != nil)
        #expect(TextRules.problem(required: "内容\u{0}被截断", maxLength: 100, lines: .multiple)?.contains("U+0000") == true)
        #expect(TextRules.problem(optional: "a\u{1b}[31m", maxLength: 100, lines: .multiple)?.contains("U+001B") == true)
        // Lengths are code points, as JSON Schema counts them: é as e + combining accent is two.
        #expect(TextRules.problem(required: String(repeating: "e\u{301}", count: 3), maxLength: 5, lines: .single) != nil)
        #expect(TextRules.problem(required: String(repeating: "中", count: 5), maxLength: 5, lines: .single) == nil)
    }

    @Test func w3cDateGrammarIsTheDocumentsPattern() throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let dates = Self.samples(alphabet: ["2026", "2024", "1900", "2000", "1899", "3000", "-", "02", "29", "30", "31", "11", "13", "00", "1"],
                                 count: 20_000, maxLength: 5, seed: 11)
        let times = Self.samples(alphabet: ["T", "t", " ", "x", "09", "23", "24", ":", "00", "59", "60", ".5", ".", "Z", "z",
                                            "+08:00", "+0800", "+08", "-05", "+15", "+", "7"], count: 20_000, maxLength: 6, seed: 12)
        var accepted = 0
        for (i, text) in dates.enumerated() {
            for candidate in [text, "2026-11-23" + times[i], text + times[i]] {
                let byPattern = try Self.matches(W3CDate.pattern, candidate)
                let byHand = W3CDate.parse(candidate, zone: zone) != nil || candidate.isEmpty
                #expect(byPattern == byHand, "\(candidate.debugDescription): pattern \(byPattern), parser \(byHand)")
                if byHand && !candidate.isEmpty { accepted += 1 }
            }
        }
        #expect(accepted > 1000)
    }

    @Test func kpiPeriodPatternAcceptsRealDaysOnly() throws {
        let p = KPIService.periodPatternSource
        for good in ["2026-11", "2026-11-30", "2024-02-29", "2000-02-29", "2026-W53", "2026-11-01..2026-11-16"] {
            #expect(try Self.matches(p, good), "\(good)")
        }
        for bad in ["2026-11-31", "2025-02-29", "1900-02-29", "2026-13", "2026-W54", "2026-W00", "2026-11-01..", "26-11", ""] {
            #expect(try !Self.matches(p, bad), "\(bad)")
        }
    }

    @Test func dateTimesAreRealInstantsWithTheirOffset() throws {
        #expect(DatePattern.parseDateTime("2026-12-01T18:00:00+08:00") == Timestamp.parse("2026-12-01T10:00:00Z"))
        for good in ["2024-02-29T00:00:00Z", "2026-11-30T23:59:59.123456789-05:30"] { #expect(DatePattern.parseDateTime(good) != nil, "\(good)") }
        for bad in ["", "2026-02-30T00:00:00Z", "2026-12-01 18:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T18:00:00", "1899-12-31T00:00:00Z",
                    "2026-12-01T18:00:00+24:00", "2026-12-01T18:00:00Z\n", "2026-12-01t18:00:00z"] {
            #expect(DatePattern.parseDateTime(bad) == nil, "\(bad.debugDescription)")
        }
    }

    /// The patterns in the repository's documents are the constants the services match by hand.
    @Test func documentsCarryTheServicesPatterns() throws {
        let intake = String(decoding: try #require(IntakeService.document), as: UTF8.self)
        let kpi = String(decoding: try #require(KPIService.document), as: UTF8.self)
        func quoted(_ pattern: String) throws -> String { try CanonicalJSON.string(.string(pattern)) }
        #expect(intake.contains(try quoted(PhoneNumber.pattern)))
        #expect(intake.contains(try quoted(AttachmentURL.pattern)))
        #expect(intake.contains(try quoted(TextRules.nonBlankPattern(.single))))
        #expect(intake.contains(try quoted(TextRules.nonBlankPattern(.multiple))))
        #expect(intake.contains(try quoted(TextRules.textPattern(.single))))
        #expect(intake.contains(try quoted(W3CDate.pattern)))
        #expect(kpi.contains(try quoted(KPIService.periodPatternSource)))
        let dispatch = String(decoding: try #require(DispatchService.document), as: UTF8.self)
        #expect(dispatch.contains(try quoted("^$|^" + DatePattern.dateTime + "$")), "due_before")
    }
}

@Suite struct Open311RulesTests {
    let zone = TimeZone(identifier: "Asia/Shanghai")!
    let now = Date(timeIntervalSince1970: 1_795_392_000)  // 2026-11-23T00:00:00Z

    @Test func w3cDatesInEveryPrecisionAndZoneSpelling() throws {
        func start(_ s: String) -> String? { W3CDate.parse(s, zone: zone).map { Timestamp.format($0.start) } }
        #expect(start("2026") == "2025-12-31T16:00:00.000Z")
        #expect(start("2026-11") == "2026-10-31T16:00:00.000Z")
        #expect(start("2026-11-23") == "2026-11-22T16:00:00.000Z")
        #expect(W3CDate.parse("2026-11-23", zone: zone).map { Timestamp.format($0.end) } == "2026-11-23T16:00:00.000Z")
        #expect(start("2026-11-23T09:00+08:00") == "2026-11-23T01:00:00.000Z")
        #expect(start("2026-11-23T09:00:00+0800") == "2026-11-23T01:00:00.000Z")
        #expect(start("2026-11-23T09:00:00+08") == "2026-11-23T01:00:00.000Z")
        #expect(start("2026-11-23T09:00:00 08:00") == "2026-11-23T01:00:00.000Z", "a + that arrived as a space")
        #expect(start("2026-11-23T01:00:00Z") == "2026-11-23T01:00:00.000Z")
        #expect(start("2026-11-23t01:00:00.5z") == "2026-11-23T01:00:00.500Z")
        #expect(start("2026-11-23T09:00:00") == "2026-11-23T01:00:00.000Z", "no zone: the county's")
        for bad in ["2026-02-30", "2026-13", "2026-11-23T24:00", "2026-11-23T09", "yesterday", "2026-11-23T09:00+15:00", "", "2026-11-23Z"] {
            #expect(W3CDate.parse(bad, zone: zone) == nil, "\(bad)")
        }
    }

    @Test func queryWindowsFollowTheSpecAndClampInsteadOfRefusing() throws {
        let day: TimeInterval = 86_400
        let none = try Open311Window.resolve(start: nil, end: nil, now: now, zone: zone)
        #expect(none.from == now.addingTimeInterval(-90 * day))
        let loneStart = try Open311Window.resolve(start: "2025-01-01", end: nil, now: now, zone: zone)
        #expect(loneStart.to.timeIntervalSince(loneStart.from) == 90 * day, "a lone start_date far back reaches 90 days from it")
        let loneEnd = try Open311Window.resolve(start: nil, end: "2026-11-22", now: now, zone: zone)
        #expect(loneEnd.to == W3CDate.parse("2026-11-23", zone: zone)?.start && loneEnd.to.timeIntervalSince(loneEnd.from) == 90 * day)
        let wide = try Open311Window.resolve(start: "2026-01-01", end: "2026-11-22", now: now, zone: zone)
        #expect(wide.to.timeIntervalSince(wide.from) == 90 * day, "cut to the 90 days before end_date")
        let reversed = try Open311Window.resolve(start: "2026-11-22", end: "2026-11-01", now: now, zone: zone)
        #expect(reversed.from == reversed.to)
        #expect(throws: Open311Window.Failure.notADate("end_date")) {
            try Open311Window.resolve(start: nil, end: "soon", now: now, zone: zone)
        }
        #expect(Open311.list(" a, b ,,c\t") == ["a", "b", "c"])
    }

    @Test func createFormsAreLenientWhereClientsAreAndNameOpen311Fields() throws {
        let county = try CountyConfig.load(directory: SampleCounty.directory)
        func submission(_ pairs: [(String, String)]) -> Result<TicketSubmission, Problem> {
            Open311Form(pairs).submission(county: county)
        }
        let base = [("service_code", "city.sanitation"), ("address_id", "330901003002004"), ("email", ""), ("lat", "")]
        let plain = try submission(base).get()
        #expect(plain.content.contains("环境卫生"), "no description: the service name stands in")
        #expect(plain.caller?.anonymous == true && plain.location?.latitude == nil, "empty fields are absent")
        #expect(try submission(base + [("attribute[enterprise]", "yes")]).get().enterprise == true)
        #expect(try submission(base + [("attribute[enterprise]", "False")]).get().enterprise == false)
        for notDecimal in ["0x10", "nan", "inf", "1,5"] {
            #expect((try? submission([("service_code", "city.sanitation"), ("lat", notDecimal), ("long", "120")]).get()) == nil, "\(notDecimal)")
        }
        #expect(try submission([("service_code", "city.sanitation"), ("lat", "3e1"), ("long", "-120.5")]).get().location?.latitude == 30)
        let badFlag = submission(base + [("attribute[enterprise]", "maybe")])
        #expect((try? badFlag.get()) == nil)
        #expect(Open311Form.fullName(first: "Si", last: "Li") == "Si Li")
        #expect(Open311Form.fullName(first: "雷", last: "李") == "李雷")
        #expect(Open311Form.fullName(first: nil, last: "Smith") == "Smith")
        // Intake's own field names never reach an Open311 client.
        let renamed = Open311Form.renamed(Problem.invalid([.init("category", "x"), .init("location.region", "y"), .init("content", "z")]))
        #expect(renamed.status == 400 && renamed.errors?.map(\.field) == ["service_code", "address_id", "description"])
        let missing = submission([("address_id", "330901003002004")])
        guard case .failure(let p) = missing else { Issue.record("a form without service_code was taken"); return }
        #expect(p.errors?.map(\.field) == ["service_code"])
    }
}
