/// ``LimitsNamespace`` on Redis: every rule of a request checked and counted by one Lua script
/// (one round trip, `EVALSHA`), with Redis's own clock (`TIME`), so limits hold exactly across a
/// fleet. Rates are sorted sets of admission times, concurrency sorted sets of leases by expiry;
/// every key expires with its window, so nothing is left to clean up.
///
/// Settlements ride along: `settle` waits for this instance's next admission (at most
/// ``settleDelay``) and is applied by the same script just before it, so a metered call costs one
/// round trip, not two. Until then the reservation — a worst case — stands, which can refuse a
/// call early but never admit one too many.
public final class RedisLimits: LimitsNamespace, DependencyHealthReporting {
    public let client: RedisClient
    public let prefix: String
    public let timeout: Duration
    /// How long a settlement waits for an admission to ride along with.
    public let settleDelay = Duration.milliseconds(20)

    /// Settlements waiting for the next admission, and their callers.
    private struct Pending {
        var keys: [String] = []
        /// A holder and actual units per key.
        var arguments: [String] = []
        var waiters: [CheckedContinuation<Void, any Error>] = []
        var flushScheduled = false
    }
    private let pending = LockedValue(Pending())

    /// - Parameter prefix: keeps these keys apart from others in the same database.
    public init(client: RedisClient, prefix: String = "aiproxy:limits:", timeout: Duration = .seconds(2)) {
        self.client = client
        self.prefix = prefix
        self.timeout = timeout
    }

    public var health: DependencyHealth { client.health }

    public func admit(_ rules: [LimitRule], holder: String) async throws -> LimitDecision {
        guard !rules.isEmpty else { return LimitDecision(admitted: true, refusedRule: nil, states: []) }
        let riding = pending.withLock { pending in
            defer { (pending.keys, pending.arguments, pending.waiters) = ([], [], []) }
            return (pending.keys, pending.arguments, pending.waiters)
        }
        var arguments = [String(riding.0.count)] + riding.1 + [holder]
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
        let reply: RedisReply
        do {
            reply = try await evaluate(
                RedisLimitsScripts.admit, keys: riding.0 + rules.map { prefix + $0.key }, arguments: arguments)
        } catch {
            for waiter in riding.2 { waiter.resume(throwing: error) }
            throw error
        }
        for waiter in riding.2 { waiter.resume() }
        guard case .array(let values) = reply, values.count == 1 + 3 * rules.count,
            case .integer(let refused) = values[0]
        else { throw LimitsError(message: "redis: unexpected reply to the admission script") }
        var states: [LimitDecision.RuleState] = []
        for (index, rule) in rules.enumerated() {
            guard case .integer(let used) = values[1 + 3 * index], case .integer(let nextFree) = values[2 + 3 * index],
                case .integer(let window) = values[3 + 3 * index]
            else { throw LimitsError(message: "redis: unexpected reply to the admission script") }
            let reset: Duration = used >= rule.limit ? .milliseconds(nextFree) : .zero
            states.append(
                LimitDecision.RuleState(
                    rule: rule, remaining: max(0, rule.limit - used), reset: reset,
                    window: rule.kind == .quota ? Int64(window) : nil))
        }
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

    public func settle(_ settlements: [QuotaSettlement], holder: String) async throws {
        guard !settlements.isEmpty else { return }
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            let schedule = pending.withLock { pending in
                for settlement in settlements {
                    pending.keys.append(prefix + settlement.rule.key + ":" + String(settlement.window))
                    pending.arguments += [holder, String(settlement.actual)]
                }
                pending.waiters.append(waiter)
                defer { pending.flushScheduled = true }
                return !pending.flushScheduled
            }
            guard schedule else { return }
            Task {
                try? await Task.sleep(for: settleDelay)
                await flushSettlements()
            }
        }
    }

    /// Applies the settlements no admission took along.
    private func flushSettlements() async {
        let (keys, arguments, waiters) = pending.withLock { pending in
            defer { pending = Pending() }
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
