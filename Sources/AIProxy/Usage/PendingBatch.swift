public import EdgeRuntime

/// Work gathered in memory and written in one step a short while later: the first addition
/// schedules a flush after `delay` in the call's `waitUntil` (so a draining instance still
/// writes it), later ones join the batch. Usage rollups and the recent-events log use it, so a
/// busy instance writes a few times a second, not once per call.
final class PendingBatch<Batch: Sendable>: Sendable {
    private struct State: Sendable {
        var batch: Batch
        var flushScheduled = false
    }

    private let empty: Batch
    private let delay: Duration
    private let write: @Sendable (Batch) async -> Void
    private let state: LockedValue<State>

    init(empty: Batch, delay: Duration, write: @escaping @Sendable (Batch) async -> Void) {
        self.empty = empty
        self.delay = delay
        self.write = write
        state = LockedValue(State(batch: empty))
    }

    /// Changes the pending batch; schedules its flush if none is.
    func add(ctx: ExecutionContext, _ change: (inout Batch) -> Void) {
        let schedule = state.withLock { state in
            change(&state.batch)
            defer { state.flushScheduled = true }
            return !state.flushScheduled
        }
        guard schedule else { return }
        ctx.waitUntil {
            try? await Task.sleep(for: self.delay)
            let batch = self.state.withLock { state in
                defer { state = State(batch: self.empty) }
                return state.batch
            }
            await self.write(batch)
        }
    }
}
