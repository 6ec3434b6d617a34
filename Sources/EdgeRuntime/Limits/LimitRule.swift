/// One limit a request must pass, checked with others in one atomic step (``LimitsNamespace``).
///
/// The runtime knows nothing of what the keys mean: a worker names them (`key:<id>:rpm`, say).
public struct LimitRule: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// At most `limit` admissions in any `window` (a sliding window: a fresh key may use its
        /// whole allowance at once, and then no more until the oldest admission is `window` old).
        case rate
        /// At most `limit` holders at once; each admission holds a lease that ends when it is
        /// released, or by itself `window` after it was taken or last renewed (a holder that
        /// dies frees its place without anyone cleaning up).
        case concurrency
        /// At most `limit` units (tokens, micro-dollars) in each window — fixed windows of
        /// `window` aligned to UTC, or calendar months when `window` is zero. An admission
        /// reserves `reserve` units (a worst-case estimate) and is refused if that would pass the
        /// limit; ``LimitsNamespace/settle(_:holder:)`` replaces the reservation
        /// with what was really used.
        case quota
    }

    public var kind: Kind
    /// Names what is limited; rules with the same key share one count.
    public var key: String
    public var limit: Int
    public var window: Duration
    /// For a quota: the units this admission reserves.
    public var reserve: Int

    public init(kind: Kind, key: String, limit: Int, window: Duration, reserve: Int = 0) {
        self.kind = kind
        self.key = key
        self.limit = limit
        self.window = window
        self.reserve = reserve
    }

    /// At most `limit` units per `window` (`nil`: per calendar month, UTC), reserving `reserve`.
    public static func quota(_ key: String, limit: Int, per window: Duration?, reserve: Int) -> LimitRule {
        LimitRule(kind: .quota, key: key, limit: limit, window: window ?? .zero, reserve: max(0, reserve))
    }

    /// At most `limit` admissions in any `window`.
    public static func rate(_ key: String, limit: Int, per window: Duration) -> LimitRule {
        LimitRule(kind: .rate, key: key, limit: limit, window: window)
    }

    /// At most `limit` concurrent holders, a lease lapsing after `leaseTTL` without renewal.
    public static func concurrency(_ key: String, limit: Int, leaseTTL: Duration) -> LimitRule {
        LimitRule(kind: .concurrency, key: key, limit: limit, window: leaseTTL)
    }
}
