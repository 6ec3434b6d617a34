import EdgeRuntime

/// A reply still being produced on a task of its own, awaited with a deadline: lets the relay
/// answer a slow stream's client with a head (and keep-alive comments) before the upstream has
/// answered, while the call goes on.
///
/// The task runs on the caller's event loop when it has one (no thread hop), and deadlines come
/// from the shared ``KeepAliveClock``. A reply nobody will read (the client went away) is
/// abandoned: its body is run into an output that refuses every write, so the relay behind it
/// cancels the upstream transfer and reports its outcome as incomplete.
final class PendingReply: Sendable {
    typealias Outcome = Result<Response, any Error>

    private struct State {
        var outcome: Outcome?
        var waiter: CheckedContinuation<Outcome?, Never>?
        /// The clock entry of the wait in progress.
        var deadline: Int?
        var abandoned = false
    }

    private let state = LockedValue(State())
    private let task: Task<Void, Never>
    private let clock: KeepAliveClock

    init(clock: KeepAliveClock, _ work: @escaping @Sendable () async throws -> Response) {
        self.clock = clock
        let state = self.state
        task = Task(executorPreference: ExecutionContext.currentExecutor) {
            let outcome: Outcome
            do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
            let (waiter, deadline, abandoned) = state.withLock { current in
                current.outcome = outcome
                defer { (current.waiter, current.deadline) = (nil, nil) }
                return (current.waiter, current.deadline, current.abandoned)
            }
            if let deadline { clock.cancel(deadline) }
            if abandoned, case .success(let reply) = outcome { await Self.discard(reply) }
            waiter?.resume(returning: outcome)
        }
    }

    /// The reply or the error it failed with; `nil` when `interval` passes first (the work goes on).
    func outcome(within interval: Duration) async -> Outcome? {
        await withCheckedContinuation { continuation in
            let ready: Outcome?? = state.withLock { current in
                guard current.outcome == nil else { return .some(current.outcome) }
                current.waiter = continuation
                return nil
            }
            if let ready { return continuation.resume(returning: ready) }
            let state = self.state
            let deadline = clock.schedule(after: interval) {
                let late = state.withLock { current -> CheckedContinuation<Outcome?, Never>? in
                    defer { (current.waiter, current.deadline) = (nil, nil) }
                    return current.waiter
                }
                late?.resume(returning: nil)
            }
            let finished = state.withLock { current in
                guard current.waiter != nil else { return true }
                current.deadline = deadline
                return false
            }
            if finished { clock.cancel(deadline) }
        }
    }

    /// Cancels the work; a reply it still produces is discarded.
    func abandon() {
        let finished = state.withLock { current -> Outcome? in
            current.abandoned = true
            return current.outcome
        }
        task.cancel()
        if case .success(let reply) = finished { Task { await Self.discard(reply) } }
    }

    /// Runs `reply`'s body into an output that refuses it: the relay behind it stops its upstream.
    private static func discard(_ reply: Response) async {
        try? await reply.body.write(to: BodyOutput { _ in throw CancellationError() })
    }
}
