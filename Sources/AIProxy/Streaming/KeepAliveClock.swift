import Dispatch
import EdgeRuntime

/// One coarse clock for every stream waiting to be kept alive: a repeating timer whose tick (a
/// quarter of the keep-alive interval, at most 250 ms) fires what is due. A stream that starts in
/// time costs a registry entry added and removed, not a timer, a task or a sleep of its own.
final class KeepAliveClock: Sendable {
    private struct Due {
        var deadline: ContinuousClock.Instant
        var fire: @Sendable () -> Void
    }

    private let entries = LockedValue<(next: Int, due: [Int: Due])>((0, [:]))
    nonisolated(unsafe) private let timer: any DispatchSourceTimer

    init(interval: Duration) {
        let (seconds, attoseconds) = (min(interval / 4, .milliseconds(250))).components
        let tick = max(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000), 5_000_000)
        timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(
            deadline: .now() + .nanoseconds(tick), repeating: .nanoseconds(tick), leeway: .nanoseconds(tick / 10))
        let entries = self.entries
        timer.setEventHandler {
            let now = ContinuousClock.now
            let fired = entries.withLock { entries -> [@Sendable () -> Void] in
                let due = entries.due.filter { $0.value.deadline <= now }
                for id in due.keys { entries.due[id] = nil }
                return due.values.map(\.fire)
            }
            for fire in fired { fire() }
        }
        timer.resume()
    }

    deinit { timer.cancel() }

    /// Calls `fire` once, about `delay` from now, unless cancelled first; returns its id.
    func schedule(after delay: Duration, _ fire: @escaping @Sendable () -> Void) -> Int {
        let deadline = ContinuousClock.now + delay
        return entries.withLock { entries in
            entries.next += 1
            entries.due[entries.next] = Due(deadline: deadline, fire: fire)
            return entries.next
        }
    }

    func cancel(_ id: Int) {
        _ = entries.withLock { $0.due.removeValue(forKey: id) }
    }
}
