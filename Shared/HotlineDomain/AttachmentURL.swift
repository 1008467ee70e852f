/// Attachment links: the OpenAPI document's `pattern` for `attachments[]`, matched by hand.
///
/// `http` or `https` in lower case, a host of letters, digits, dots and hyphens, an optional
/// port, then an optional path, query or fragment of printable ASCII. Strict on purpose:
/// units open these links, so nothing that could hide a different target (spaces, control
/// characters, user info with `@` before the host) gets through.
public enum AttachmentURL {
    public static let pattern = #"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$"#
    public static let maxLength = 2048

    public static func isValid(_ url: String) -> Bool {
        let s = url.unicodeScalars
        guard s.count <= maxLength else { return false }
        var rest = Substring(url).unicodeScalars[...]
        if rest.starts(with: "https://".unicodeScalars) {
            rest = rest.dropFirst(8)
        } else if rest.starts(with: "http://".unicodeScalars) {
            rest = rest.dropFirst(7)
        } else {
            return false
        }
        let host = rest.prefix { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }
        guard !host.isEmpty else { return false }
        rest = rest.dropFirst(host.count)
        if rest.first == ":" {
            let port = rest.dropFirst().prefix { ("0"..."9").contains($0) }
            guard (1...5).contains(port.count) else { return false }
            rest = rest.dropFirst(1 + port.count)
        }
        guard let first = rest.first else { return true }
        guard first == "/" || first == "?" || first == "#" else { return false }
        return rest.allSatisfy { (0x21...0x7E).contains($0.value) }
    }
}
