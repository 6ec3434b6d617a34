import EdgeRuntime

/// Coalescing across instances: the instance whose call takes a short lease on the cache key
/// (a one-holder concurrency rule in the `LIMITS` binding — Redis for a fleet) goes upstream;
/// the others poll the cache until its entry appears and answer from it.
///
/// A lease that ends without an entry (the leader failed, or its reply could not be cached) is
/// taken by a waiting instance, which leads in turn — after a short grace for a cache write
/// still landing — so at most one call per instance goes upstream. The lease lapses by itself
/// if its holder dies; a live holder renews it.
struct FleetCoalescing: Sendable {
    static let leaseTTL = Duration.seconds(30)
    static let renewal = Duration.seconds(10)
    /// How long a lease may be gone with no entry before the waiter gives up on the entry.
    static let grace = Duration.milliseconds(300)
    static let firstPoll = Duration.milliseconds(5)
    static let maxPoll = Duration.milliseconds(100)

    let limits: any LimitsNamespace
    let cache: EncryptedCache
    let logger: Logger

    /// What a call does about the fleet.
    enum Turn {
        /// Go upstream: this call holds the lease (or the store could not say, and it goes alone).
        case lead(FleetLease?)
        /// Another instance's call answered; its entry.
        case entry(CacheEntry)
    }

    /// Takes the lease, or waits for the entry while another instance holds it.
    func turn(for key: CacheKey, maxAge: Int?, holder: String) async throws -> Turn {
        let rule = LimitRule.concurrency("coalesce:" + key.hashPrefix, limit: 1, leaseTTL: Self.leaseTTL)
        var poll = Self.firstPoll
        var waited = false
        while true {
            switch await takeLease(rule, holder: holder) {
            case nil:
                return .lead(nil)
            case true?:
                let lease = FleetLease(rule: rule, holder: holder, limits: limits)
                // Someone held it while this call waited: its entry may still be landing.
                return waited ? try await entryWithinGrace(key, maxAge: maxAge, lease: lease, poll: poll) : .lead(lease)
            case false?:
                if let entry = await cache.lookup(key, maxAge: maxAge) { return .entry(entry) }
            }
            waited = true
            try await Task.sleep(for: poll)
            poll = min(poll * 2, Self.maxPoll)
        }
    }

    /// The lease, or `nil` when the store can't say (the call then goes upstream alone).
    private func takeLease(_ rule: LimitRule, holder: String) async -> Bool? {
        do {
            return try await limits.admit([rule], holder: holder).admitted
        } catch {
            logger.warning("request \(holder): coalescing lease unavailable, going upstream alone: \(error)")
            return nil
        }
    }

    /// The entry, if it lands within ``grace`` (the lease given back); else this call leads with it.
    private func entryWithinGrace(_ key: CacheKey, maxAge: Int?, lease: FleetLease, poll: Duration) async throws
        -> Turn
    {
        let deadline = ContinuousClock.now + Self.grace
        var poll = poll
        do {
            while true {
                if let entry = await cache.lookup(key, maxAge: maxAge) {
                    await lease.release()
                    return .entry(entry)
                }
                guard ContinuousClock.now < deadline else { return .lead(lease) }
                try await Task.sleep(for: poll)
                poll = min(poll * 2, Self.maxPoll)
            }
        } catch {
            await lease.release()
            throw error
        }
    }
}
