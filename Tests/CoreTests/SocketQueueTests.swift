import Foundation
import Glibc
import HotlineCore
import Testing

/// The pieces the event loops are built from: line splitting, the byte-bounded outbound
/// queue over a real socket pair, and the poller's readiness and wake-up.
@Suite struct SocketQueueTests {
    private func append(_ text: String, to buffer: inout LineBuffer) {
        Array(text.utf8).withUnsafeBytes { buffer.append($0) }
    }

    @Test func linesSplitAcrossChunksWithLimits() {
        var buffer = LineBuffer(maxLineLength: 8)
        append("ab\ncd", to: &buffer)
        #expect(buffer.next() == .line(Array("ab".utf8)))
        #expect(buffer.next() == .needMore)
        append("e\r\n\n", to: &buffer)
        #expect(buffer.next() == .line(Array("cde".utf8)))
        #expect(buffer.next() == .line([]))
        append("123456789", to: &buffer)
        #expect(buffer.next() == .tooLong)
    }

    /// `nextLine` lends each line in place and finds what `next` finds, through a buffer that
    /// compacts itself between chunks.
    @Test func linesLentInPlaceAreTheLinesCopiedOut() {
        var copying = LineBuffer(maxLineLength: 64), lending = LineBuffer(maxLineLength: 64)
        var rng = SystemRandomNumberGenerator()
        var copied: [LineBuffer.Next] = [], lent: [LineBuffer.Next] = []
        let text = (0..<400).map { i in String(repeating: "x", count: i % 23) + (i % 5 == 0 ? "\r\n" : "\n") }.joined() + String(repeating: "y", count: 70) + "\n"
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let chunk = Array(bytes.prefix(Int.random(in: 1...40, using: &rng)))
            bytes = bytes.dropFirst(chunk.count)
            chunk.withUnsafeBytes { copying.append($0); lending.append($0) }
            while true {
                let next = copying.next()
                copied.append(next)
                if next != .needMore && next != .tooLong { continue }
                break
            }
            while true {
                var line: [UInt8] = []
                let scan = lending.nextLine { line = Array($0) }
                lent.append(scan == .line ? .line(line) : scan == .needMore ? .needMore : .tooLong)
                if scan != .line { break }
            }
        }
        #expect(lent == copied)
        #expect(copied.filter { if case .line = $0 { true } else { false } }.count == 400)
        #expect(copied.last == .tooLong)
    }

    @Test func queueDropsPushesBeyondItsBytesAndOverflowsOnlyAtTwice() {
        var queue = OutboundQueue(limit: 10)
        #expect(queue.enqueue(Array(repeating: 1, count: 8), droppable: true) == .queued)
        #expect(queue.enqueue(Array(repeating: 2, count: 8), droppable: true) == .dropped)
        #expect(queue.enqueue(Array(repeating: 3, count: 8), droppable: false) == .queued)
        #expect(queue.enqueue(Array(repeating: 4, count: 8), droppable: false) == .overflow)
        #expect(queue.queuedBytes == 16)
    }

    @Test func queueWritesInOrderThroughAFullSocket() throws {
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        Socket.setNonBlocking(pair[0])
        var queue = OutboundQueue(limit: 64 << 20)
        var expected: [UInt8] = []
        for k in 0..<2000 {
            let chunk = Array(repeating: UInt8(k % 251), count: 1000 + k % 7)
            expected += chunk
            #expect(queue.enqueue(chunk, droppable: false) == .queued)
        }
        // 2 MB does not fit a socket buffer: the first flush stops, the rest goes as the
        // reader drains.
        #expect(queue.flush(to: pair[0]) == .blocked)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while received.count < expected.count {
            let n = buffer.withUnsafeMutableBytes { recv(pair[1], $0.baseAddress, $0.count, 0) }
            #expect(n > 0)
            if n <= 0 { break }
            received += buffer[0..<n]
            _ = queue.flush(to: pair[0])
        }
        #expect(queue.isEmpty)
        #expect(received == expected)
    }

    @Test func pollerReportsReadableAndWakes() throws {
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        let poller = try Poller()
        try poller.add(pair[0], writable: false)
        #expect(poller.wait(timeoutMilliseconds: 0).ready.isEmpty)
        _ = send(pair[1], "x", 1, 0)
        let (ready, _) = poller.wait(timeoutMilliseconds: 1000)
        #expect(ready.count == 1 && ready[0].fd == pair[0] && ready[0].readable && !ready[0].writable && !ready[0].hangup)
        poller.wake()
        #expect(poller.wait(timeoutMilliseconds: 1000).woken)
        poller.setWritable(pair[0], true)
        #expect(poller.wait(timeoutMilliseconds: 1000).ready.first?.writable == true)
        close(pair[1])
        pair[1] = -1
        #expect(poller.wait(timeoutMilliseconds: 1000).ready.first?.hangup == true)
    }
}
