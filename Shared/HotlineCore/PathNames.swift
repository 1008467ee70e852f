/// File paths as text, joined and split as `NSString`'s path methods did (the services link
/// FoundationEssentials only).
public enum PathNames {
    /// `directory` and `name` joined by exactly one slash.
    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        var base = Substring(directory)
        while base.count > 1, base.hasSuffix("/") { base = base.dropLast() }
        let rest = name.drop { $0 == "/" }
        return base == "/" ? "/" + rest : base + "/" + rest
    }

    /// The directory part of `path`: "/run/hotline/bus.sock" → "/run/hotline"; "bus.sock" → "";
    /// "/bus.sock" → "/".
    public static func directory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        var head = trimmed[..<slash]
        while head.count > 1, head.hasSuffix("/") { head = head.dropLast() }
        return String(head)
    }
}
