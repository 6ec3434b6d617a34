import EdgeRuntime

/// The cacheable calls this instance has upstream right now, by cache storage key: an identical
/// call (same key, so same scope) that arrives meanwhile follows the leader instead of going
/// upstream too.
final class InFlightCalls: Sendable {
    enum Role {
        case leader(SharedReply)
        case follower(SharedReply)
    }

    private let calls = LockedValue<[String: SharedReply]>([:])

    /// Joins the call in flight under `key`, or registers a new one with the caller as leader.
    func enter(_ key: String) -> Role {
        calls.withLock { calls in
            if let shared = calls[key], shared.join() { return .follower(shared) }
            let shared = SharedReply()
            calls[key] = shared
            return .leader(shared)
        }
    }

    /// Removes the leader's call (once its reply is over or it failed); later calls go to the cache.
    func leave(_ key: String, _ shared: SharedReply) {
        shared.close()
        calls.withLock { calls in
            if calls[key] === shared { calls[key] = nil }
        }
    }

    /// How many calls are in flight (for tests and metrics).
    var count: Int { calls.withLock { $0.count } }
}
