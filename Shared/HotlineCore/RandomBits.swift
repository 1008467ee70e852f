import CEpoll
import FoundationEssentials
import Glibc
import Synchronization

/// Random bits for ids, read from the kernel a page at a time.
///
/// `SystemRandomNumberGenerator` makes a `getrandom` call for every 64 bits: two per event id,
/// about 13,000 system calls a second across a busy suite. These bits make ids unique, not
/// secrets (tokens and keys still come from `SystemRandomNumberGenerator`). No process here
/// forks without exec (`Subprocess` spawns), so no copy of the buffer is ever used twice.
public enum RandomBits {
    private static let capacity = 512
    private static let pool = Mutex<(words: [UInt64], used: Int)>(([], 0))

    /// 64 random bits.
    public static func next() -> UInt64 {
        pool.withLock { p in
            if p.used == p.words.count {
                p.words = fresh()
                p.used = 0
            }
            defer { p.used += 1 }
            return p.words[p.used]
        }
    }

    private static func fresh() -> [UInt64] {
        var words = [UInt64](repeating: 0, count: capacity)
        let filled = words.withUnsafeMutableBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = getrandom(raw.baseAddress! + offset, raw.count - offset, 0)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        if !filled {
            // getrandom is missing only on kernels older than 3.17: fall back word by word.
            var system = SystemRandomNumberGenerator()
            for i in words.indices { words[i] = system.next() }
        }
        return words
    }
}
