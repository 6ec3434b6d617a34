public import EdgeRuntime

/// One call's way through the proxy after its credentials are known: cache policy, cache
/// lookup, endpoint selection and failover, then the response relayed (streamed when the
/// upstream streams) and teed into the cache once it completed successfully.
public struct CallRelay: Sendable {
    public let cache: EncryptedCache?
    public let selector: EndpointSelector
    public let failover: Failover
    public let configuration: ProxyConfiguration
    public let logger: Logger
    /// Where failover starts; weak randomness is enough to spread load.
    let random = StartingPoints()

    public init(cache: EncryptedCache?, selector: EndpointSelector, failover: Failover, configuration: ProxyConfiguration, logger: Logger) {
        self.cache = cache
        self.selector = selector
        self.failover = failover
        self.configuration = configuration
        self.logger = logger
    }

    /// The response for `call`; upstream errors come back as the upstream sent them.
    public func respond(to call: ProxyCall, credentials: Credentials, scopeSecret: String, ctx: ExecutionContext) async throws -> Response {
        let pinned = call.headers["x-bt-endpoint-name"]
        let policy = try cachePolicy(for: call)
        var cacheKey: CacheKey?
        if let cache, policy.read || policy.write, let body = call.body {
            let key = try CacheKey(scopeSecret: scopeSecret, path: call.path, canonicalBody: body.canonical, org: credentials.org, endpointName: pinned)
            cacheKey = key
            if policy.read, let entry = await cache.lookup(key, maxAge: policy.maxAge) {
                return hit(entry, now: cache.clock.now())
            }
        }
        var random = random.generator()
        let candidates = try selector.candidates(for: call.model, operation: call.operation, among: credentials.endpoints, pinned: pinned, using: &random)
        // Only calls that go upstream need the model's limits (cache hits returned above).
        var call = call
        call.catalogModel = call.model.flatMap(selector.catalog.model)
        let (endpoint, upstream) = try await failover.send(call, to: candidates)
        guard let adapter = selector.registry.adapter(for: endpoint.kind) else {
            throw ProxyError.upstreamUnreachable("no adapter for \(endpoint.kind)")
        }
        let cacheState = cacheKey == nil ? nil : "MISS"
        var headers = ResponseHeaders.forClient(upstream.headers, endpoint: endpoint, cached: cacheState)
        // Native operations (the provider's own API) go back exactly as the provider answered.
        let native = adapter.nativeOperations.contains(call.operation)
        guard (200..<300).contains(upstream.status) else {
            let body = try await upstream.body.collect(upTo: 4 << 20)
            let translated = native ? body : adapter.translateError(body, status: upstream.status)
            return Response(status: upstream.status, headers: headers, body: Body(bytes: translated))
        }
        let store: (@Sendable ([UInt8]) -> Void)? =
            if let cache, let cacheKey, policy.write, upstream.status == 200 {
                { [headers] body in
                    let entry = CacheEntry(
                        status: 200, headers: Self.cachedHeaders(headers), body: body, cachedAt: cache.clock.now(), ttl: policy.ttl)
                    // Written after the response is complete, outside the client's path.
                    ctx.waitUntil { await cache.store(entry, under: cacheKey) }
                }
            } else {
                nil
            }
        let isEventStream = upstream.headers["content-type"]?.lowercased().hasPrefix(adapter.streamContentType) == true
        if call.isStreaming && isEventStream {
            headers["content-type"] = "text/event-stream; charset=utf-8"
            headers["cache-control"] = "no-cache"
            let relay = StreamRelay(
                decoder: adapter.makeStreamDecoder(), translator: adapter.makeStreamTranslator(for: call), logger: logger)
            return Response(status: upstream.status, headers: headers, body: relay.start(upstream: upstream.body, store: store, ctx: ctx))
        }
        if adapter.speaksOpenAIFormat || native {
            // Already in the format the client asked for: relay the bytes as they come, keeping a copy for the cache.
            let tee = BodyTee(logger: logger)
            return Response(status: upstream.status, headers: headers, body: tee.start(upstream: upstream.body, store: store, ctx: ctx))
        }
        let body = try adapter.translateResponse(try await upstream.body.collect(upTo: 64 << 20), for: call)
        headers["content-type"] = "application/json"
        store?(body)
        return Response(status: upstream.status, headers: headers, body: Body(bytes: body))
    }

    private func cachePolicy(for call: ProxyCall) throws -> CachePolicy {
        guard call.operation != .passthrough else { return .bypass }
        return try CachePolicy.evaluate(
            headers: call.headers, body: call.body, alwaysCacheable: call.operation.isDeterministic, defaultTTL: configuration.cacheTTL)
    }

    private func hit(_ entry: CacheEntry, now: Double) -> Response {
        var headers = Headers(entry.headers)
        headers["x-bt-cached"] = "HIT"
        headers["age"] = String(max(0, Int(now - entry.cachedAt)))
        return Response(status: entry.status, headers: headers, body: Body(bytes: entry.body))
    }

    /// Headers worth replaying from the cache (content type and which endpoint answered).
    static func cachedHeaders(_ headers: Headers) -> [(String, String)] {
        headers.filter { ["content-type", "x-bt-used-endpoint", "cache-control"].contains($0.name.lowercased()) }.map { ($0.name, $0.value) }
    }
}
