import Foundation
import HotlineCore
import Testing

/// The services link FoundationEssentials only; the helpers that replace what only Foundation
/// had must answer as Foundation did (tests may link Foundation, so they compare directly).
@Suite struct EssentialsHelpersTests {
    @Test func cFormatMatchesFoundationsFormat() {
        let doubles: [Double] = [0, 0.005, 0.015, 0.125, 0.135, 1.005, 2.675, 97.825, 98.565, 99.995, 100, -0.5, 1e6 / 3, 12.3456789]
        for v in doubles {
            for f in ["%.2f", "%.1f", "%.0f", "%+.1f%%", "%.2f%%"] {
                #expect(String(cFormat: f, v) == String(format: f, v), "\(f) \(v)")
            }
        }
        for (y, m) in [(2026, 3), (1999, 12), (5, 1)] {
            #expect(String(cFormat: "%04d-%02d", y, m) == String(format: "%04d-%02d", y, m))
            #expect(String(cFormat: "%04d-W%02d", y, m) == String(format: "%04d-W%02d", y, m))
        }
        #expect(String(cFormat: "T%09d", 123_456) == "T000123456")
        #expect(String(cFormat: "\\u%04x", 0x1f) == "\\u001f")
        // Longer than the first buffer: formatted again in full.
        let long = String(repeating: "x", count: 500)
        #expect(String(cFormat: long + " %d", 7) == long + " 7")
    }

    @Test func pathNamesJoinAndSplitAsNSStringDid() {
        for (directory, name) in [("data", "intake.sqlite3"), ("/var/lib/hotline/", "kpi.lock"), ("/", "x"), ("", "c.json")] {
            #expect(PathNames.join(directory, name) == (directory as NSString).appendingPathComponent(name), "\(directory) + \(name)")
        }
        for path in ["/run/hotline/bus.sock", "run/bus.sock", "bus.sock", "/bus.sock", "/run/hotline/", "/"] {
            #expect(PathNames.directory(of: path) == (path as NSString).deletingLastPathComponent, "\(path)")
        }
    }

    @Test func percentEncodingKeepsOnlyUnreservedASCII() {
        for text in ["hotline-intake", "a b&c=d", "plus+slash/", "~._-", "%", "王先生", "é"] {
            var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            allowed.insert(charactersIn: "-._~")
            #expect(PercentEncoding.encode(text, keeping: "-._~") == text.addingPercentEncoding(withAllowedCharacters: allowed), "\(text)")
        }
    }

    @Test func trimmingMatchesFoundationOnWhitespace() {
        for text in ["  a b \t", "\u{3000}全角空格\u{3000}", "\n x \n", "", "   ", "\u{00A0}nbsp\u{00A0}"] {
            #expect(text.trimmingWhitespaceAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
        }
    }

    @Test func wholeMatchesIsAnchoredAndRefusesNewlines() {
        let week = "[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])"
        #expect("2026-W09".wholeMatches(pattern: week))
        #expect(!"2026-W54".wholeMatches(pattern: week))
        #expect(!"x2026-W09".wholeMatches(pattern: week))
        #expect(!"2026-W09\n".wholeMatches(pattern: week))
        #expect(!"2026-W09".wholeMatches(pattern: "("))  // does not compile: no match
    }

    @Test func namedThreadsRunAndCarryTheirName() async {
        let name: String = await withCheckedContinuation { done in
            NamedThread.start("test.named-thread-long") {
                let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
                done.resume(returning: comm.trimmingWhitespaceAndNewlines())
            }
        }
        #expect(name == "test.named-thre")
    }
}
