import Foundation
import Glibc
import HotlineCore

/// The bus benchmark's yardstick: a local `redis-server` on a Unix socket, one subscriber,
/// and a publisher sending `PUBLISH` commands pipelined in batches — each message one event's
/// JSON, as many bytes as the bus carries for it. Measured in the same run as the bus, so
/// the ratio holds whatever else the machine is doing.
struct RedisBaseline {
    let executable: String

    /// `redis-server` on PATH or in the usual places; nil when Redis is not installed.
    static func find() -> RedisBaseline? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/usr/sbin"] {
            let candidate = dir + "/redis-server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return RedisBaseline(executable: candidate) }
        }
        return nil
    }

    /// Publishes `count` copies of `payload` and returns the messages per second the
    /// subscriber received (first publish to last message).
    func run(count: Int, payload: [UInt8], directory: String) throws -> Double {
        let socketPath = directory + "/redis.sock"
        let server = Process()
        server.executableURL = URL(fileURLWithPath: executable)
        server.arguments = ["--port", "0", "--unixsocket", socketPath, "--save", "", "--appendonly", "no", "--daemonize", "no",
                            "--dir", directory, "--client-output-buffer-limit", "pubsub 0 0 0"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // Redis lingers ~10 s on SIGTERM here; it holds nothing, so do not wait long for it.
        defer { server.stop(grace: 0.5) }
        var subscriber: Int32 = -1
        for _ in 0..<200 where subscriber < 0 {
            subscriber = (try? Socket.connectUnix(path: socketPath)) ?? -1
            if subscriber < 0 { usleep(20_000) }
        }
        guard subscriber >= 0 else { throw ConfigurationError("redis-server did not open \(socketPath)") }
        defer { close(subscriber) }
        let channel = "events"
        Socket.writeAll(subscriber, Self.command(["SUBSCRIBE", channel]))
        // The confirmation, then each message: *3 $7 message $6 events $<n> payload.
        let confirmation = "*3\r\n$9\r\nsubscribe\r\n$\(channel.utf8.count)\r\n\(channel)\r\n:1\r\n".utf8.count
        let message = "*3\r\n$7\r\nmessage\r\n$\(channel.utf8.count)\r\n\(channel)\r\n$\(payload.count)\r\n".utf8.count + payload.count + 2
        try Self.read(subscriber, bytes: confirmation)

        let publisher = try Socket.connectUnix(path: socketPath)
        defer { close(publisher) }
        let one = Self.command(["PUBLISH", channel], payload)
        let batch = Array((0..<100).map { _ in one }.joined())
        // Replies (":1\r\n" each) are drained on their own thread so the pipe never blocks.
        let replies = Thread {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var total = 0
            while total < count * 4 {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(publisher, $0.baseAddress!, $0.count) }
                if n <= 0 { return }
                total += n
            }
        }
        replies.start()
        let started = DispatchTime.now().uptimeNanoseconds
        let sender = Thread {
            var sent = 0
            while sent < count {
                let n = min(100, count - sent)
                Socket.writeAll(publisher, n == 100 ? batch : Array(batch.prefix(one.count * n)))
                sent += n
            }
        }
        sender.start()
        try Self.read(subscriber, bytes: message * count)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return Double(count) / seconds
    }

    /// A RESP array of bulk strings.
    private static func command(_ words: [String], _ last: [UInt8]? = nil) -> [UInt8] {
        var parts = words.map { Array($0.utf8) }
        if let last { parts.append(last) }
        var out = Array("*\(parts.count)\r\n".utf8)
        for p in parts { out += Array("$\(p.count)\r\n".utf8) + p + [13, 10] }
        return out
    }

    /// Reads and discards exactly `bytes` bytes.
    private static func read(_ fd: Int32, bytes: Int) throws {
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var left = bytes
        while left > 0 {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, min($0.count, left)) }
            guard n > 0 else { throw ConfigurationError("redis connection ended early") }
            left -= n
        }
    }
}
