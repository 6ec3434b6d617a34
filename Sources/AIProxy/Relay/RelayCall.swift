public import EdgeRuntime

/// One call on its way through the relay, with what the steps before have learned about it.
///
/// Steps read it and pass a changed copy on (Hummingbird's request context): the cache steps add
/// the cache key and policy and ask for the reply's bytes; the upstream step adds the endpoint
/// and adapter. When the reply is over, ``ResponseRelay`` reports a ``CallOutcome`` to every
/// `onFinish` hook, in the order the steps registered them.
public struct RelayCall: Sendable {
    /// The fields, in one box shared by copies and copied only when a step changes a shared one
    /// (copy-on-write). A call passes through every step's async frame, several copies in each;
    /// inline it was 816 bytes, and the frames a streamed call's task grew to (~50 KB) stay
    /// allocated for the whole stream.
    private final class Storage: @unchecked Sendable {
        // Mutated only through `RelayCall.unique()`, i.e. when no other value shares it.
        var call: ProxyCall
        let credentials: Credentials
        let scopeSecret: String
        let ctx: ExecutionContext
        var cacheKey: CacheKey?
        var cachePolicy = CachePolicy.bypass
        var endpoint: Endpoint?
        var keepsBody = false
        var wantsUsage = false
        var onFinish: [@Sendable (CallOutcome) -> Void] = []

        init(call: ProxyCall, credentials: Credentials, scopeSecret: String, ctx: ExecutionContext) {
            self.call = call
            self.credentials = credentials
            self.scopeSecret = scopeSecret
            self.ctx = ctx
        }

        func copy() -> Storage {
            let copy = Storage(call: call, credentials: credentials, scopeSecret: scopeSecret, ctx: ctx)
            copy.cacheKey = cacheKey
            copy.cachePolicy = cachePolicy
            copy.endpoint = endpoint
            copy.keepsBody = keepsBody
            copy.wantsUsage = wantsUsage
            copy.onFinish = onFinish
            return copy
        }
    }

    private var storage: Storage

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    public var call: ProxyCall {
        get { storage.call }
        set { unique().call = newValue }
    }
    public var credentials: Credentials { storage.credentials }
    /// The cache scope (``Credentials/cacheScopeSecret(token:)``): the caller's own key, or its org's
    /// shared scope, so no one outside it can find or open its entries.
    public var scopeSecret: String { storage.scopeSecret }
    public var ctx: ExecutionContext { storage.ctx }
    /// Set when the cache was consulted (its key, and the policy for writing).
    public var cacheKey: CacheKey? {
        get { storage.cacheKey }
        set { unique().cacheKey = newValue }
    }
    public var cachePolicy: CachePolicy {
        get { storage.cachePolicy }
        set { unique().cachePolicy = newValue }
    }
    /// The endpoint that answered and its adapter, once the upstream step has them.
    public var endpoint: Endpoint? {
        get { storage.endpoint }
        set { unique().endpoint = newValue }
    }
    /// Whether a finish hook needs the bytes the client got (bounded by ``CallOutcome/maxBodyBytes``).
    public var keepsBody: Bool {
        get { storage.keepsBody }
        set { unique().keepsBody = newValue }
    }
    /// Whether a finish hook needs the reply's token usage (a whole reply is then kept to read it).
    public var wantsUsage: Bool {
        get { storage.wantsUsage }
        set { unique().wantsUsage = newValue }
    }
    /// Called once when the reply has ended, after its last byte was written.
    public var onFinish: [@Sendable (CallOutcome) -> Void] {
        get { storage.onFinish }
        set { unique().onFinish = newValue }
    }

    public init(call: ProxyCall, credentials: Credentials, scopeSecret: String, ctx: ExecutionContext) {
        storage = Storage(call: call, credentials: credentials, scopeSecret: scopeSecret, ctx: ctx)
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
