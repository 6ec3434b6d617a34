import CEvent
import FoundationEssentials

/// How late a loop runs a timer: a one-shot libevent timer re-armed every `interval`, whose
/// lateness is the time work on the loop kept it from firing (Node's "event-loop lag").
///
/// Created and armed on the loop thread; ``lag`` may be read from any thread.
final class EventLoopLagProbe: @unchecked Sendable {
    // @unchecked: `timer` and `due` are touched only on the loop thread; `lastLag` is locked.
    private let loop: EventLoop
    private let interval: Duration
    private var timer: OpaquePointer?
    private var due = ContinuousClock.now
    private let lastLag = LockedValue<Duration>(.zero)

    /// Arms the probe on `loop` (from any thread).
    init(loop: EventLoop, interval: Duration = .milliseconds(500)) {
        self.loop = loop
        self.interval = interval
        loop.execute { [self] in
            let pointer = Unmanaged.passUnretained(self).toOpaque()
            timer = event_new(
                loop.base, -1, 0,
                { _, _, pointer in
                    Unmanaged<EventLoopLagProbe>.fromOpaque(pointer!).takeUnretainedValue().fired()
                }, pointer)
            arm()
        }
    }

    deinit {
        if let timer { event_free(timer) }
    }

    /// The lateness of the last firing.
    var lag: Duration { lastLag.withLock { $0 } }

    private func arm() {
        guard let timer else { return }
        due = ContinuousClock.now + interval
        var wait = interval.timevalue
        event_add(timer, &wait)
    }

    private func fired() {
        let late = ContinuousClock.now - due
        lastLag.withLock { $0 = max(late, .zero) }
        arm()
    }
}
