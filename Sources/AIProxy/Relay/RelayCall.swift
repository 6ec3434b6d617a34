public import EdgeRuntime

/// One call on its way through the relay, with what the steps before have learned about it.
///
/// Steps read it and pass a changed copy on (Hummingbird's request context): the cache steps add
/// the cache key and policy and ask for the reply's bytes; the upstream step adds the endpoint
/// and adapter. When the reply is over, ``ResponseRelay`` reports a ``CallOutcome`` to every
/// `onFinish` hook, in the order the steps registered them.
public struct RelayCall: Sendable {
    public var call: ProxyCall
    public let credentials: Credentials
    /// The cache scope (``Credentials/cacheScopeSecret(token:)``): the caller's own key, or its org's
    /// shared scope, so no one outside it can find or open its entries.
    public let scopeSecret: String
    public let ctx: ExecutionContext
    /// Set when the cache was consulted (its key, and the policy for writing).
    public var cacheKey: CacheKey?
    public var cachePolicy = CachePolicy.bypass
    /// The endpoint that answered and its adapter, once the upstream step has them.
    public var endpoint: Endpoint?
    /// Whether a finish hook needs the bytes the client got (bounded by ``CallOutcome/maxBodyBytes``).
    public var keepsBody = false
    /// Whether a finish hook needs the reply's token usage (a whole reply is then kept to read it).
    public var wantsUsage = false
    /// Called once when the reply has ended, after its last byte was written.
    public var onFinish: [@Sendable (CallOutcome) -> Void] = []

    public init(call: ProxyCall, credentials: Credentials, scopeSecret: String, ctx: ExecutionContext) {
        self.call = call
        self.credentials = credentials
        self.scopeSecret = scopeSecret
        self.ctx = ctx
    }

    /// Reports `outcome` to the finish hooks.
    func finish(_ outcome: CallOutcome) {
        for hook in onFinish { hook(outcome) }
    }
}

/// How a relayed reply ended, for the steps that act after it (cache store; usage and metrics).
public struct CallOutcome: Sendable {
    /// Replies longer than this are relayed but not kept (a cached reply's limit).
    public static let maxBodyBytes = 8 << 20

    public var status: Int
    /// The headers the client got.
    public var headers: Headers
    /// Whether the reply ran to its end: `false` when the upstream failed mid-stream or the
    /// client went away.
    public var complete: Bool
    /// What the client got (an SSE transcript for a stream), when a step asked for it and it
    /// fit in ``maxBodyBytes``.
    public var body: [UInt8]?
    /// The tokens the upstream reported, when it did (a stream cut before its usage chunk didn't).
    public var usage: TokenUsage?

    public init(status: Int, headers: Headers, complete: Bool, body: [UInt8]?, usage: TokenUsage? = nil) {
        self.status = status
        self.headers = headers
        self.complete = complete
        self.body = body
        self.usage = usage
    }
}
