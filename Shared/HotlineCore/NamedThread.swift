import CEpoll
import Foundation

/// Starts threads under names the system shows (`top -H`, `perf`, `/proc/PID/task/*/comm`).
///
/// swift-corelibs-foundation keeps a name set before `start()` to itself: the system thread
/// keeps its creator's name (from a pool thread, "com.apple.root.default-qos" cut to 15
/// bytes), so every thread of a service looked alike in a profile, and `Thread.current.name`
/// answered that name too. Setting `Thread.current.name` from the new thread is no cure: it
/// reaches the system only once `start()` has recorded the thread, which the new thread can
/// outrun. Here the thread names itself first, with pthread_setname_np, cut to the kernel's
/// 15 bytes.
public enum NamedThread {
    /// Starts `body` on a new thread called `name`.
    @discardableResult
    public static func start(_ name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) -> Thread {
        var cut = ""
        for character in name {
            guard cut.utf8.count + character.utf8.count <= 15 else { break }
            cut.append(character)
        }
        let shown = cut
        let thread = Thread {
            _ = pthread_setname_np(pthread_self(), shown)
            body()
        }
        thread.name = shown
        if let stackSize { thread.stackSize = stackSize }
        thread.start()
        return thread
    }
}
