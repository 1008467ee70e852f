import Foundation
import HotlineCore
import HotlineHTTP
import HotlineRuntime

/// One worker's keep-alive connections to the suite's services, found in the run directory
/// and found again after a failure: a restarted `hotline run` (any port) serves on new ports.
/// A service's Unix socket there is preferred to its TCP port (`<service>.url`): the same
/// API without the TCP stack, about half the kernel's CPU per request on either side.
final class ServiceClients: @unchecked Sendable {
    // @unchecked: used by one worker thread at a time.
    let runDirectory: String
    private var clients: [String: HTTPClient] = [:]

    init(runDirectory: String) { self.runDirectory = runDirectory }

    func client(_ service: String) throws -> HTTPClient {
        if let c = clients[service] { return c }
        let socket = ServiceSettings.httpSocket(runDirectory: runDirectory, service: service)
        if FileManager.default.fileExists(atPath: socket) {
            let c = HTTPClient(unixSocket: socket)
            clients[service] = c
            return c
        }
        guard let port = SuiteSupervisor.port(runDirectory: runDirectory, service: service) else {
            throw SocketError("no \(runDirectory)/\(service).url", errno: ENOENT)
        }
        let c = HTTPClient(port: port)
        clients[service] = c
        return c
    }

    /// Drops the connection: the next request reads the URL file again.
    func reset(_ service: String) {
        clients.removeValue(forKey: service)?.close()
    }
}
