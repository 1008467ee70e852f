import FoundationEssentials
import Glibc

/// An exclusive lock on a file (`flock`), held while this value lives and released by the
/// kernel when the process dies, `kill -9` included: a second process that tries it is
/// told at once who holds it, instead of both writing the same files.
public final class FileLock: Sendable {
    public let path: String
    private let fd: Int32

    /// Another process holds the lock.
    public struct Held: Error, CustomStringConvertible, Sendable {
        public let path: String
        /// The holder's pid as it wrote it into the file, if readable.
        public let holder: Int32?
        public var description: String {
            "\(path) is locked by another process" + (holder.map { " (pid \($0))" } ?? "")
        }
    }

    /// Takes the lock or throws `Held` (or a `SocketError`-style error if the file cannot be
    /// opened). The file (mode 0600) then holds the owner's pid.
    public init(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SocketError("open \(path)", errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8)).flatMap {
                Int32($0.trimmingWhitespaceAndNewlines())
            }
            close(fd)
            throw Held(path: path, holder: holder)
        }
        ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }
}
