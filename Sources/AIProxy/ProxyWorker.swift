public import EdgeRuntime

/// The AI proxy as a Workers-style worker: routes OpenAI API paths and delegates.
///
/// `/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `/v1/moderations` and every
/// other `/v1/*` path go upstream through ``CallRelay``; `GET /v1/models` lists the catalog;
/// `/v1/proxy/*` is an alias of `/v1/*`. The single `catch` here renders every proxy error.
public struct ProxyWorker: Worker {
    public let configuration: ProxyConfiguration
    public let resolver: CredentialResolver
    public let relay: CallRelay
    public let catalog: ModelCatalog
    public let logger: Logger
    let clock: any WallClock
    /// `USAGE_LOG`'s writer, flushed by ``flush()`` before the process exits.
    private let usageLog: LineWriter?
    /// The `LIMITS` binding, flushed too (its allowances settled).
    private let fleetLimits: (any LimitsNamespace)?

    /// Builds the worker from its bindings: `CACHE` and `CONTROL` KV namespaces (optional), the
    /// `LIMITS` binding (fleet-wide limits; without it, limits are counted in this process) and vars.
    public init(
        env: Env, catalog: ModelCatalog = .builtIn, registry: ProviderRegistry = .standard,
        clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "aiproxy"),
        metrics: ProxyMetrics? = nil
    ) throws {
        let configuration = try ProxyConfiguration(env: env)
        let control = try? env.kv("CONTROL")
        let store = try control.map {
            try ControlStore(kv: $0, masterKey: configuration.masterKey, clock: clock)
        }
        let cache = (try? env.kv("CACHE")).map { EncryptedCache(kv: $0, clock: clock, logger: logger) }
        self.configuration = configuration
        self.catalog = catalog
        self.logger = logger
        self.clock = clock
        let fleet = try? env.limits("LIMITS")
        fleetLimits = fleet
        let limits = fleet ?? MemoryLimits(clock: clock)
        let usageLog = try configuration.usageLog.map { try LineWriter(destination: $0) }
        self.usageLog = usageLog
        resolver = CredentialResolver(
            store: store, cache: CredentialCache(ttl: configuration.credentialsCacheSeconds, clock: clock),
            catalog: catalog,
            providerBaseURLs: configuration.providerBaseURLs)
        var onFailover: (@Sendable (ProviderKind, String) -> Void)?
        if let metrics { onFailover = { provider, reason in metrics.failedOver(from: provider, reason: reason) } }
        relay = CallRelay(
            cache: cache, selector: EndpointSelector(catalog: catalog, registry: registry),
            failover: Failover(fetcher: env.fetcher, onFailover: onFailover), limits: limits, fleet: fleet,
            usageLog: usageLog,
            rollups: (control as? any KVCounting).map { UsageRollups(counters: $0, logger: logger) },
            events: (control as? any KVCappedLog).map { EventLog(store: $0, logger: logger) }, metrics: metrics,
            clock: clock,
            configuration: configuration, logger: logger)
    }

    /// Writes the usage lines still waiting (``LineWriter/delay``) and settles the limits'
    /// allowances; call after the runtime drained.
    public func flush() async {
        await usageLog?.flush()
        await fleetLimits?.flush()
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        do {
            switch try await accept(request, ctx: ctx) {
            case .answered(let response): return response
            case .relayed(let call): return try await relay.respond(to: call)
            }
        } catch {
            return try response(for: error, ctx: ctx)
        }
    }

    /// What ``accept(_:ctx:)`` made of a request.
    private enum Accepted {
        /// Answered without the relay (CORS preflight, the model list).
        case answered(Response)
        /// A call for the relay, with its caller's credentials and cache scope.
        case relayed(RelayCall)
    }

    /// The error response for `error`; errors of other kinds are rethrown (the runtime answers 500).
    @inline(never)
    private func response(for error: any Error, ctx: ExecutionContext) throws -> Response {
        switch error {
        case let error as any OpenAIErrorRenderable:
            return error.response
        case let error as ConfigError:
            logger.error("request \(ctx.requestID): configuration problem: \(error)")
            return ProxyError.controlStoreUnavailable.response
        default:
            throw error
        }
    }

    /// The request's key and body checked and parsed. Its own function, so its frame is gone
    /// before the relay starts: the relay of a stream holds `fetch`'s frame for the stream's length.
    @inline(never)
    private func accept(_ request: Request, ctx: ExecutionContext) async throws -> Accepted {
        guard let apiPath = Self.apiPath(request.path) else { throw ProxyError.notFound(path: request.path) }
        if request.method == .options { return .answered(Response(status: 204, headers: Self.corsHeaders)) }
        // Like OpenAI: no key, no further questions (not even about the body).
        guard let token = CredentialResolver.token(in: request.headers) else { throw ProxyError.missingAPIKey }
        // A proxy key is checked before the body is parsed: an unknown key gets its 401
        // whatever it sends, and its body costs no parsing. (A provider's own key can only be
        // judged by its provider, which is chosen from the body's model.)
        let keyCredentials =
            ProxyKey.isProxyKey(token)
            ? try await resolver.resolve(token: token, headers: request.headers, model: nil) : nil
        if let key = keyCredentials?.key { try KeyPolicy.checkUsable(key, now: clock.now()) }
        if apiPath == "/models" && request.method == .get {
            let credentials = try await keyCredentials.orResolve {
                try await resolver.resolve(token: token, headers: request.headers, model: nil)
            }
            return .answered(ModelList.response(catalog: catalog, credentials: credentials))
        }
        let call = try await ProxyCall.parse(
            request, apiPath: apiPath, maxBodyBytes: configuration.maxBodyBytes,
            maxJSONValues: configuration.maxBodyJSONValues)
        let credentials = try await keyCredentials.orResolve {
            try await resolver.resolve(token: token, headers: request.headers, model: call.model)
        }
        // The cache scope is the caller's own key, or its org's shared scope if the org opted in:
        // anyone else can neither find nor open its entries.
        return .relayed(
            RelayCall(
                call: call, credentials: credentials, scopeSecret: credentials.cacheScopeSecret(token: token), ctx: ctx)
        )
    }

    /// `/v1/x` and `/v1/proxy/x` → `/x`; anything else → `nil`.
    static func apiPath(_ path: String) -> String? {
        // Bytes, not Characters: this runs on every request.
        for prefix in ["/v1/proxy/", "/v1/"] where path.utf8.starts(with: prefix.utf8) {
            return "/" + String(Substring(path.utf8.dropFirst(prefix.utf8.count)))
        }
        return nil
    }

    static let corsHeaders: Headers = [
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
        "access-control-allow-headers":
            "authorization, content-type, x-api-key, x-bt-use-cache, x-bt-use-creds-cache, x-bt-org-name, x-bt-endpoint-name, x-bt-cache-ttl, x-bt-coalesce, cache-control",
    ]
}

extension Credentials? {
    /// These credentials, or the ones `resolve` finds (`??` can't await).
    fileprivate func orResolve(_ resolve: () async throws -> Credentials) async throws -> Credentials {
        if let self { return self }
        return try await resolve()
    }
}
