import Dispatch
import EdgeRuntime

/// A reply still being produced on a task of its own, awaited with a deadline: lets the relay
/// answer a slow stream's client with a head (and keep-alive comments) before the upstream has
/// answered, while the call goes on.
///
/// A reply nobody will read (the client went away) is abandoned: its body is run into an output
/// that refuses every write, so the relay behind it cancels the upstream transfer and reports
/// its outcome as incomplete.
final class PendingReply: Sendable {
    typealias Outcome = Result<Response, any Error>

    private struct State {
        var outcome: Outcome?
        var waiter: CheckedContinuation<Outcome?, Never>?
        /// Which wait a deadline belongs to: a late timer must not resume a later wait.
        var wait = 0
        var abandoned = false
    }

    private let state = LockedValue(State())
    private let task = LockedValue<Task<Void, Never>?>(nil)

    init(_ work: @escaping @Sendable () async throws -> Response) {
        let state = self.state
        task.withLock {
            $0 = Task {
                let outcome: Outcome
                do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
                let (waiter, abandoned) = state.withLock { current in
                    current.outcome = outcome
                    defer { current.waiter = nil }
                    return (current.waiter, current.abandoned)
                }
                if abandoned, case .success(let reply) = outcome { await Self.discard(reply) }
                waiter?.resume(returning: outcome)
            }
        }
    }

    /// The reply or the error it failed with; `nil` when `interval` passes first (the work goes on).
    func outcome(within interval: Duration) async -> Outcome? {
        await withCheckedContinuation { continuation in
            let wait: Int? = state.withLock { current in
                guard current.outcome == nil else { return nil }
                current.wait += 1
                current.waiter = continuation
                return current.wait
            }
            guard let wait else { return continuation.resume(returning: state.withLock { $0.outcome }) }
            let (seconds, attoseconds) = interval.components
            let deadline =
                DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
            DispatchQueue.global().asyncAfter(deadline: deadline) { [state] in
                let late = state.withLock { current -> CheckedContinuation<Outcome?, Never>? in
                    guard current.wait == wait, let waiter = current.waiter else { return nil }
                    current.waiter = nil
                    return waiter
                }
                late?.resume(returning: nil)
            }
        }
    }

    /// Cancels the work; a reply it still produces is discarded.
    func abandon() {
        let finished = state.withLock { current -> Outcome? in
            current.abandoned = true
            return current.outcome
        }
        task.withLock { $0?.cancel() }
        if case .success(let reply) = finished { Task { await Self.discard(reply) } }
    }

    /// Runs `reply`'s body into an output that refuses it: the relay behind it stops its upstream.
    private static func discard(_ reply: Response) async {
        try? await reply.body.write(to: BodyOutput { _ in throw CancellationError() })
    }
}
