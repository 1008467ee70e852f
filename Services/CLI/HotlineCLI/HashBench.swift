import Foundation
import HotlineCore

/// `hotline bench hash`: SHA-256 on the processor's SHA instructions against the portable
/// Swift code, on messages the size of the hash chain's inputs (an event's header and
/// payload), so the gain on every event a service appends or verifies is visible.
enum HashBench {
    static func run(seconds: Double = 0.5) {
        print("SHA-256: the processor's SHA extensions are \(SHA256.hardwareAvailable ? "available" : "not available (both rows run the Swift code)")")
        for size in [64, 300, 1_500] {
            let message = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var rates: [SHA256.Implementation: Double] = [:]
            for implementation in [SHA256.Implementation.portable, .hardware] {
                rates[implementation] = messagesPerSecond(message, implementation, seconds: seconds)
            }
            let portable = rates[.portable]!, hardware = rates[.hardware]!
            print(String(format: "  %5d-byte messages: portable %8.0f/s (%6.0f MB/s), hardware %8.0f/s (%6.0f MB/s): %.1f×",
                         size, portable, portable * Double(size) / 1e6, hardware, hardware * Double(size) / 1e6, hardware / portable))
        }
    }

    private static func messagesPerSecond(_ message: [UInt8], _ implementation: SHA256.Implementation, seconds: Double) -> Double {
        var count = 0
        var check: UInt8 = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        while elapsed < seconds {
            for _ in 0..<256 {
                var hasher = SHA256(implementation: implementation)
                hasher.update(message)
                check ^= hasher.finalize()[0]
            }
            count += 256
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        // Kept where the optimiser cannot see it unused, so the digests are really computed.
        sink ^= check
        return Double(count) / elapsed
    }

    nonisolated(unsafe) private static var sink: UInt8 = 0
}
