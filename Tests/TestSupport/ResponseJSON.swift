import Foundation
import HotlineHTTP

extension HTTPClient.Response {
    /// The body as a JSON object; empty when it is not one (the test's expectations then fail by name).
    public var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:] }

    /// The body as a JSON array of objects; empty when it is not one.
    public var list: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(body)) as? [[String: Any]]) ?? [] }
}
