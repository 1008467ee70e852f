import Foundation
import Glibc

extension Process {
    /// Waits for the process to end by polling: `waitUntilExit()` spins a run loop that an
    /// async caller's thread may never service on Linux, and then it never returns.
    /// - Returns: false when `timeout` passed first.
    @discardableResult
    func waitForExit(timeout: TimeInterval = .infinity) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning {
            guard Date() < deadline else { return false }
            usleep(10_000)
        }
        return true
    }

    /// SIGTERM, then SIGKILL if it has not ended within `grace` seconds; returns once it has.
    func stop(grace: TimeInterval = 10) {
        guard isRunning else { return }
        kill(processIdentifier, SIGTERM)
        if !waitForExit(timeout: grace) {
            kill(processIdentifier, SIGKILL)
            waitForExit()
        }
    }
}
