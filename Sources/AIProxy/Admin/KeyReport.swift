public import EdgeRuntime

/// Key and org records as the CLI (`keys get --json`, `orgs get`) and the admin API show them:
/// their fields and `spend`, USD in the current budget window — the limits binding's count when
/// it is shared (Redis), else the daily rollups' days in the window (the whole history without a
/// `budget_duration`).
public struct KeyReport: Sendable {
    let store: ControlStore
    let limits: (any LimitsNamespace)?
    let rollups: UsageRollups?
    let clock: any WallClock

    /// - Parameter limits: the `LIMITS` binding, when the config declares one.
    public init(store: ControlStore, limits: (any LimitsNamespace)?, clock: any WallClock = SystemWallClock()) {
        self.store = store
        self.limits = limits
        rollups = (store.kv as? any KVCounting).map { UsageRollups(counters: $0) }
        self.clock = clock
    }

    public func json(_ key: KeyRecord) async throws -> JSONValue {
        guard case .object(var members) = key.json else { return key.json }
        members.append(("spend", MicroUSD.json(try await spend(.key(key)))))
        return .object(members)
    }

    /// An org's limits with `spend` as for a key.
    public func json(org: String, _ limits: LimitSettings) async throws -> JSONValue {
        let subject = LimitSubject.org(org, limits)
        return .object(
            [("org", .string(org))] + limits.jsonMembers + [("spend", MicroUSD.json(try await spend(subject)))])
    }

    /// `rpm 10, tpm 1000, parallel 2, budget $5/1d` for a plain listing.
    public static func summary(_ limits: LimitSettings) -> String {
        [
            limits.rpmLimit.map { "rpm \($0)" }, limits.tpmLimit.map { "tpm \($0)" },
            limits.maxParallelRequests.map { "parallel \($0)" },
            limits.maxBudget.map {
                "budget $\(MicroUSD.json($0).serializedString)/\(limits.budgetDuration?.text ?? "ever")"
            },
        ].compactMap { $0 }.joined(separator: ", ")
    }

    /// Micro-USD spent in the subject's current budget window.
    public func spend(_ subject: LimitSubject) async throws -> Int64 {
        if let limits, let counted = try await KeySpend.current(subject, limits: limits), !(limits is MemoryLimits) {
            return counted
        }
        guard let rollups else { return 0 }
        let now = clock.now()
        let from: String
        if let duration = subject.limits.budgetDuration {
            let window = QuotaWindow(now: Int64(now * 1000), size: duration.window ?? .zero)
            from = UsageRollups.day(Double(window.start) / 1000)
        } else {
            from = "0000-00-00"
        }
        var rows = try await rollups.rows(from: from, to: UsageRollups.day(now))
        switch subject.kind {
        case .key: rows = rows.filter { "key:" + $0.keyID == subject.id }
        case .organization:
            let keys = Set(
                try await store.listKeys().filter { $0.orgs.contains { "org:" + $0 == subject.id } }.map(\.id))
            rows = rows.filter { keys.contains($0.keyID) }
        }
        return rows.reduce(0) { $0 + $1.spend }
    }
}
