import EdgeRuntime

/// Takes a leader's call out of the registry and gives its fleet lease back, once: when its
/// reply is over, when it failed, or — if its body is never run (its client left before the
/// head) — when the body is dropped, so followers are never left waiting.
final class LeaderExit: Sendable {
    private let inFlight: InFlightCalls
    private let key: String
    private let shared: SharedReply
    private let state = LockedValue<(done: Bool, lease: FleetLease?)>((false, nil))

    init(inFlight: InFlightCalls, key: String, shared: SharedReply) {
        self.inFlight = inFlight
        self.key = key
        self.shared = shared
    }

    var lease: FleetLease? {
        get { state.withLock { $0.lease } }
        set { state.withLock { $0.lease = newValue } }
    }

    func now() {
        let lease = state.withLock { current -> FleetLease?? in
            guard !current.done else { return nil }
            current.done = true
            return .some(current.lease)
        }
        guard let lease else { return }
        shared.end(CancellationError())  // no-op when it has ended already
        inFlight.leave(key, shared)
        if let lease { Task { await lease.release() } }
    }

    deinit { now() }
}
