/// The standard answers agents give on the call (IN-5), searchable in Chinese.
///
/// Chinese has no spaces, so text is indexed by overlapping character bigrams (and single
/// characters for one-character queries); Latin letters and digits form words.
public struct KnowledgeBase: Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public let id: String
        public let category: String
        public let question: String
        public let answer: String
        public let keywords: [String]
    }

    public struct Hit: Codable, Sendable, Equatable {
        public let id: String
        public let category: String
        public let question: String
        public let answer: String
        public let score: Double
    }

    private let entries: [(entry: Entry, title: Set<String>, keywords: Set<String>, body: Set<String>)]

    public init(_ entries: [Entry]) {
        self.entries = entries.map { e in
            (e, Self.tokens(e.question), Set(e.keywords.flatMap(Self.tokens)), Self.tokens(e.answer))
        }
    }

    /// The best matches for `query`, best first; each query token found in the keywords or
    /// question counts double its weight in the answer.
    public func search(_ query: String, limit: Int = 10) -> [Hit] {
        let q = Self.tokens(query)
        guard !q.isEmpty else { return [] }
        var hits: [Hit] = []
        for (e, title, keywords, body) in entries {
            var score = 0.0
            for t in q {
                if keywords.contains(t) { score += 3 } else if title.contains(t) { score += 2 } else if body.contains(t) { score += 1 }
            }
            guard score > 0 else { continue }
            hits.append(Hit(id: e.id, category: e.category, question: e.question, answer: e.answer,
                            score: (score / Double(q.count * 3) * 1000).rounded() / 1000))
        }
        return Array(hits.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }.prefix(limit))
    }

    public func entry(_ id: String) -> Entry? { entries.first { $0.entry.id == id }?.entry }

    /// Bigrams of CJK runs (the character itself for a run of one), lowercased ASCII words.
    static func tokens(_ text: String) -> Set<String> {
        var out = Set<String>()
        var run: [Character] = []
        var word = ""
        func flushRun() {
            if run.count == 1 { out.insert(String(run[0])) }
            if run.count >= 2 { for i in 0..<(run.count - 1) { out.insert(String(run[i...i + 1])) } }
            run.removeAll()
        }
        func flushWord() {
            if !word.isEmpty { out.insert(word) }
            word = ""
        }
        for ch in text {
            if ch.unicodeScalars.allSatisfy({ (0x3400...0x9FFF).contains($0.value) || (0xF900...0xFAFF).contains($0.value) }) {
                flushWord()
                run.append(ch)
            } else if ch.isLetter || ch.isNumber {
                flushRun()
                word += ch.lowercased()
            } else {
                flushRun()
                flushWord()
            }
        }
        flushRun()
        flushWord()
        return out
    }
}
