import HotlineCore
import Testing

@Suite struct SHA256Tests {
    // Test vectors from FIPS 180-4 examples / NIST CSRC "SHA256.pdf" and the NESSIE set.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func knownVectors(input: String, expected: String) {
        #expect(SHA256.hex(input) == expected)
    }

    @Test func oneMillionA() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(Hex.encode(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalEqualsOneShot() {
        let text = Array("The quick brown fox jumps over the lazy dog, 一二三四五六七八九十".utf8)
        for split in [0, 1, 55, 56, 63, 64, 65, text.count] where split <= text.count {
            var h = SHA256()
            h.update(text[..<split])
            h.update(text[split...])
            #expect(h.finalize() == SHA256.hash(text))
        }
    }

    /// Sequences without contiguous storage take the byte-at-a-time path; both must agree.
    @Test func nonContiguousSequencesHashTheSame() {
        let text = Array(String(repeating: "事件链", count: 50).utf8)
        var lazy = SHA256()
        lazy.update(text.lazy.map { $0 })
        lazy.update((0..<200).lazy.map { UInt8($0) })
        var direct = SHA256()
        direct.update(text)
        direct.update((0..<200).map { UInt8($0) })
        #expect(lazy.finalize() == direct.finalize())
    }
}

@Suite struct HMACTests {
    // RFC 4231 test cases 1 and 2.
    @Test func rfc4231Vectors() {
        let key1 = [UInt8](repeating: 0x0b, count: 20)
        #expect(Hex.encode(HMACSHA256.authenticate(Array("Hi There".utf8), key: key1))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(HMACSHA256.hex("what do ya want for nothing?", key: "Jefe")
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}

/// The SHA instructions and the Swift code must give the same digests, whatever the lengths
/// and however the input is split across updates.
@Suite struct SHA256ImplementationTests {
    @Test func bothImplementationsGiveTheKnownVectors() {
        for implementation in SHA256.Implementation.allCases {
            var abc = SHA256(implementation: implementation)
            abc.update(Array("abc".utf8))
            #expect(Hex.encode(abc.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            var million = SHA256(implementation: implementation)
            let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
            for _ in 0..<1000 { million.update(chunk) }
            #expect(Hex.encode(million.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        }
    }

    @Test func hardwareAndPortableAgreeOnEveryLengthAndSplit() {
        var generator = SplitMix(seed: 12345)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let split = length == 0 ? 0 : Int(generator.next() % UInt64(length + 1))
            var digests: [[UInt8]] = []
            for implementation in SHA256.Implementation.allCases {
                var hasher = SHA256(implementation: implementation)
                hasher.update(bytes[..<split])
                hasher.update(bytes[split...])
                digests.append(hasher.finalize())
            }
            #expect(digests[0] == digests[1], "length \(length), split at \(split)")
        }
        // Says which paths ran: on a processor without the extensions both were the Swift code.
        print("SHA-256: hardware path \(SHA256.hardwareAvailable ? "compared with" : "unavailable; only") the portable one")
    }
}
