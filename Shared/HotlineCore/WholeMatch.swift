extension String {
    /// Whether all of this text matches `pattern` (a regular expression, anchored at both
    /// ends; a newline never matches). Compiled per call: used for query parameters, not on
    /// the busy paths. False for a pattern that does not compile.
    public func wholeMatches(pattern: String) -> Bool {
        guard !contains(where: \.isNewline), let regex = try? Regex(pattern) else { return false }
        return (try? regex.wholeMatch(in: self)) != nil
    }
}
