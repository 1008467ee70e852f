import Foundation
import HotlineCore
import HotlineHTTP
import HotlineRuntime

/// `hotline probe [SERVICE]`: a container's health check without curl in the image. A service
/// is healthy when its `/readyz` on this host answers 200; the bus when its socket accepts a
/// connection. The service comes from the argument or `HOTLINE_SERVICE`.
enum ProbeCommand {
    static let usage = "use: hotline probe [bus|intake|dispatch|supervision|survey|kpi] (default $HOTLINE_SERVICE)"

    static func main(_ args: [String]) async throws -> Int32 {
        let environment = EnvironmentReader()
        guard args.count <= 1, let service = args.first ?? environment.string("HOTLINE_SERVICE") else {
            throw HotlineCommand.UsageError(message: usage)
        }
        if service == "bus" {
            let path = environment.string("HOTLINE_BUS_SOCKET") ?? (environment.string("HOTLINE_RUN_DIR") ?? "run") + "/bus.sock"
            do {
                close(try Socket.connectUnix(path: path))
                return 0
            } catch {
                FileHandle.standardError.write(Data("hotline probe: the bus does not accept connections at \(path): \(error)\n".utf8))
                return 1
            }
        }
        guard let defaultPort = ServiceSettings.defaultPorts[service] else { throw HotlineCommand.UsageError(message: usage) }
        let port = try environment.int(ServiceSettings.portVariable(service), default: defaultPort, range: 1...65535)
        let client = HTTPClient(port: port)
        client.timeout = 5
        let status = (try? await client.request("GET", "/readyz").status) ?? 0
        guard status == 200 else {
            FileHandle.standardError.write(Data("hotline probe: \(service) on port \(port) is not ready (\(status == 0 ? "no answer" : "HTTP \(status)"))\n".utf8))
            return 1
        }
        return 0
    }
}
