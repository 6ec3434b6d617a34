/// Whether calls to a shared dependency should be tried, from how recent calls went.
///
/// Closed: calls go through, and `failureThreshold` failures in a row open it. Open: calls fail
/// at once — a hung server then costs a check, not a timeout per call — while a background probe
/// asks whether the dependency is back; the probe's success closes it. A value type with time
/// passed in, so its transitions are tested without sockets or sleeps.
struct CircuitBreaker: Sendable, Equatable {
    enum State: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(since: Double)
    }

    /// What changed, for the one log line per transition.
    enum Transition: Sendable, Equatable {
        case opened
        case closed(downFor: Double)
    }

    let failureThreshold: Int
    private(set) var state = State.closed(consecutiveFailures: 0)

    init(failureThreshold: Int = 3) {
        self.failureThreshold = max(1, failureThreshold)
    }

    /// Whether calls should fail fast.
    var isOpen: Bool {
        if case .open = state { return true }
        return false
    }

    /// Since when the breaker is open, if it is.
    var openSince: Double? {
        if case .open(let since) = state { return since }
        return nil
    }

    /// Records a call's outcome; the failure that reaches the threshold opens the breaker.
    mutating func record(success: Bool, now: Double) -> Transition? {
        // A call that started before the breaker opened says nothing new: only probes close it.
        guard case .closed(let failures) = state else { return nil }
        if success {
            state = .closed(consecutiveFailures: 0)
            return nil
        }
        guard failures + 1 >= failureThreshold else {
            state = .closed(consecutiveFailures: failures + 1)
            return nil
        }
        state = .open(since: now)
        return .opened
    }

    /// A probe's outcome: success closes an open breaker; failure keeps it open.
    mutating func recordProbe(success: Bool, now: Double) -> Transition? {
        guard case .open(let since) = state, success else { return nil }
        state = .closed(consecutiveFailures: 0)
        return .closed(downFor: now - since)
    }
}
