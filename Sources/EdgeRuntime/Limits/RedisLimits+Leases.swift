/// The leases of ``RedisLimits``: granted with an admission, kept in its ``LeaseBook``, closed
/// when their time is up or a newer lease replaces them.
extension RedisLimits {
    /// The lease Redis granted with an admission of `rule`. It lasts the policy's duration from
    /// `sent` (before Redis's clock read the time the places are recorded at), a quota's at most
    /// until its window ends (`nextFree` is the time left in it).
    func lease(
        of rule: LimitRule, id: String, units: Int, state: LimitDecision.RuleState, nextFree: Int,
        sent: ContinuousClock.Instant
    ) -> LeaseBook.Lease {
        var length = leases.duration
        var settlementKey = prefix + rule.key
        if rule.kind == .quota, let window = state.window {
            length = min(length, .milliseconds(nextFree))
            settlementKey += ":" + String(window)
        }
        return LeaseBook.Lease(
            id: id, kind: rule.kind, window: state.window, settlementKey: settlementKey, deadline: sent + length,
            units: units, remaining: state.remaining)
    }

    /// Puts granted leases in the book, closes those they replace, and closes each in its turn.
    func install(_ granted: [(key: String, lease: LeaseBook.Lease)]) {
        let replaced = book.withLock { book in granted.compactMap { book.install($0.lease, for: $0.key) } }
        for lease in replaced { close(lease) }
        for (key, lease) in granted {
            Task {
                try? await Task.sleep(until: lease.deadline, clock: .continuous)
                if let ended = self.book.withLock({ $0.remove(key, id: lease.id) }) { self.close(ended) }
            }
        }
    }

    /// Settles a closed quota lease in Redis (with the next batch of settlements).
    func close(_ lease: LeaseBook.Lease) {
        let entries = LeaseBook.closing(lease)
        if !entries.isEmpty { enqueue(entries, waiter: nil) }
    }
}
