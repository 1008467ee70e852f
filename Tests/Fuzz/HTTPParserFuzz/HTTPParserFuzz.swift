import HotlineHTTP

/// libFuzzer entry: feeds arbitrary bytes, split at an arbitrary point, to the request parser
/// and checks what must always hold — no crash, bounded buffering, errors only with the
/// statuses the server answers, bodies never over the limit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var limits = HTTPLimits()
    limits.maxHeadBytes = 2048
    limits.maxRequestLine = 512
    limits.maxHeaderCount = 20
    let bodyLimit = 1024
    var parser = HTTPRequestParser(limits: limits)
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    let allowed: Set<Int> = [400, 413, 414, 417, 431, 501, 505]
    var requests = 0
    var awaitingBody = false
    for chunk in [bytes[..<split], bytes[split...]] {
        parser.append(chunk)
        do {
            while true {
                if !awaitingBody {
                    guard let head = try parser.parseHead() else { break }
                    precondition(head.target.hasPrefix("/") || head.target == "*", "accepted a bad target")
                    awaitingBody = true
                }
                guard let body = try parser.parseBody(limit: bodyLimit) else { break }
                precondition(body.count <= bodyLimit, "body over the limit")
                awaitingBody = false
                requests += 1
                if requests > 10_000 { return 0 }
            }
        } catch {
            precondition(allowed.contains(error.status), "unexpected status \(error.status)")
            return 0
        }
        // Whatever is buffered without a complete head must stay within the head limit.
        if !awaitingBody { precondition(parser.bufferedCount <= bytes.count, "buffer grew beyond the input") }
    }
    return 0
}
