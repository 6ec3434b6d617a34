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

    public func json(_ key: KeyRecord) async throws -> JSONValue { try await json([key])[0] }

    /// Several keys' records; the rollups, when spend comes from them, are read once for all.
    public func json(_ keys: [KeyRecord]) async throws -> [JSONValue] {
        var rows: [UsageRow]?
        var records: [JSONValue] = []
        for key in keys {
            let spend = MicroUSD.json(try await spend(.key(key), rows: &rows))
            guard case .object(let members) = key.json else { continue }
            records.append(.object(members + [("spend", spend)]))
        }
        return records
    }

    /// An org's record (limits, `shared_cache`) with `spend` as for a key.
    public func json(_ org: OrgRecord) async throws -> JSONValue {
        let spend = MicroUSD.json(try await spend(.org(org.name, org.limits)))
        guard case .object(let members) = org.json else { return org.json }
        return .object(members + [("spend", spend)])
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
        var rows: [UsageRow]?
        return try await spend(subject, rows: &rows)
    }

    /// `rows`: every rollup row up to today, read on first need and kept for the next subject.
    private func spend(_ subject: LimitSubject, rows: inout [UsageRow]?) async throws -> Int64 {
        if let limits, let counted = try await KeySpend.current(subject, limits: limits), !(limits is MemoryLimits) {
            return counted
        }
        guard let rollups else { return 0 }
        let now = clock.now()
        if rows == nil { rows = try await rollups.rows(from: "0000-00-00", to: UsageRollups.day(now)) }
        var from = "0000-00-00"
        if let duration = subject.limits.budgetDuration {
            let window = QuotaWindow(now: Int64(now * 1000), size: duration.window ?? .zero)
            from = UsageRollups.day(Double(window.start) / 1000)
        }
        var counted = (rows ?? []).filter { $0.day >= from }
        switch subject.kind {
        case .key: counted = counted.filter { "key:" + $0.keyID == subject.id }
        case .organization:
            let keys = Set(
                try await store.listKeys().filter { $0.orgs.contains { "org:" + $0 == subject.id } }.map(\.id))
            counted = counted.filter { keys.contains($0.keyID) }
        }
        return counted.reduce(0) { $0 + $1.spend }
    }

    /// Daily rows from `from` to `to` (the last 30 days by default), of one key, one org's keys
    /// or one model if given — what `aiproxy usage` and `GET /api/usage` show.
    public func usage(from: String?, to: String?, keyID: String?, org: String?, model: String?) async throws
        -> [UsageRow]
    {
        guard let rollups else { return [] }
        let now = clock.now()
        var rows = try await rollups.rows(
            from: from ?? UsageRollups.day(now - 29 * 86_400), to: to ?? UsageRollups.day(now), keyID: keyID)
        if let model { rows = rows.filter { $0.model == model } }
        if let org {
            let keys = Set(try await store.listKeys().filter { $0.orgs.contains(org) }.map(\.id))
            rows = rows.filter { keys.contains($0.keyID) }
        }
        return rows
    }
}
