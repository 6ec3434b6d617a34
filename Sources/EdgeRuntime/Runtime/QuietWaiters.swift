/// Tasks waiting for a count to reach zero; cancelling a waiting task releases it.
///
/// Shared by connection draining and background work, which both race a grace-period timer:
/// the losing wait must end when cancelled, or the task group around it never returns.
final class QuietWaiters: Sendable {
    private struct State {
        var count = 0
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }
    private let state = LockedValue(State())

    var count: Int { state.withLock { $0.count } }

    func increment() { state.withLock { $0.count += 1 } }

    func decrement() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.count -= 1
            guard state.count == 0 else { return [] }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when the count is zero, or as soon as the calling task is cancelled.
    func waitForZero() async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.count == 0 || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
