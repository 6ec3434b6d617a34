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

    /// The event loop running the caller, when it runs on one (a request's handler and its
    /// response body usually do): a task started with it as executor preference stays on that
    /// thread, so it costs no hop and may write to the request's connection. `nil` elsewhere.
    public static var currentExecutor: (any TaskExecutor)? { EventLoop.current }

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

    /// Started on the caller's event loop when there is one (as a Worker's `waitUntil` runs in
    /// its isolate): a request's background work — a settlement, a cache write — then costs no
    /// wake-up of another thread to start, nor to resume when a reply for it comes back on that
    /// loop. Elsewhere, on the global executor.
    func start(_ work: @escaping @Sendable () async -> Void) {
        running.increment()
        let running = self.running
        Task(executorPreference: EventLoop.current) {
            await work()
            running.decrement()
        }
    }

    /// Returns once no background work is running (or the calling task is cancelled).
    public func idle() async {
        await running.waitForZero()
    }
}
