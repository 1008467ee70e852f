import Foundation
import HotlineCore
import Testing

@Suite struct RedactionTests {
    @Test func masksPersonalFieldsAndSecrets() {
        #expect(Redaction.field("caller.phone", "13812345678") == "138****5678")
        #expect(Redaction.field("caller.name", "张三丰") == "张**")
        #expect(Redaction.field("auth.token", "abc") == "[redacted]")
        #expect(Redaction.field("ticket.id", "T-20261122-000001") == "T-20261122-000001")
    }

    @Test func scrubsMobileNumbersFromFreeText() {
        #expect(Redaction.scrubPhones("call 13812345678 now") == "call 138****5678 now")
        #expect(Redaction.scrubPhones("seq 20261122") == "seq 20261122")
    }

    /// Phones as people write them (issue 16: dotted numbers got through).
    @Test(arguments: [
        ("电话158.6666.6577请回电", "电话158****6577请回电"),
        ("138 1234 5678", "138****5678"),
        ("138-1234-5678。", "138****5678。"),
        ("+86 138 1234 5678", "138****5678"),
        ("8613812345678", "138****5678"),
        ("00861381234 5678", "138****5678"),
        ("座机(0571) 8888-6666", "座机057****6666"),
        ("0571-88886666", "057****6666"),
        ("１３８１２３４５６７８", "138****5678"),
        ("两个号码13812345678 13912345678", "两个号码138****5678 139****5678"),
        // The shortest phone (ten digits) and a shorter number beside it.
        ("座机0571888866，分机123", "座机********66，分机123"),
    ])
    func scrubsPhonesHoweverWritten(text: String, expected: String) {
        #expect(Redaction.scrubPhones(text) == expected)
    }

    @Test(arguments: [
        "T20261130-0a1b2c3d4e5f6a7b", "2026-11-30 13:00", "第3栋2单元1801室", "金额 12345.67 元", "订单 1381234567890",
        "1.5 公里", "编号 23812345678", "2026.11.30", "057188886", "路口没有红绿灯，晚上很暗", "",
    ])
    func leavesOtherNumbersReadable(text: String) {
        #expect(Redaction.scrubPhones(text) == text)
    }

    @Test func loggerMasksAndWritesOneJSONLine() throws {
        let sink = MemoryLogSink()
        let logger = Logger(service: "intake", level: .info, sink: sink)
        logger.debug("hidden")
        logger.info("ticket received", ["caller.phone": "13812345678", "note": "ring 13900001111"])
        let records = sink.all
        #expect(records.count == 1)
        let line = try #require(records.first?.line)
        #expect(!line.contains("13812345678"))
        #expect(!line.contains("13900001111"))
        #expect(records[0].fields["service"] == "intake")
        #expect(records[0].fields["caller.phone"] == "138****5678")
    }
}

@Suite struct RateLimiterTests {
    @Test func allowsTheRateThenAsksToWait() {
        let limiter = RateLimiter()
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        for _ in 0..<60 { #expect(limiter.take("wechat", perMinute: 60, now: t0) == nil) }
        #expect(limiter.take("wechat", perMinute: 60, now: t0) == 1)
        #expect(limiter.take("phone", perMinute: 60, now: t0) == nil, "keys are independent")
        #expect(limiter.take("wechat", perMinute: 60, now: t0.addingTimeInterval(1)) == nil, "one token per second refills")
        #expect(limiter.take("slow", perMinute: 1, now: t0) == nil)
        #expect(limiter.take("slow", perMinute: 1, now: t0) == 60)
    }

    @Test func staysBounded() {
        let limiter = RateLimiter(maxKeys: 100)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        for i in 0..<1000 { _ = limiter.take("ip\(i)", perMinute: 10, now: t0) }
        #expect(limiter.take("ip999", perMinute: 10, now: t0) != 1000)
    }
}

@Suite struct TrimmingTests {
    @Test(arguments: [
        ("  路灯 不亮 \t", "路灯 不亮", "路灯 不亮"),
        ("\n\r\n text \n", "\n\r\n text \n", "text"),
        ("\u{3000}全角空格\u{3000}", "全角空格", "全角空格"),
        ("", "", ""),
        (" \t ", "", ""),
        ("\u{2028}a\u{a0}", "\u{2028}a", "a"),
        ("no-trim", "no-trim", "no-trim"),
    ])
    func trimsLikeFoundationsCharacterSets(input: String, spacesOnly: String, withNewlines: String) {
        #expect(input.trimmingWhitespace() == spacesOnly)
        #expect(input.trimmingWhitespaceAndNewlines() == withNewlines)
        #expect(input.trimmingWhitespace() == input.trimmingCharacters(in: .whitespaces))
        #expect(input.trimmingWhitespaceAndNewlines() == input.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The ASCII shortcut classifies every scalar it answers as the property tables do; the
    /// other white space is still found. (Foundation also trims U+200B, which Unicode's
    /// White_Space does not include; it is left out.)
    @Test func everyLatinScalarAtBothEndsIsTrimmedLikeFoundation() {
        for value in Array(UInt32(0)..<0x100) + [0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000] + Array(0x2000...0x200A) {
            let scalar = Unicode.Scalar(value)!
            let input = "\(Character(scalar))x y\(Character(scalar))"
            #expect(input.trimmingWhitespace() == input.trimmingCharacters(in: .whitespaces), "U+\(String(value, radix: 16))")
            #expect(input.trimmingWhitespaceAndNewlines() == input.trimmingCharacters(in: .whitespacesAndNewlines),
                    "U+\(String(value, radix: 16))")
        }
    }

    @Test func worksOnSubstrings() {
        let line = "Authorization: Bearer  token \r"
        #expect(line.dropFirst(14).trimmingWhitespaceAndNewlines() == "Bearer  token")
    }
}

/// A property test (issue 9, item 5): numbers in every spelling people use, inside Chinese
/// text, never survive the scrub; the text around them does.
@Suite struct PhoneScrubPropertyTests {
    /// A small deterministic generator (the tests must replay).
    struct LCG {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    @Test func noNumberSurvivesHoweverItIsWritten() {
        var rng = LCG(state: 20261130)
        let words = ["请回电", "联系", "我的电话是", "打", "，谢谢", "。", "市民称", "（下午）", "号码：", "急！", " "]
        let fullWidth = Array("０１２３４５６７８９")
        func digits(_ n: Int) -> String { (0..<n).map { _ in String(rng.next(10)) }.joined() }
        for _ in 0..<2000 {
            // A mobile number (1[3-9]…) or a landline with its area code.
            let mobile = rng.next(3) != 0
            let number = mobile ? "1" + String(3 + rng.next(7)) + digits(9) : "0" + String(1 + rng.next(9)) + digits(2) + digits(8)
            var written: String
            switch rng.next(mobile ? 8 : 4) {
            case 0: written = number
            case 1: written = mobile ? "\(number.prefix(3)) \(number.dropFirst(3).prefix(4)) \(number.suffix(4))" : "(\(number.prefix(4))) \(number.dropFirst(4))"
            case 2: written = mobile ? "\(number.prefix(3))-\(number.dropFirst(3).prefix(4))-\(number.suffix(4))" : "\(number.prefix(4))-\(number.dropFirst(4))"
            case 3: written = mobile ? "\(number.prefix(3)).\(number.dropFirst(3).prefix(4)).\(number.suffix(4))" : "\(number.prefix(4)) \(number.dropFirst(4).prefix(4)) \(number.suffix(4))"
            case 4: written = "+86 " + number
            case 5: written = "0086" + number
            case 6: written = "+86-\(number.prefix(3))-\(number.dropFirst(3).prefix(4))-\(number.suffix(4))"
            default: written = String(number.map { fullWidth[Int(String($0))!] })
            }
            let before = words[rng.next(words.count)], after = words[rng.next(words.count)]
            let text = before + written + after
            let scrubbed = Redaction.scrubPhones(text)
            let kept = String(scrubbed.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
            #expect(!kept.contains(number), "\(text) → \(scrubbed)")
            #expect(scrubbed.hasPrefix(before.trimmingCharacters(in: .whitespaces)) || before == " ", "\(text) → \(scrubbed)")
        }
    }
}
