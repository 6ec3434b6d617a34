/// Whether `work` finishes within `timeout`: the race behind every drain (connections, in-flight
/// calls, `waitUntil` work). The losing side is cancelled, so `work` must end when its task is
/// (as ``QuietWaiters/waitForZero()`` does); a `work` ended by cancellation counts as unfinished.
func finishes(within timeout: Duration, _ work: @escaping @Sendable () async -> Void) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            await work()
            return !Task.isCancelled
        }
        group.addTask {
            try? await Task.sleep(for: max(timeout, .zero))
            return false
        }
        let first = await group.next() ?? false
        group.cancelAll()
        return first
    }
}
