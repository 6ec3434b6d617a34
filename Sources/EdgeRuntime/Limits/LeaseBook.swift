/// The leases one instance holds (``LeasePolicy``), by the Redis key of their rule, and the calls
/// admitted from them. Plain state: ``RedisLimits`` keeps it under a lock.
struct LeaseBook {
    struct Lease {
        /// The lease's holder name in Redis (its quota reservation is `r:<id>`).
        let id: String
        let kind: LimitRule.Kind
        /// For a quota: the window its units are in, and the key they are counted under.
        let window: Int64?
        let settlementKey: String
        /// Until when calls may be admitted from it.
        let deadline: ContinuousClock.Instant
        /// Calls (a rate) or units (a quota) left to admit.
        var units: Int
        /// Places left in the rule as the grant saw them, less what was handed out since (for
        /// the rate-limit headers).
        var remaining: Int
        /// What the calls admitted from it used, as they settle.
        var settled = 0
        /// Calls admitted from it that haven't settled, with their reservations.
        var inFlight: [String: Int] = [:]
    }

    /// An entry of the settle script: `s` settles `holder`'s reservation to `units`; `h` makes
    /// `units` a reservation of `holder` without counting them again.
    struct Settlement: Equatable {
        var key: String
        var op: String
        var holder: String
        var units: Int
    }

    private(set) var leases: [String: Lease] = [:]
    /// Rule keys with a lease asked for and not yet answered (one request asks at a time).
    var requested: Set<String> = []

    /// Admits `holder` from the leases of `keys` (the rules' Redis keys) when every rule has a
    /// live one with room, taking a place or the call's reservation from each; `nil` (nothing
    /// taken) otherwise.
    mutating func admit(
        _ rules: [LimitRule], keys: [String], holder: String, now: ContinuousClock.Instant
    ) -> LimitDecision? {
        for (rule, key) in zip(rules, keys) {
            guard let lease = leases[key], lease.kind == rule.kind, now < lease.deadline,
                lease.units >= Self.need(rule)
            else { return nil }
        }
        var states: [LimitDecision.RuleState] = []
        for (rule, key) in zip(rules, keys) {
            let need = Self.need(rule)
            leases[key]!.units -= need
            leases[key]!.remaining = max(0, leases[key]!.remaining - max(need, 1))
            if rule.kind == .quota { leases[key]!.inFlight[holder] = need }
            let lease = leases[key]!
            states.append(.init(rule: rule, remaining: lease.remaining, reset: .zero, window: lease.window))
        }
        return LimitDecision(admitted: true, refusedRule: nil, states: states)
    }

    /// A call takes one place of a rate, its reservation of a quota.
    static func need(_ rule: LimitRule) -> Int { rule.kind == .quota ? rule.reserve : 1 }

    /// Puts `lease` in the book for `key`; returns the lease it replaces, to be closed.
    mutating func install(_ lease: Lease, for key: String) -> Lease? {
        leases.updateValue(lease, forKey: key)
    }

    /// Takes lease `id` out of the book (its time is up), if it is still there.
    mutating func remove(_ key: String, id: String) -> Lease? {
        guard leases[key]?.id == id else { return nil }
        return leases.removeValue(forKey: key)
    }

    /// Settles `holder`'s reservation in the lease it was admitted from, if that lease is still
    /// open; `false` when the settlement is Redis's to make.
    mutating func settle(_ key: String, window: Int64, holder: String, actual: Int) -> Bool {
        guard leases[key]?.window == window, leases[key]?.inFlight.removeValue(forKey: holder) != nil else {
            return false
        }
        leases[key]!.settled += actual
        return true
    }

    /// What a quota lease sends Redis when it closes: its reservation settled to what its calls
    /// used, counting those still running at their reservations, which become their own (they
    /// settle in Redis when they end). A rate lease sends nothing: its unused places lapse.
    static func closing(_ lease: Lease) -> [Settlement] {
        guard lease.kind == .quota else { return [] }
        let running = lease.inFlight.sorted { $0.key < $1.key }
        let used = lease.settled + running.reduce(0) { $0 + $1.value }
        return [Settlement(key: lease.settlementKey, op: "s", holder: lease.id, units: used)]
            + running.map { Settlement(key: lease.settlementKey, op: "h", holder: $0.key, units: $0.value) }
    }
}
