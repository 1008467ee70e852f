import Foundation
import HotlineCore
import HotlineHTTP

/// `hotline audit recompute --period P`: the auditor's check that the live figures are what
/// the streams say (KP-3), run by the kpi service.
enum AuditCommand {
    static let usage = "use: hotline audit recompute --period PERIOD [--json]"

    static func main(_ args: [String]) async throws -> Int32 {
        let flags = try HotlineCommand.Flags(args, valued: ["--period"], switches: ["--json", "--help"])
        if flags.switches.contains("--help") {
            print(usage)
            return 0
        }
        guard flags.positional == ["recompute"], let period = flags.values["--period"] else { throw HotlineCommand.UsageError(message: usage) }
        var client = try ServiceClient("kpi", tokenVariables: ["HOTLINE_AUDITOR_TOKEN", "HOTLINE_ADMIN_TOKEN"])
        client.http.timeout = 3600
        let query = period.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-.")))!
        let response = try await client.request("POST", "/v1/audit/recompute?period=\(query)")
        guard response.status == 200, let outcome = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            FileHandle.standardError.write(Data("hotline: recomputation refused: \(response.status) \(response.text)\n".utf8))
            return 1
        }
        if flags.switches.contains("--json") {
            print(response.text)
        } else {
            print(summary(outcome))
        }
        return outcome["verdict"] as? String == "identical" ? 0 : 2
    }

    /// The outcome as an auditor reads it: each stream's verified history, then the verdict and
    /// the first differing cells.
    static func summary(_ o: [String: Any]) -> String {
        var lines: [String] = []
        lines.append("period \(o["period"] ?? "") as of \(o["as_of"] ?? "") (definitions \(o["definition_version"] ?? ""))")
        for s in o["streams"] as? [[String: Any]] ?? [] {
            lines.append("  \(s["stream"] ?? ""): \(s["events"] ?? 0) events, chain \(s["chain"] ?? ""), head \(s["head_hash"] ?? "")")
        }
        lines.append("\(o["cells_compared"] ?? 0) cells compared, \(o["differences_total"] ?? 0) different; "
            + "\(o["events_per_second"] ?? 0) events/s, \(o["seconds"] ?? 0) s")
        for d in (o["differences"] as? [[String: Any]] ?? []).prefix(20) {
            func show(_ f: Any?) -> String {
                guard let f = f as? [String: Any] else { return "absent" }
                return "\(f["value"] ?? "null") (\(f["numerator"] ?? "-")/\(f["denominator"] ?? "-"))"
            }
            lines.append("  \(d["scope"] ?? "") \(d["key"] ?? "") \(d["figure"] ?? ""): live \(show(d["live"])), recomputed \(show(d["recomputed"]))")
        }
        lines.append("verdict: \(o["verdict"] ?? "")")
        return lines.joined(separator: "\n")
    }
}
