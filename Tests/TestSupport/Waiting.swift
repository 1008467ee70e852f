import Foundation
import HotlineCore

/// Polls `condition` until it holds. - Throws: `WaitTimeout` after `timeout` seconds (generous:
/// a condition that holds returns at once, and when every suite starts together on two cores
/// a test can wait seconds for a thread).
public func waitUntil(timeout: TimeInterval = 30, _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
    throw WaitTimeout(seconds: timeout)
}

public struct WaitTimeout: Error, CustomStringConvertible {
    public let seconds: TimeInterval
    public var description: String { "condition not met within \(seconds)s" }
}

/// Polls `probe` until it returns a value. - Throws: `WaitTimeout` after `timeout` seconds.
public func eventually<T: Sendable>(timeout: TimeInterval = 5, _ probe: @Sendable () async throws -> T?) async throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let value = try await probe() { return value }
        try await Task.sleep(nanoseconds: 50_000_000)
    }
    throw WaitTimeout(seconds: timeout)
}

/// Reads from a socket until the peer closes it (or 30 s pass without data).
public func readUntilClosed(_ fd: Int32) -> String {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while Socket.waitReadable(fd, timeout: 30) {
        let n = buffer.withUnsafeMutableBytes { Socket.read(fd, into: $0.baseAddress!, count: $0.count) }
        if n <= 0 { break }
        out += buffer[0..<n]
    }
    return String(decoding: out, as: UTF8.self)
}
