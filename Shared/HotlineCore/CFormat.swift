import Glibc

extension String {
    /// `format` filled as C's printf fills it (`%d`, `%04d`, `%.2f`, `%+.1f`, `%%`; no `%@`):
    /// the services link FoundationEssentials only, which lacks `String(format:)`. Rounding is
    /// the C library's (the exact binary value, ties to even), as Foundation's was.
    public init(cFormat format: String, _ arguments: CVarArg...) {
        self = String.formatting(format, arguments)
    }

    private static func formatting(_ format: String, _ arguments: [CVarArg]) -> String {
        withVaList(arguments) { list in
            var buffer = [CChar](repeating: 0, count: 128)
            // vsnprintf consumes the va_list: a longer result formats again from a fresh one.
            let needed = Int(vsnprintf(&buffer, buffer.count, format, list))
            if needed < buffer.count { return String(decoding: buffer[0..<Swift.max(needed, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            return withVaList(arguments) { again in
                var large = [CChar](repeating: 0, count: needed + 1)
                _ = vsnprintf(&large, large.count, format, again)
                return String(decoding: large[0..<needed].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
    }
}
