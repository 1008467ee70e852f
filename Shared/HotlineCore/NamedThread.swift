import CEpoll
import Glibc

/// Starts threads under names the system shows (`top -H`, `perf`, `/proc/PID/task/*/comm`).
///
/// A plain pthread, named by itself first (pthread_setname_np, cut to the kernel's 15 bytes):
/// Foundation's `Thread` kept a name set before `start()` to itself, so every thread of a
/// service looked alike in a profile — and the services no longer load Foundation at all
/// (FoundationEssentials only: a smaller resident set per process).
public enum NamedThread {
    /// Starts `body` on a new, detached thread called `name`.
    public static func start(_ name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
        var cut = ""
        for character in name {
            guard cut.utf8.count + character.utf8.count <= 15 else { break }
            cut.append(character)
        }
        let start = Start(name: cut, body: body)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        if let stackSize { pthread_attr_setstacksize(&attributes, max(stackSize, Int(PTHREAD_STACK_MIN))) }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(start).toOpaque()
        let rc = pthread_create(&thread, &attributes, { context in
            let start = Unmanaged<Start>.fromOpaque(context!).takeRetainedValue()
            _ = pthread_setname_np(pthread_self(), start.name)
            start.body()
            return nil
        }, context)
        // Out of threads is a process that cannot work: say why rather than hang silently.
        guard rc == 0 else { fatalError("cannot start thread \(cut): \(String(cString: strerror(rc)))") }
    }

    private final class Start {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) { self.name = name; self.body = body }
    }
}
