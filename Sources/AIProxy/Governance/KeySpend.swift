public import EdgeRuntime

/// A key's spend in its current budget window, as the limits binding counts it (reservations of
/// calls in flight included) — what `aiproxy keys get` shows as `spend`.
public enum KeySpend {
    /// The quota rule the key's spend is counted under.
    public static func budgetRule(for key: KeyRecord) -> LimitRule { KeyPolicy.budgetRule(for: key, reserve: 0) }

    /// Micro-USD spent in the current window; `nil` for a key without a budget or soft budget
    /// (its spend is not counted by the limits binding; the usage rollups have it).
    public static func current(_ key: KeyRecord, limits: any LimitsNamespace) async throws -> Int64? {
        guard key.maxBudget != nil || key.softBudget != nil else { return nil }
        return Int64(try await limits.used(budgetRule(for: key)))
    }
}
