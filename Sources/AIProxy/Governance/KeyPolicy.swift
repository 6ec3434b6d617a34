import EdgeRuntime

/// What a key's record allows, checked before anything else is done for a call.
enum KeyPolicy {
    /// Refuses an expired or blocked key (401), for any route.
    static func checkUsable(_ key: KeyRecord, now: Double) throws(GovernanceError) {
        if let expires = key.expires, expires <= now { throw .keyExpired(keyID: key.id) }
        if key.blocked { throw .keyBlocked(keyID: key.id) }
    }

    /// Refuses a model or route outside the key's allow-lists (403).
    static func checkAllowed(_ key: KeyRecord, call: ProxyCall) throws(GovernanceError) {
        let route = "/v1" + call.path
        if !key.allowedRoutes.isEmpty && !key.allowedRoutes.contains(route) { throw .routeNotAllowed(route: route) }
        if !key.models.isEmpty, let model = call.model, !key.models.contains(model) {
            throw .modelNotAllowed(model: model)
        }
    }

    /// The key's limits as rules for the limits binding. `estimate` (the call's worst case, see
    /// ``TokenEstimate``) is what the token and budget quotas reserve; `costEstimate` is its price.
    static func rules(for key: KeyRecord, estimate: TokenUsage, costEstimate: Int64) -> KeyRules {
        var rules = KeyRules()
        if let rpm = key.rpmLimit {
            rules.request = rules.all.count
            rules.all.append(.rate("key:\(key.id):rpm", limit: rpm, per: .seconds(60)))
        }
        if let parallel = key.maxParallelRequests {
            rules.all.append(.concurrency("key:\(key.id):parallel", limit: parallel, leaseTTL: leaseTTL))
        }
        if let tpm = key.tpmLimit {
            rules.tokens = rules.all.count
            rules.all.append(.quota("key:\(key.id):tpm", limit: tpm, per: .seconds(60), reserve: estimate.rateCounted))
        }
        if key.maxBudget != nil || key.softBudget != nil {
            rules.budget = rules.all.count
            rules.all.append(budgetRule(for: key, reserve: key.maxBudget == nil ? 0 : Int(costEstimate)))
        }
        return rules
    }

    /// The quota counting the key's spend (micro-USD) in its budget window; without a
    /// `max_budget` (a soft budget alone) it counts without refusing.
    static func budgetRule(for key: KeyRecord, reserve: Int) -> LimitRule {
        let window: Duration? =
            if let duration = key.budgetDuration { duration.window } else { BudgetDuration.lifetime }
        return .quota(
            "key:\(key.id):budget", limit: key.maxBudget.map { Int($0) } ?? unlimited, per: window, reserve: reserve)
    }

    /// A quota limit no spend reaches (2⁵³: exact in the Redis script's doubles).
    static let unlimited = 1 << 53

    /// How long a concurrency lease outlives its holder if the holder dies (renewed every
    /// `leaseRenewal` while a stream runs).
    static let leaseTTL = Duration.seconds(30)
    static let leaseRenewal = Duration.seconds(10)
}

/// A key's rules for one call, and which of them are the request rate, the tokens per minute
/// and the budget (for the response headers and the settling).
struct KeyRules {
    var all: [LimitRule] = []
    var request: Int?
    var tokens: Int?
    var budget: Int?
}
