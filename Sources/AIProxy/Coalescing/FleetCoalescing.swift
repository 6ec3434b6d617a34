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
        var leaseGoneAt: ContinuousClock.Instant?
        while true {
            if leaseGoneAt == nil {
                do {
                    if try await limits.admit([rule], holder: holder).admitted {
                        guard poll > Self.firstPoll else {
                            return .lead(FleetLease(rule: rule, holder: holder, limits: limits))
                        }
                        // Someone held it while this call waited: its entry may still be landing.
                        leaseGoneAt = .now
                        continue
                    }
                } catch {
                    logger.warning("request \(holder): coalescing lease unavailable, going upstream alone: \(error)")
                    return .lead(nil)
                }
            }
            if let entry = await cache.lookup(key, maxAge: maxAge) {
                if leaseGoneAt != nil { try? await limits.release([rule], holder: holder) }
                return .entry(entry)
            }
            if let gone = leaseGoneAt, ContinuousClock.now - gone >= Self.grace {
                return .lead(FleetLease(rule: rule, holder: holder, limits: limits))
            }
            try await Task.sleep(for: poll)
            poll = min(poll * 2, Self.maxPoll)
        }
    }
}
