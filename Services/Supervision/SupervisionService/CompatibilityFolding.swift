internal import CICU

extension String {
    /// Unicode NFKC (compatibility composition: full-width ｆｏｒｍｓ and digits １２ become
    /// plain ones, ① becomes 1), by the ICU that ships with Swift. nil when ICU fails, which
    /// it does only for text it cannot hold (over 2^31 UTF-16 units).
    var compatibilityNormalized: String? {
        var error: Int32 = 0
        guard let normalizer = swift_unorm2_getNFKCInstance(&error), error <= 0 else { return nil }
        let source = Array(utf16)
        guard source.count < Int(Int32.max) / 4 else { return nil }
        // NFKC may lengthen text (one scalar decomposes into up to 18): ask ICU for the size
        // when a first guess of twice the length is short.
        var capacity = max(16, source.count * 2)
        while true {
            var output = [UInt16](repeating: 0, count: capacity)
            error = 0
            let written = swift_unorm2_normalize(normalizer, source, Int32(source.count), &output, Int32(capacity), &error)
            // U_BUFFER_OVERFLOW_ERROR (15): `written` is the length needed.
            if error == 15, Int(written) > capacity { capacity = Int(written); continue }
            guard error <= 0 else { return nil }
            return String(decoding: output[0..<Int(written)], as: UTF16.self)
        }
    }
}
