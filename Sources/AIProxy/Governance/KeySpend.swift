public import EdgeRuntime

/// A key's or org's spend in its current budget window, as the limits binding counts it
/// (reservations of calls in flight included) — what `aiproxy keys get` shows as `spend`.
public enum KeySpend {
    /// The quota rule the spend is counted under.
    public static func budgetRule(for subject: LimitSubject) -> LimitRule {
        KeyPolicy.budgetRule(for: subject, reserve: 0)
    }

    /// Micro-USD spent in the current window; `nil` without a budget or soft budget (the spend is
    /// not counted by the limits binding; the usage rollups have it).
    public static func current(_ subject: LimitSubject, limits: any LimitsNamespace) async throws -> Int64? {
        guard subject.limits.countsSpend else { return nil }
        return Int64(try await limits.used(budgetRule(for: subject)))
    }
}
