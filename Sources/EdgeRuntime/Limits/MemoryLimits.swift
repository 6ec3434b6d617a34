/// ``LimitsNamespace`` in this process: exact for one instance (local development, a single
/// server); a fleet needs ``RedisLimits``.
public final class MemoryLimits: LimitsNamespace {
    private struct State {
        /// Admission times (ms), oldest first, per rate key.
        var admissions: [String: [Int64]] = [:]
        /// Lease expiry (ms) per holder, per concurrency key.
        var leases: [String: [String: Int64]] = [:]
        /// Units used and each holder's reservation, per quota key and window start.
        var quotas: [String: Quota] = [:]
    }

    private struct Quota {
        var used = 0
        var reservations: [String: Int] = [:]
    }

    private static func quotaKey(_ rule: LimitRule, _ window: QuotaWindow) -> String { "\(rule.key)@\(window.start)" }

    private let state = LockedValue(State())
    private let clock: any WallClock

    public init(clock: any WallClock = SystemWallClock()) {
        self.clock = clock
    }

    private var nowMilliseconds: Int64 { Int64((clock.now() * 1000).rounded(.down)) }

    public func admit(_ rules: [LimitRule], holder: String) async throws -> LimitDecision {
        let now = nowMilliseconds
        return state.withLock { state in
            var counts: [Int] = []
            // Check every rule before counting anything: all or nothing.
            for (index, rule) in rules.enumerated() {
                let count = Self.prune(&state, rule, now: now)
                counts.append(count)
                if count >= rule.limit {
                    let states = rules.enumerated().map { other in
                        Self.ruleState(
                            state, other.element, count: other.offset < counts.count ? counts[other.offset] : nil,
                            now: now)
                    }
                    return LimitDecision(admitted: false, refusedRule: index, states: states)
                }
            }
            for rule in rules {
                switch rule.kind {
                case .rate: state.admissions[rule.key, default: []].append(now)
                case .concurrency: state.leases[rule.key, default: [:]][holder] = now + rule.window.milliseconds
                case .quota:
                    let key = Self.quotaKey(rule, QuotaWindow(now: now, size: rule.window))
                    state.quotas[key, default: Quota()].used += rule.reserve
                    state.quotas[key, default: Quota()].reservations[holder, default: 0] += rule.reserve
                }
            }
            return LimitDecision(
                admitted: true, refusedRule: nil, states: rules.map { Self.ruleState(state, $0, count: nil, now: now) })
        }
    }

    public func release(_ rules: [LimitRule], holder: String) async throws {
        state.withLock { state in
            for rule in rules where rule.kind == .concurrency { state.leases[rule.key]?[holder] = nil }
        }
    }

    public func renew(_ rules: [LimitRule], holder: String) async throws {
        let now = nowMilliseconds
        state.withLock { state in
            for rule in rules where rule.kind == .concurrency && state.leases[rule.key]?[holder] != nil {
                state.leases[rule.key]?[holder] = now + rule.window.milliseconds
            }
        }
    }

    public func settle(_ settlements: [QuotaSettlement], holder: String) async throws {
        state.withLock { state in
            for settlement in settlements {
                let key = "\(settlement.rule.key)@\(settlement.window)"
                guard let reserved = state.quotas[key]?.reservations.removeValue(forKey: holder) else { continue }
                state.quotas[key]?.used += settlement.actual - reserved
            }
        }
    }

    public func used(_ rule: LimitRule) async throws -> Int {
        let now = nowMilliseconds
        return state.withLock { $0.quotas[Self.quotaKey(rule, QuotaWindow(now: now, size: rule.window))]?.used ?? 0 }
    }

    /// Drops what has left the window (admissions) or lapsed (leases); returns what is left
    /// (for a quota: what is used, with this admission's reservation if it fits, `limit` if not).
    private static func prune(_ state: inout State, _ rule: LimitRule, now: Int64) -> Int {
        switch rule.kind {
        case .quota:
            let used = state.quotas[quotaKey(rule, QuotaWindow(now: now, size: rule.window))]?.used ?? 0
            return used + rule.reserve > rule.limit ? rule.limit : used
        case .rate:
            let since = now - rule.window.milliseconds
            state.admissions[rule.key]?.removeAll { $0 <= since }
            return state.admissions[rule.key]?.count ?? 0
        case .concurrency:
            state.leases[rule.key] = state.leases[rule.key]?.filter { $0.value > now }
            return state.leases[rule.key]?.count ?? 0
        }
    }

    private static func ruleState(_ state: State, _ rule: LimitRule, count: Int?, now: Int64) -> LimitDecision.RuleState
    {
        let used: Int
        let nextFree: Int64?
        switch rule.kind {
        case .rate:
            let times = state.admissions[rule.key] ?? []
            used = count ?? times.count
            nextFree = times.first.map { $0 + rule.window.milliseconds }
        case .concurrency:
            let leases = state.leases[rule.key] ?? [:]
            used = count ?? leases.count
            nextFree = leases.values.min()
        case .quota:
            let window = QuotaWindow(now: now, size: rule.window)
            let counted = state.quotas[quotaKey(rule, window)]?.used ?? 0
            let refused = count.map { $0 >= rule.limit } ?? false
            let full = refused || counted >= rule.limit
            return LimitDecision.RuleState(
                rule: rule, remaining: refused ? 0 : max(0, rule.limit - counted),
                reset: full ? .milliseconds(window.end - now) : .zero,
                window: window.start)
        }
        let reset = used >= rule.limit ? max(0, (nextFree ?? now) - now) : 0
        return LimitDecision.RuleState(rule: rule, remaining: max(0, rule.limit - used), reset: .milliseconds(reset))
    }
}

extension Duration {
    /// Whole milliseconds (rounded down).
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
