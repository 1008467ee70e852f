import Foundation
import HotlineCore

/// The yardstick of `hotline bench suite --peer URL TOKEN`: django-helpdesk's REST API
/// (`deploy/scripts/peer-helpdesk.sh` starts one) under the same load generator, the same
/// connections and the same offered rate, in the same run, so the ratio holds whatever the
/// machine is doing.
struct PeerTarget: Sendable {
    let port: Int
    /// The ticket-creating path, e.g. `/api/tickets/`.
    let path: String
    /// The helpdesk queue new tickets go to.
    let queue: Int
    /// A Django REST framework token (`Authorization: Token …`).
    let token: String

    /// - Parameter url: `http://127.0.0.1:PORT/api/tickets/?queue=N` (loopback only: the
    ///   load generator measures a peer on this machine, as it measures the suite).
    init(url: String, token: String) throws {
        guard let parts = URLComponents(string: url), parts.scheme == "http",
            ["127.0.0.1", "localhost"].contains(parts.host ?? ""), let port = parts.port
        else { throw HotlineCommand.UsageError(message: "--peer takes http://127.0.0.1:PORT/api/tickets/?queue=N and a token") }
        guard !token.isEmpty, token.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw HotlineCommand.UsageError(message: "--peer needs the REST token after the URL")
        }
        self.port = port
        path = parts.path.isEmpty ? "/api/tickets/" : parts.path
        queue = parts.queryItems?.first { $0.name == "queue" }?.value.flatMap(Int.init) ?? 1
        self.token = token
    }

    init(port: Int, path: String, queue: Int, token: String) {
        self.port = port
        self.path = path
        self.queue = queue
        self.token = token
    }

    /// The load process's arguments for this peer.
    var loadArguments: [String] { ["--peer-path", path, "--peer-queue", String(queue), "--peer-token", token] }

    /// The request creating ticket `i`: the same complaint as the suite's, in the helpdesk's
    /// ticket fields (the caller's phone in the description: it has no field for one).
    func request(_ i: Int, runID: Substring, phone: String) -> [UInt8] {
        let body = #"{"queue":\#(queue),"title":"小区门口垃圾三天没有清运 \#(runID)-\#(i)","description":"小区门口垃圾三天没有清运，气味很大。来电 王先生 \#(phone)，城关街道光明社区","submitter_email":"caller-\#(runID)-\#(i)@example.com","priority":3}"#
        return Array(("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: Token \(token)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)").utf8)
    }
}
