public import EdgeRuntime

/// The proxy as a library: a Swift app calls it in-process, with no socket between them.
///
/// A call goes through the same ``ProxyWorker/fetch(_:env:ctx:)`` as the `aiproxy` server's
/// (credentials, limits, cache, translation, usage) and upstream through the runtime's libcurl
/// client, on event loops this proxy starts and ``shutdown(timeout:)`` stops. Only the hop from
/// the app to the proxy is gone.
///
/// ```swift
/// let proxy = try EmbeddedProxy(vars: ["ANTHROPIC_BASE_URL": "http://127.0.0.1:8788/v1"])
/// let reply = try await proxy.fetch(
///     Request(
///         method: .post, url: "http://proxy/v1/chat/completions",
///         headers: ["authorization": "Bearer sk-ant-…"],
///         body: Body(string: #"{"model":"claude-3-5-sonnet-latest","messages":[{"role":"user","content":"hi"}]}"#)))
/// print(reply.status, try await reply.body.text(upTo: 1 << 20))   // an OpenAI chat completion
/// await proxy.shutdown()   // cache writes and usage events are done
/// ```
public final class EmbeddedProxy: FetchClient {
    /// The worker every call goes through.
    public let worker: ProxyWorker
    /// Its bindings: the vars, secrets, KV namespaces and limits given at init.
    public let env: Env
    private let runtime: InProcessRuntime
    /// The loops this proxy started (none when the app lent its own group).
    private let ownedGroup: EventLoopGroup?
    private let loopsStopped = LockedValue(false)

    /// Builds the proxy from the bindings a `wrangler.toml` and `.dev.vars` would give the server.
    /// - Parameters:
    ///   - vars: `[vars]` (`CACHE_TTL_SECONDS`, `<PROVIDER>_BASE_URL`, `UPSTREAM_TIMEOUT_SECONDS`, …).
    ///   - secrets: `AIPROXY_MASTER_KEY` (needed to read endpoints from `CONTROL`) and the like.
    ///   - kv: namespaces by binding: `CACHE` (responses) and `CONTROL` (keys, endpoints); both in
    ///     memory by default. A `FileKV` or `RedisKV` shares them with `aiproxy` servers.
    ///   - limits: the `LIMITS` binding (fleet-wide with `RedisLimits`); counted in this process without it.
    ///   - group: event loops for upstream calls. `nil` starts one loop thread, stopped by
    ///     ``shutdown(timeout:)``; a group the app passes (the one its `RedisKV` uses) is the app's to stop.
    ///   - logger: the worker's logger.
    /// - Throws: ``ConfigError`` for a var that isn't valid (a non-numeric `CACHE_TTL_SECONDS`, …);
    ///   the error opening a `USAGE_LOG` file.
    public init(
        vars: [String: String] = [:], secrets: [String: String] = [:],
        kv: [String: any KVNamespace] = ["CACHE": MemoryKV(), "CONTROL": MemoryKV()],
        limits: (any LimitsNamespace)? = nil, group: EventLoopGroup? = nil,
        logger: Logger = Logger(label: "aiproxy")
    ) throws {
        let loops = group ?? EventLoopGroup(threadCount: 1, name: "aiproxy-embedded")
        let ownedGroup = group == nil ? loops : nil
        var bindings: [String: Binding] = [:]
        for (name, value) in vars { bindings[name] = .text(value) }
        for (name, value) in secrets { bindings[name] = .secret(value) }
        for (name, namespace) in kv { bindings[name] = .kv(namespace) }
        if let limits { bindings["LIMITS"] = .limits(limits) }
        let env = Env(
            bindings: bindings,
            fetcher: CurlFetchClient(group: loops, configuration: FetchConfiguration(proxyVars: vars)))
        do {
            worker = try ProxyWorker(env: env, logger: logger)
        } catch {
            ownedGroup?.shutdown()
            throw error
        }
        self.env = env
        self.ownedGroup = ownedGroup
        runtime = InProcessRuntime(worker: worker, env: env)
    }

    /// Sends an OpenAI-format request (`/v1/chat/completions`, `/v1/embeddings`, …) through the
    /// proxy. The reply's body streams: a `"stream": true` call yields its SSE events as the
    /// provider sends them. Only the path and query of `request.url` matter (`http://proxy/v1/…`).
    /// - Throws: ``FetchError`` once ``shutdown(timeout:)`` has begun. Proxy errors (a bad key,
    ///   an upstream failure) are replies with OpenAI's error JSON, not throws.
    public func fetch(_ request: Request) async throws -> Response {
        try await runtime.fetch(request)
    }

    /// The calls' `waitUntil` work: `await proxy.background.idle()` returns once the cache writes
    /// and usage events of the calls so far are done (a second call can then hit the cache).
    public var background: BackgroundWork { runtime.background }

    /// Stops taking calls, waits up to `timeout` for calls in flight and for their `waitUntil`
    /// work (cache writes, usage events), writes the usage log, then stops the loops this proxy
    /// started; `true` if everything finished in time.
    /// - Important: read or cancel every reply body first: a stream's upstream transfer runs on
    ///   those loops, and its cache write starts after its last byte.
    @discardableResult
    public func shutdown(timeout: Duration = .seconds(30)) async -> Bool {
        let clean = await runtime.shutdown(timeout: timeout)
        await worker.flush()
        let stopLoops = loopsStopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        if stopLoops { ownedGroup?.shutdown() }
        return clean
    }
}
