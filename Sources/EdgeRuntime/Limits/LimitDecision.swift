/// What a ``LimitsNamespace`` decided about one request's rules.
public struct LimitDecision: Sendable, Equatable {
    /// How one rule stands after the decision (for `x-ratelimit-*` style headers).
    public struct RuleState: Sendable, Equatable {
        public var rule: LimitRule
        /// Places left in the rule after this request (0 when it was refused on this rule).
        public var remaining: Int
        /// How long until a place frees: the oldest admission leaves the window, or the
        /// earliest lease lapses, or (a quota) the window ends. `0` when there is room now.
        public var reset: Duration
        /// For a quota: which window the reservation is in (its start, ms since 1970), for
        /// ``LimitsNamespace/settle(_:holder:)``.
        public var window: Int64?

        public init(rule: LimitRule, remaining: Int, reset: Duration, window: Int64? = nil) {
            self.rule = rule
            self.remaining = remaining
            self.reset = reset
            self.window = window
        }
    }

    /// Whether every rule admitted the request; when not, nothing was counted.
    public var admitted: Bool
    /// The first rule that refused, by index into the rules checked.
    public var refusedRule: Int?
    /// Every rule's state, in the order checked (after counting this request when admitted).
    public var states: [RuleState]

    public init(admitted: Bool, refusedRule: Int?, states: [RuleState]) {
        self.admitted = admitted
        self.refusedRule = refusedRule
        self.states = states
    }

    /// How long until the refusing rule has room, when refused.
    public var retryAfter: Duration? { refusedRule.map { states[$0].reset } }
}
