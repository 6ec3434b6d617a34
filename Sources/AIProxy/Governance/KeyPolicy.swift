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

    /// The limits of the call's key and of its org as rules for the limits binding (a call must
    /// pass both). `estimate` (the call's worst case, see ``TokenEstimate``) is what the token and
    /// budget quotas reserve; `costEstimate` is its price.
    static func rules(for subjects: [LimitSubject], estimate: TokenUsage, costEstimate: Int64) -> KeyRules {
        var rules = KeyRules()
        for subject in subjects {
            let limits = subject.limits
            if let rpm = limits.rpmLimit {
                rules.request = rules.request ?? rules.all.count
                rules.all.append(.rate("\(subject.id):rpm", limit: rpm, per: .seconds(60)))
            }
            if let parallel = limits.maxParallelRequests {
                rules.all.append(.concurrency("\(subject.id):parallel", limit: parallel, leaseTTL: leaseTTL))
            }
            if let tpm = limits.tpmLimit {
                rules.tokens = rules.tokens ?? rules.all.count
                rules.quotas.append((rules.all.count, .tokens))
                rules.all.append(
                    .quota("\(subject.id):tpm", limit: tpm, per: .seconds(60), reserve: estimate.rateCounted))
            }
            if limits.countsSpend {
                if let soft = limits.softBudget { rules.softBudgets.append((rules.all.count, soft)) }
                rules.quotas.append((rules.all.count, .spend))
                rules.all.append(budgetRule(for: subject, reserve: limits.maxBudget == nil ? 0 : Int(costEstimate)))
            }
            rules.owners += Array(repeating: subject.kind, count: rules.all.count - rules.owners.count)
        }
        return rules
    }

    /// The quota counting a key's or org's spend (micro-USD) in its budget window; without a
    /// `max_budget` (a soft budget alone) it counts without refusing.
    static func budgetRule(for subject: LimitSubject, reserve: Int) -> LimitRule {
        let limits = subject.limits
        let window: Duration? =
            if let duration = limits.budgetDuration { duration.window } else { BudgetDuration.lifetime }
        return .quota(
            "\(subject.id):budget", limit: limits.maxBudget.map { Int($0) } ?? unlimited, per: window, reserve: reserve)
    }

    /// A quota limit no spend reaches (2⁵³: exact in the Redis script's doubles).
    static let unlimited = 1 << 53

    /// How long a concurrency lease outlives its holder if the holder dies (renewed every
    /// `leaseRenewal` while a stream runs).
    static let leaseTTL = Duration.seconds(30)
    static let leaseRenewal = Duration.seconds(10)
}

/// Whose limits a rule enforces: the call's key or its org.
public struct LimitSubject: Sendable {
    public enum Kind: String, Sendable { case key, organization }
    public var kind: Kind
    /// `key:<key_id>` or `org:<name>`: the limits binding's key prefix.
    public var id: String
    public var limits: LimitSettings

    public static func key(_ record: KeyRecord) -> LimitSubject {
        LimitSubject(kind: .key, id: "key:\(record.id)", limits: record.limits)
    }
    public static func org(_ name: String, _ limits: LimitSettings) -> LimitSubject {
        LimitSubject(kind: .organization, id: "org:\(name)", limits: limits)
    }
}

/// The rules for one call, and which of them the response headers and the settling need.
struct KeyRules {
    enum Metered { case tokens, spend }
    var all: [LimitRule] = []
    /// Whose each rule is.
    var owners: [LimitSubject.Kind] = []
    /// The first request-rate and tokens-per-minute rules (for OpenAI's headers).
    var request: Int?
    var tokens: Int?
    /// The token and spend quotas, settled to what the call used.
    var quotas: [(index: Int, meters: Metered)] = []
    /// Spend quotas with a soft budget.
    var softBudgets: [(index: Int, soft: Int64)] = []
}
