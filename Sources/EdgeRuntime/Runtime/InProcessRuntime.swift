/// Runs a ``Worker`` in this process with no server: requests are handed to it as values and
/// responses come back the same way (Miniflare's `dispatchFetch`), so a Swift app can embed a
/// worker as a library with no socket in between.
///
/// Each request gets an ``ExecutionContext`` whose `waitUntil` work ``shutdown(timeout:)`` waits
/// for, as ``Runtime`` does when it drains. The worker's own upstream calls still go through
/// `env.fetcher`: a ``CurlFetchClient`` on an ``EventLoopGroup``, usually, whose loops must run
/// until ``shutdown(timeout:)`` has returned.
///
/// ```swift
/// let group = EventLoopGroup(threadCount: 1)
/// let env = Env(fetcher: CurlFetchClient(group: group))
/// let runtime = InProcessRuntime(worker: MyWorker(), env: env)
/// let response = try await runtime.fetch(Request(url: "http://worker/hello"))
/// print(try await response.body.text(upTo: 1 << 20))
/// await runtime.shutdown()   // waitUntil work is done
/// group.shutdown()           // last: nothing may use the loops afterwards
/// ```
public final class InProcessRuntime: FetchClient {
    /// The worker each request is handed to.
    public let worker: any Worker
    /// The bindings each request's `fetch` gets.
    public let env: Env
    /// The `waitUntil` work of every request so far (``BackgroundWork/idle()`` waits for it).
    public let background = BackgroundWork()
    private let ids = RequestIDs()
    private let inFlight = QuietWaiters()
    private let closed = LockedValue(false)

    /// Runs `worker` with `env`'s bindings.
    ///
    /// The worker runs on the caller's executor, not on an event loop as the server's handlers
    /// do (those start on the loop that owns their socket; here there is none). Hopping to a loop
    /// and back measured no faster: the upstream fetch hops to its loop either way (BENCHMARKS.md,
    /// In-process vs over a socket).
    public init(worker: any Worker, env: Env) {
        self.worker = worker
        self.env = env
    }

    /// Hands `request` to the worker and returns its response; the body streams as the worker
    /// writes it (read it, or ``Body/cancel()`` it). The response carries `x-request-id`, the id
    /// the worker's logs use. Only the path and query of `request.url` matter: no host is looked up.
    /// - Throws: what the worker throws (the server would answer 500 instead); ``FetchError``
    ///   with code `connectFailed` once ``shutdown(timeout:)`` has begun.
    public func fetch(_ request: Request) async throws -> Response {
        let admitted = closed.withLock { closed in
            // Counted under the same lock that shutdown sets: a call let in is a call it waits for.
            if !closed { inFlight.increment() }
            return !closed
        }
        guard admitted else { throw FetchError(code: .connectFailed, message: "the in-process runtime is shut down") }
        defer { inFlight.decrement() }
        let requestID = ids.next()
        let ctx = ExecutionContext(requestID: requestID, tracker: background)
        var response = try await worker.fetch(request, env: env, ctx: ctx)
        if !response.headers.contains("x-request-id") { response.headers.add("x-request-id", requestID) }
        return response
    }

    /// Stops taking requests, then waits up to `timeout` for those in flight to answer and for
    /// `waitUntil` work to finish; `true` if everything finished in time. Calling it again waits again.
    /// - Important: a response body still being read when the caller then shuts the event loops
    ///   down stalls: read or cancel bodies first.
    @discardableResult
    public func shutdown(timeout: Duration = .seconds(30)) async -> Bool {
        closed.withLock { $0 = true }
        let inFlight = self.inFlight
        let background = self.background
        return await finishes(within: timeout) {
            await inFlight.waitForZero()
            await background.idle()
        }
    }
}
