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
        if !key.models.isEmpty, let model = call.model, !key.models.contains(model) { throw .modelNotAllowed(model: model) }
    }

    /// The key's limits as rules for the limits binding, and which of them is the request rate.
    static func rules(for key: KeyRecord) -> (rules: [LimitRule], requestRule: Int?) {
        var rules: [LimitRule] = []
        if let rpm = key.rpmLimit { rules.append(.rate("key:\(key.id):rpm", limit: rpm, per: .seconds(60))) }
        if let parallel = key.maxParallelRequests {
            rules.append(.concurrency("key:\(key.id):parallel", limit: parallel, leaseTTL: leaseTTL))
        }
        return (rules, key.rpmLimit == nil ? nil : 0)
    }

    /// How long a concurrency lease outlives its holder if the holder dies (renewed every
    /// `leaseRenewal` while a stream runs).
    static let leaseTTL = Duration.seconds(30)
    static let leaseRenewal = Duration.seconds(10)
}
