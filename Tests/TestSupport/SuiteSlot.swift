/// One whole suite (`hotline run` with its six processes) at a time in a test run. Two
/// cores cannot run several suites and the in-process tests at once without stretching
/// every timeout a test relies on; test suites otherwise run in parallel.
actor SuiteSlot {
    static let shared = SuiteSlot()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()  // handed straight to the next suite
        }
    }
}
