public import EdgeRuntime

/// OpenAI's rate-limit response headers for a decision: `x-ratelimit-limit-requests`,
/// `x-ratelimit-remaining-requests`, `x-ratelimit-reset-requests` (`6m0s`, `1.5s`) for the key's
/// request rate, the same with `-tokens` for its tokens per minute, and `retry-after` (whole
/// seconds) on a refusal.
public struct RateLimitHeaders: Sendable, Equatable {
    public var fields = Headers()
    /// Whether the refusing rule was a concurrency limit.
    public var isConcurrency = false

    /// - Parameters:
    ///   - requestRule: which of the decision's rules is the request rate (`-requests` headers).
    ///   - tokenRule: which is the tokens per minute (`-tokens` headers).
    public init(_ decision: LimitDecision, requestRule: Int?, tokenRule: Int? = nil) {
        for (index, unit) in [(requestRule, "requests"), (tokenRule, "tokens")] {
            guard let index else { continue }
            let state = decision.states[index]
            fields["x-ratelimit-limit-\(unit)"] = String(state.rule.limit)
            fields["x-ratelimit-remaining-\(unit)"] = String(state.remaining)
            fields["x-ratelimit-reset-\(unit)"] = Self.duration(state.reset)
        }
        if let refused = decision.refusedRule, let retry = decision.retryAfter {
            isConcurrency = decision.states[refused].rule.kind == .concurrency
            let (seconds, attoseconds) = retry.components
            fields["retry-after"] = String(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
        }
    }

    /// OpenAI's form: `59s`, `1.5s`, `6m0s`, `1h2m3s`.
    static func duration(_ duration: Duration) -> String {
        let milliseconds = max(
            0, Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000))
        let hours = milliseconds / 3_600_000
        let minutes = milliseconds % 3_600_000 / 60_000
        let (whole, fraction) = (milliseconds % 60_000 / 1000, milliseconds % 1000)
        var secondsText = String(whole)
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 3 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            secondsText += "." + digits
        }
        if hours > 0 { return "\(hours)h\(minutes)m\(secondsText)s" }
        if minutes > 0 { return "\(minutes)m\(secondsText)s" }
        return "\(secondsText)s"
    }
}
