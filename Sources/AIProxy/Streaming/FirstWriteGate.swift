import EdgeRuntime

/// Who writes to a stream's client: keep-alive comments until the stream's own first write
/// claims the output, then only the stream. A claim made while a comment is being written waits
/// for it, so two writes are never in flight at once.
final class FirstWriteGate: Sendable {
    private struct State {
        var claimed = false
        var commenting = false
        var waiter: CheckedContinuation<Void, Never>?
        /// The clock entry of the next comment.
        var timer: Int?
    }

    private let state = LockedValue(State())

    /// Records the next comment's clock entry; `false` when the output is already claimed.
    func armed(_ timer: Int) -> Bool {
        state.withLock { current in
            guard !current.claimed else { return false }
            current.timer = timer
            return true
        }
    }

    /// Whether a comment may be written now (the stream hasn't claimed the output).
    func beginComment() -> Bool {
        state.withLock { current in
            current.timer = nil
            guard !current.claimed else { return false }
            current.commenting = true
            return true
        }
    }

    /// The comment is written; returns whether another may follow (the output is unclaimed).
    func endComment() -> Bool {
        let (waiter, unclaimed) = state.withLock { current in
            current.commenting = false
            defer { current.waiter = nil }
            return (current.waiter, !current.claimed)
        }
        waiter?.resume()
        return unclaimed
    }

    /// Takes the output for the stream, after the comment being written, if any. Returns the
    /// clock entry of a comment no longer wanted (the first claim only).
    func claim() async -> Int? {
        let (first, mustWait, timer) = state.withLock { current in
            defer { (current.claimed, current.timer) = (true, nil) }
            return (!current.claimed, current.commenting, current.timer)
        }
        guard first else { return nil }
        if mustWait {
            await withCheckedContinuation { continuation in
                let now = state.withLock { current in
                    guard current.commenting else { return true }
                    current.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        }
        return timer
    }
}
