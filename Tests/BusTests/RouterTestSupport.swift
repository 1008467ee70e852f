import BusService

/// Driving `RouterCore` with text lines and reading what it sends, for the router's tests.
extension RouterCore {
    mutating func send(_ c: Int, _ text: String) -> [Output] { received(c, line: Array(text.utf8)) }
}

/// The lines `outputs` send to connection `c`, as text.
func lines(_ outputs: [RouterCore.Output], to c: Int) -> [String] {
    outputs.compactMap {
        if case .send(let t, let bytes, _) = $0, t == c { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }
}
