import FoundationEssentials
import HotlineCore

extension HTTPRequest {
    /// Decodes a JSON body, answering every way it can be wrong with a problem:
    /// 415 for another content type, 400 for invalid UTF-8 or JSON syntax (or not an
    /// object), 422 naming the field for a wrong type or a missing field.
    public func decodeJSON<T: Decodable>(_ type: T.Type) throws -> T {
        let contentType = header("content-type")?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            throw Problem(status: 415, detail: "send Content-Type: application/json")
        }
        // The skim names what is wrong with a bad body; a good one is then parsed once into a
        // tree and decoded from it.
        do {
            _ = try JSONSkim.skim(body)
        } catch .notAnObject {
            throw Problem.badRequest("the body must be a JSON object")
        } catch .tooDeep {
            throw Problem.badRequest("the body nests too deeply")
        } catch .malformed(let offset) {
            throw Problem.badRequest("malformed JSON or invalid UTF-8 at byte \(offset)")
        }
        let tree: JSONValue
        do {
            tree = try JSONValueParser.parse(body)
        } catch {
            throw Problem.badRequest("malformed JSON at byte \(error.offset)")
        }
        do {
            return try JSONValueDecoder.decode(type, from: tree)
        } catch let DecodingError.typeMismatch(_, context) {
            throw Problem.invalid([.init(Self.path(context), "has the wrong type")])
        } catch let DecodingError.valueNotFound(_, context) {
            throw Problem.invalid([.init(Self.path(context), "is required")])
        } catch let DecodingError.keyNotFound(key, context) {
            throw Problem.invalid([.init(Self.path(context, key), "is required")])
        } catch let DecodingError.dataCorrupted(context) {
            throw Problem.invalid([.init(Self.path(context), "is not valid")])
        }
    }

    private static func path(_ context: DecodingError.Context, _ extra: (any CodingKey)? = nil) -> String {
        let keys = context.codingPath + (extra.map { [$0] } ?? [])
        let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            .replacing(".[", with: "[")
        return text.isEmpty ? "body" : text
    }
}
