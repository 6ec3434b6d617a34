public import EdgeRuntime

/// A key's own rules refusing a call: its expiry or block (401), its allow-lists (403), its
/// limits (429, with OpenAI's rate-limit headers), or a limits store that can't decide (503).
/// None of these reach upstream.
public enum GovernanceError: OpenAIErrorRenderable, Equatable {
    case keyExpired(keyID: String)
    case keyBlocked(keyID: String)
    case modelNotAllowed(model: String)
    case routeNotAllowed(route: String)
    /// Refused by a limit; `decision` says which and until when.
    case limitReached(RateLimitHeaders, reason: String)
    /// Refused because the key's budget for its window is spent (or this call's estimate would
    /// pass it): OpenAI's `insufficient_quota`, which its SDKs don't retry.
    case budgetExhausted(RateLimitHeaders, reason: String)
    case limitsUnavailable

    public var status: Int {
        switch self {
        case .keyExpired, .keyBlocked: 401
        case .modelNotAllowed, .routeNotAllowed: 403
        case .limitReached, .budgetExhausted: 429
        case .limitsUnavailable: 503
        }
    }

    public var errorType: String {
        switch self {
        case .keyExpired, .keyBlocked: "authentication_error"
        case .modelNotAllowed, .routeNotAllowed: "permission_error"
        case .limitReached: "requests"
        case .budgetExhausted: "insufficient_quota"
        case .limitsUnavailable: "server_error"
        }
    }

    public var code: String? {
        switch self {
        case .keyExpired: "key_expired"
        case .keyBlocked: "key_blocked"
        case .modelNotAllowed: "model_not_allowed"
        case .routeNotAllowed: "route_not_allowed"
        case .limitReached(let headers, _): headers.isConcurrency ? "concurrency_limit_exceeded" : "rate_limit_exceeded"
        case .budgetExhausted: "insufficient_quota"
        case .limitsUnavailable: "limits_unavailable"
        }
    }

    public var message: String {
        switch self {
        case .keyExpired(let id): "The API key \(id) has expired."
        case .keyBlocked(let id): "The API key \(id) is blocked."
        case .modelNotAllowed(let model): "This API key may not use the model `\(model)`."
        case .routeNotAllowed(let route): "This API key may not call \(route)."
        case .limitReached(_, let reason), .budgetExhausted(_, let reason): reason
        case .limitsUnavailable: "The proxy's limits store is unavailable, and this key has limits; try again shortly."
        }
    }

    public var headers: Headers {
        switch self {
        case .limitReached(let limits, _): return limits.fields
        case .budgetExhausted(let limits, _):
            var fields = limits.fields
            fields["x-should-retry"] = "false"
            return fields
        default: return [:]
        }
    }
}
