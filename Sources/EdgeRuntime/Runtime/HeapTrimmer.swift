import CSystem
import Dispatch

/// Gives the heap's free memory back to the system once the process has had no open connection
/// (on any of its servers: the proxy's port and the admin port count together) for ``delay``.
/// glibc keeps what a burst of requests freed mapped (its arenas only shrink from the top), so
/// without this an idle instance holds on to tens of MB after a busy minute.
final class HeapTrimmer: Sendable {
    /// The process's: every ``HTTPServer`` reports its connections to it.
    static let shared = HeapTrimmer()

    /// How long the process must stay without connections first.
    let delay: Duration
    private let trim: @Sendable () -> Void
    /// Connections open now, and opened so far (a trim is due only if none opened while it waited).
    private let connections = LockedValue((open: 0, opened: 0))

    init(delay: Duration = .seconds(2), trim: @escaping @Sendable () -> Void = { _ = malloc_trim(0) }) {
        self.delay = delay
        self.trim = trim
    }

    func connectionOpened() {
        connections.withLock {
            $0.open += 1
            $0.opened += 1
        }
    }

    /// When the last open connection closes, trims after ``delay`` unless another one opened meanwhile.
    func connectionClosed() {
        let (open, seen) = connections.withLock { state in
            state.open -= 1
            return (state.open, state.opened)
        }
        guard open == 0 else { return }
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .milliseconds(Int(delay.milliseconds))) {
            [self] in
            if connections.withLock({ $0.opened }) == seen { trim() }
        }
    }
}
