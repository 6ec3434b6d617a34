public import EdgeRuntime

/// The limits a key or an org can carry, with LiteLLM's field names: `rpm_limit`, `tpm_limit`,
/// `max_parallel_requests`, `max_budget` (USD) with `budget_duration`, `soft_budget`. Empty:
/// unlimited. A call must pass its key's and its org's.
public struct LimitSettings: Sendable, Equatable {
    /// Requests per minute across the fleet.
    public var rpmLimit: Int?
    /// Tokens per minute across the fleet (cache reads and writes not counted).
    public var tpmLimit: Int?
    /// Requests in flight at once across the fleet (a stream counts until it ends).
    public var maxParallelRequests: Int?
    /// Spend allowed in each ``budgetDuration`` (micro-USD; past it: 429 `insufficient_quota`).
    public var maxBudget: Int64?
    /// How often the budget starts over; `nil`: never.
    public var budgetDuration: BudgetDuration?
    /// Spend past which replies carry `x-bt-soft-budget-exceeded: true` (micro-USD).
    public var softBudget: Int64?

    public init() {}

    public static let fields = [
        "rpm_limit", "tpm_limit", "max_parallel_requests", "max_budget", "budget_duration", "soft_budget",
    ]

    public var isEmpty: Bool { self == LimitSettings() }

    /// Whether calls must be metered (tokens or spend counted).
    var isMetered: Bool { tpmLimit != nil || maxBudget != nil || softBudget != nil }

    /// Whether spend is counted (a budget or a soft budget).
    var countsSpend: Bool { maxBudget != nil || softBudget != nil }

    /// The settings as JSON members, in ``fields`` order.
    public var jsonMembers: [(String, JSONValue)] {
        func count(_ value: Int?) -> JSONValue { value.map { JSONValue.number($0) } ?? .null }
        func usd(_ value: Int64?) -> JSONValue { value.map(MicroUSD.json) ?? .null }
        return [
            ("rpm_limit", count(rpmLimit)), ("tpm_limit", count(tpmLimit)),
            ("max_parallel_requests", count(maxParallelRequests)),
            ("max_budget", usd(maxBudget)), ("budget_duration", budgetDuration.map { .string($0.text) } ?? .null),
            ("soft_budget", usd(softBudget)),
        ]
    }

    /// Sets `field` (one of ``fields``) from its JSON value; `null` clears it.
    /// - Throws: ``ProxyError/invalidRequest(_:)`` naming the field when the value is wrong.
    public mutating func set(_ field: String, to value: JSONValue) throws(ProxyError) {
        switch field {
        case "max_budget", "soft_budget":
            let amount: Int64?
            if value == .null {
                amount = nil
            } else if let micro = MicroUSD.parse(value) {
                amount = micro
            } else {
                throw Self.wrong(field, "an amount in USD such as 5.00, or null for no budget")
            }
            if field == "max_budget" { maxBudget = amount } else { softBudget = amount }
        case "budget_duration":
            if value == .null {
                budgetDuration = nil
            } else if let text = value.stringValue, let duration = BudgetDuration(text) {
                budgetDuration = duration
            } else {
                throw Self.wrong(field, "a duration such as 30s, 15m, 12h, 30d or 1mo (the calendar month), or null")
            }
        case "rpm_limit", "max_parallel_requests", "tpm_limit":
            let limit: Int?
            if value == .null {
                limit = nil
            } else if let number = value.intValue, number > 0 {
                limit = number
            } else {
                throw Self.wrong(field, "a positive whole number, or null for no limit")
            }
            switch field {
            case "rpm_limit": rpmLimit = limit
            case "tpm_limit": tpmLimit = limit
            default: maxParallelRequests = limit
            }
        default:
            throw .invalidRequest("`\(field)` is not a limit (known: \(Self.fields.joined(separator: ", ")))")
        }
    }

    static func wrong(_ field: String, _ expected: String) -> ProxyError {
        .invalidRequest("`\(field)` must be \(expected)")
    }
}
