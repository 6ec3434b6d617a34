/// Per-request context: `waitUntil` runs work after the response is sent (cache writes, usage).
///
/// The runtime keeps track of that work and waits for it, within the grace period, on shutdown.
public struct ExecutionContext: Sendable {
    let tracker: BackgroundWork
    /// An id for this request, used in logs.
    public let requestID: String
    /// The event loop serving this request, as a task executor, when it runs on one. Work that
    /// feeds the response (a stream relay) started with this preference stays on the loop that
    /// owns the client's socket: no thread hop per chunk.
    public let executor: (any TaskExecutor)?

    public init(requestID: String, tracker: BackgroundWork) {
        self.requestID = requestID
        self.tracker = tracker
        executor = EventLoop.current
    }

    /// Starts `work` as a task on this request's loop (or the global pool off a loop).
    public func task(_ work: sending @escaping @isolated(any) () async -> Void) {
        Task(executorPreference: executor ?? globalConcurrentExecutor, operation: work)
    }

    /// Runs `work` in the background, outliving the response; the runtime waits for it on drain.
    public func waitUntil(_ work: @escaping @Sendable () async -> Void) {
        tracker.start(work)
    }
}

/// Counts background work so shutdown can wait for it.
public final class BackgroundWork: Sendable {
    private let running = QuietWaiters()

    public init() {}

    /// How many `waitUntil` tasks are still running.
    public var count: Int { running.count }

    func start(_ work: @escaping @Sendable () async -> Void) {
        running.increment()
        Task {
            await work()
            running.decrement()
        }
    }

    /// Returns once no background work is running (or the calling task is cancelled).
    public func idle() async {
        await running.waitForZero()
    }
}
