import CSystem
import Dispatch

/// Gives the heap's free memory back to the system once the server has had no connection for
/// ``delay``. glibc keeps what a burst of requests freed mapped (its arenas only shrink from the
/// top), so without this an idle instance holds on to tens of MB after a busy minute.
final class HeapTrimmer: Sendable {
    /// How long the server must stay without connections first.
    let delay: Duration
    private let trim: @Sendable () -> Void
    /// Connections opened so far; a trim is due only if none opened while it waited.
    private let opened = LockedValue(0)

    init(delay: Duration = .seconds(2), trim: @escaping @Sendable () -> Void = { _ = malloc_trim(0) }) {
        self.delay = delay
        self.trim = trim
    }

    func connectionOpened() { opened.withLock { $0 += 1 } }

    /// The last connection closed: trims after ``delay`` unless another one opened meanwhile.
    func serverBecameQuiet() {
        let seen = opened.withLock { $0 }
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .milliseconds(Int(delay.milliseconds))) {
            [self] in
            if opened.withLock({ $0 }) == seen { trim() }
        }
    }
}
