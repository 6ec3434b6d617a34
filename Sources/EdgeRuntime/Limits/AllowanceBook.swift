/// The allowances one instance holds (``AllowancePolicy``), by the Redis key of their rule, and the calls
/// admitted from them. Plain state: ``RedisLimits`` keeps it under a lock.
struct AllowanceBook {
    struct Allowance {
        /// The allowance's holder name in Redis (its quota reservation is `r:<id>`).
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

    private(set) var allowances: [String: Allowance] = [:]
    /// Rule keys with an allowance asked for and not yet answered (one request asks at a time).
    var requested: Set<String> = []

    /// Admits `holder` from the allowances of `keys` (the rules' Redis keys) when every rule has a
    /// live one with room, taking a place or the call's reservation from each; `nil` (nothing
    /// taken) otherwise.
    mutating func admit(
        _ rules: [LimitRule], keys: [String], holder: String, now: ContinuousClock.Instant
    ) -> LimitDecision? {
        // Each key hashed once: this runs for every call while allowances last.
        var found: [Dictionary<String, Allowance>.Index] = []
        found.reserveCapacity(rules.count)
        for (rule, key) in zip(rules, keys) {
            guard let index = allowances.index(forKey: key) else { return nil }
            let allowance = allowances.values[index]
            guard allowance.kind == rule.kind, now < allowance.deadline, allowance.units >= Self.need(rule) else {
                return nil
            }
            found.append(index)
        }
        var states: [LimitDecision.RuleState] = []
        states.reserveCapacity(rules.count)
        for (rule, index) in zip(rules, found) {
            let need = Self.need(rule)
            allowances.values[index].units -= need
            allowances.values[index].remaining = max(0, allowances.values[index].remaining - max(need, 1))
            if rule.kind == .quota { allowances.values[index].inFlight[holder] = need }
            let allowance = allowances.values[index]
            states.append(.init(rule: rule, remaining: allowance.remaining, reset: .zero, window: allowance.window))
        }
        return LimitDecision(admitted: true, refusedRule: nil, states: states)
    }

    /// A call takes one place of a rate, its reservation of a quota.
    static func need(_ rule: LimitRule) -> Int { rule.kind == .quota ? rule.reserve : 1 }

    /// Puts `allowance` in the book for `key`; returns the allowance it replaces, to be closed.
    mutating func install(_ allowance: Allowance, for key: String) -> Allowance? {
        allowances.updateValue(allowance, forKey: key)
    }

    /// Takes allowance `id` out of the book (its time is up), if it is still there.
    mutating func remove(_ key: String, id: String) -> Allowance? {
        guard allowances[key]?.id == id else { return nil }
        return allowances.removeValue(forKey: key)
    }

    /// Takes every allowance out of the book.
    mutating func removeAll() -> [Allowance] {
        defer { allowances = [:] }
        return Array(allowances.values)
    }

    /// Settles `holder`'s reservation in the allowance it was admitted from, if that allowance is still
    /// open; `false` when the settlement is Redis's to make.
    mutating func settle(_ key: String, window: Int64, holder: String, actual: Int) -> Bool {
        guard let index = allowances.index(forKey: key), allowances.values[index].window == window,
            allowances.values[index].inFlight.removeValue(forKey: holder) != nil
        else { return false }
        allowances.values[index].settled += actual
        return true
    }

    /// What a quota allowance sends Redis when it closes: its reservation settled to what its calls
    /// used, counting those still running at their reservations, which become their own (they
    /// settle in Redis when they end). A rate allowance sends nothing: its unused places lapse.
    static func closing(_ allowance: Allowance) -> [Settlement] {
        guard allowance.kind == .quota else { return [] }
        let running = allowance.inFlight.sorted { $0.key < $1.key }
        let used = allowance.settled + running.reduce(0) { $0 + $1.value }
        return [Settlement(key: allowance.settlementKey, op: "s", holder: allowance.id, units: used)]
            + running.map { Settlement(key: allowance.settlementKey, op: "h", holder: $0.key, units: $0.value) }
    }
}
