/// ``LimitsNamespace`` on Redis: every rule of a request checked and counted by one Lua script
/// (one round trip, `EVALSHA`), with Redis's own clock (`TIME`), so limits hold exactly across a
/// fleet. Rates are sorted sets of admission times, concurrency sorted sets of leases by expiry;
/// every key expires with its window, so nothing is left to clean up.
///
/// While a rate or quota is far from its limit, an admission also takes an allowance of a few more
/// places (``AllowancePolicy``), and the instance admits the next calls from it without a round trip;
/// allowances are counted in Redis when granted, so they never let the fleet pass a limit.
///
/// Settlements are batched: `settle` waits at most ``settleDelay`` (or until ``settleBatch`` are
/// waiting) and one script applies every settlement made meanwhile, so a metered call costs one
/// round trip on its way in and a share of one on its way out — and the admission script, which a
/// caller waits for, does no settling. Until then the reservation — a worst case — stands, which
/// can refuse a call early but never admit one too many.
public final class RedisLimits: LimitsNamespace, DependencyHealthReporting {
    public let client: RedisClient
    public let prefix: String
    public let timeout: Duration
    /// How long a settlement waits for others to be applied with.
    public let settleDelay = Duration.milliseconds(20)
    /// Settlements waiting that are applied at once, without waiting out ``settleDelay``.
    public let settleBatch = 64
    /// The allowances an admission asks for.
    public let allowances: AllowancePolicy
    let book = LockedValue(AllowanceBook())

    /// Settlements waiting for their batch, and their callers.
    private struct Pending {
        var keys: [String] = []
        /// An operation, a holder and units per key (``RedisLimitsScripts/settle``).
        var arguments: [String] = []
        var waiters: [CheckedContinuation<Void, any Error>] = []
        var flushScheduled = false
    }
    private let pending = LockedValue(Pending())

    /// - Parameter prefix: keeps these keys apart from others in the same database.
    public init(
        client: RedisClient, prefix: String = "aiproxy:limits:", timeout: Duration = .seconds(2),
        allowances: AllowancePolicy = AllowancePolicy()
    ) {
        self.client = client
        self.prefix = prefix
        self.timeout = timeout
        self.allowances = allowances
    }

    public var health: DependencyHealth { client.health }

    public func admit(_ rules: [LimitRule], holder: String) async throws -> LimitDecision {
        guard !rules.isEmpty else { return LimitDecision(admitted: true, refusedRule: nil, states: []) }
        let keys = rules.map { prefix + $0.key }
        let sent = ContinuousClock.now
        var asking = false
        if allowances.size > 0 && !rules.contains(where: { $0.kind == .concurrency }) {
            let local = book.withLock { book -> LimitDecision? in
                if let decision = book.admit(rules, keys: keys, holder: holder, now: sent) { return decision }
                if !keys.contains(where: book.requested.contains) {
                    book.requested.formUnion(keys)
                    asking = true
                }
                return nil
            }
            if let local { return local }
        }
        defer { if asking { book.withLock { $0.requested.subtract(keys) } } }
        var arguments = [
            holder, String(asking ? allowances.size : 0), String(allowances.divisor),
            String(allowances.duration.milliseconds),
        ]
        for rule in rules {
            let kind =
                switch rule.kind {
                case .rate: "r"
                case .concurrency: "c"
                case .quota: "q"
                }
            let window = rule.kind == .quota ? max(0, rule.window.milliseconds) : max(1, rule.window.milliseconds)
            arguments += [kind, String(rule.limit), String(window), String(rule.reserve)]
        }
        let reply = try await evaluate(RedisLimitsScripts.admit, keys: keys, arguments: arguments)
        guard case .array(let values) = reply, values.count == 1 + 4 * rules.count,
            case .integer(let refused) = values[0]
        else { throw LimitsError(message: "redis: unexpected reply to the admission script") }
        var states: [LimitDecision.RuleState] = []
        var granted: [(key: String, allowance: AllowanceBook.Allowance)] = []
        for (index, rule) in rules.enumerated() {
            guard case .integer(let used) = values[1 + 4 * index], case .integer(let nextFree) = values[2 + 4 * index],
                case .integer(let window) = values[3 + 4 * index], case .integer(let allowed) = values[4 + 4 * index]
            else { throw LimitsError(message: "redis: unexpected reply to the admission script") }
            let reset: Duration = used >= rule.limit ? .milliseconds(nextFree) : .zero
            let state = LimitDecision.RuleState(
                rule: rule, remaining: max(0, rule.limit - used), reset: reset,
                window: rule.kind == .quota ? Int64(window) : nil)
            states.append(state)
            if allowed > 0 {
                granted.append(
                    (
                        keys[index],
                        allowance(
                            of: rule, id: "A" + holder, units: allowed, state: state, nextFree: nextFree, sent: sent)
                    ))
            }
        }
        if !granted.isEmpty { install(granted) }
        return LimitDecision(admitted: refused == 0, refusedRule: refused == 0 ? nil : refused - 1, states: states)
    }

    public func release(_ rules: [LimitRule], holder: String) async throws {
        let leases = rules.filter { $0.kind == .concurrency }
        guard !leases.isEmpty else { return }
        _ = try await evaluate(RedisLimitsScripts.release, keys: leases.map { prefix + $0.key }, arguments: [holder])
    }

    public func renew(_ rules: [LimitRule], holder: String) async throws {
        let leases = rules.filter { $0.kind == .concurrency }
        guard !leases.isEmpty else { return }
        _ = try await evaluate(
            RedisLimitsScripts.renew, keys: leases.map { prefix + $0.key },
            arguments: [holder] + leases.map { String(max(1, $0.window.milliseconds)) })
    }

    /// A call admitted from an allowance still open settles into it (the allowance settles in Redis when
    /// it closes).
    public func settleLocally(_ settlements: [QuotaSettlement], holder: String) -> [QuotaSettlement] {
        book.withLock { book in
            guard !book.allowances.isEmpty else { return settlements }
            return settlements.filter { settlement in
                !book.settle(
                    prefix + settlement.rule.key, window: settlement.window, holder: holder, actual: settlement.actual)
            }
        }
    }

    public func settle(_ settlements: [QuotaSettlement], holder: String) async throws {
        let remote = settleLocally(settlements, holder: holder)
        guard !remote.isEmpty else { return }
        let entries = remote.map {
            AllowanceBook.Settlement(
                key: quotaKey($0.rule, window: $0.window), op: "s", holder: holder, units: $0.actual)
        }
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            enqueue(entries, waiter: waiter)
        }
    }

    /// A quota's Redis key in one window (as the admission script names it).
    func quotaKey(_ rule: LimitRule, window: Int64) -> String { prefix + rule.key + ":" + String(window) }

    /// Queues settle-script entries for the next batch (and `waiter` to resume when it is applied).
    func enqueue(_ entries: [AllowanceBook.Settlement], waiter: CheckedContinuation<Void, any Error>?) {
        let schedule = pending.withLock { pending in
            for entry in entries {
                pending.keys.append(entry.key)
                pending.arguments += [entry.op, entry.holder, String(entry.units)]
            }
            if let waiter { pending.waiters.append(waiter) }
            if pending.keys.count >= settleBatch { return Flush.now }
            defer { pending.flushScheduled = true }
            return pending.flushScheduled ? Flush.alreadyDue : Flush.later
        }
        switch schedule {
        case .alreadyDue: return
        case .now: Task { await flushSettlements(timerFired: false) }
        case .later:
            Task {
                try? await Task.sleep(for: settleDelay)
                await flushSettlements(timerFired: true)
            }
        }
    }

    private enum Flush { case now, later, alreadyDue }

    /// Applies the settlements waiting, in one script. A flush for a full batch leaves the timer's
    /// flush due (it takes whatever is settled meanwhile).
    func flushSettlements(timerFired: Bool) async {
        let (keys, arguments, waiters) = pending.withLock { pending in
            defer {
                (pending.keys, pending.arguments, pending.waiters) = ([], [], [])
                if timerFired { pending.flushScheduled = false }
            }
            return (pending.keys, pending.arguments, pending.waiters)
        }
        guard !keys.isEmpty else { return }
        do {
            _ = try await evaluate(RedisLimitsScripts.settle, keys: keys, arguments: arguments)
            for waiter in waiters { waiter.resume() }
        } catch {
            for waiter in waiters { waiter.resume(throwing: error) }
        }
    }

    public func used(_ rule: LimitRule) async throws -> Int {
        let reply = try await evaluate(
            RedisLimitsScripts.used, keys: [prefix + rule.key], arguments: [String(max(0, rule.window.milliseconds))])
        guard case .integer(let used) = reply else {
            throw LimitsError(message: "redis: unexpected reply to the usage script")
        }
        return used
    }

    /// The script by `EVALSHA` on the shared client; a Redis error as a ``LimitsError``.
    private func evaluate(_ script: RedisScript, keys: [String], arguments: [String]) async throws -> RedisReply {
        do {
            return try await client.evaluate(
                script, keys: keys.map { Array($0.utf8) }, arguments: arguments.map { Array($0.utf8) }, timeout: timeout
            )
        } catch {
            throw LimitsError(message: "redis: \(error.message)", underlying: error)
        }
    }
}
