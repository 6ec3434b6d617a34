import Synchronization

/// Per-request context: `waitUntil` runs work after the response is sent (cache writes, usage).
///
/// The runtime keeps track of that work and waits for it, within the grace period, on shutdown.
public struct ExecutionContext: Sendable {
    let tracker: BackgroundWork
    /// An id for this request, used in logs.
    public let requestID: String

    public init(requestID: String, tracker: BackgroundWork) {
        self.requestID = requestID
        self.tracker = tracker
    }

    /// Runs `work` in the background, outliving the response; the runtime waits for it on drain.
    public func waitUntil(_ work: @escaping @Sendable () async -> Void) {
        tracker.start(work)
    }
}

/// Counts background work so shutdown can wait for it.
public final class BackgroundWork: Sendable {
    private struct State {
        var running = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    public init() {}

    /// How many `waitUntil` tasks are still running.
    public var running: Int { state.withLock { $0.running } }

    func start(_ work: @escaping @Sendable () async -> Void) {
        state.withLock { $0.running += 1 }
        Task {
            await work()
            let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
                state.running -= 1
                guard state.running == 0 else { return [] }
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    /// Returns once no background work is running.
    public func idle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                if state.running == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
