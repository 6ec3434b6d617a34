public import EdgeRuntime

/// Answers from the cache when the policy allows and a fresh entry exists; otherwise passes the
/// call on with its cache key and policy, so later steps can store the reply. In cache-only mode
/// (`x-bt-use-cache: only`) a miss ends here with `cache_miss`; so does any call when the proxy
/// has no cache (`cache` is `nil`).
struct CacheLookupStep: RelayStep {
    let cache: EncryptedCache?
    let defaultTTL: Int
    let defaultMode: CachePolicy.Mode

    func handle(_ call: RelayCall, next: RelayNext) async throws -> Response {
        guard let (policy, body, cache) = try consulted(call) else { return try await next(call) }
        return try await lookUp(call, policy: policy, body: body, in: cache, next: next)
    }

    /// The call's cache policy, body and cache when the cache has a part in it; `nil` when it
    /// goes straight on.
    /// - Throws: `cache_miss` in cache-only mode when there is nothing to look up.
    @inline(never)
    private func consulted(_ call: RelayCall) throws -> (CachePolicy, JSONValue, EncryptedCache)? {
        let policy = try Self.policy(for: call.call, defaultTTL: defaultTTL, defaultMode: defaultMode)
        guard policy.read || policy.write, let body = call.call.body, let cache else {
            if policy.cacheOnly { throw ProxyError.cacheMiss(model: call.call.model, keyHash: nil) }
            return nil
        }
        return (policy, body, cache)
    }

    /// A call the cache may answer. Kept out of `handle`, so a call that skips the cache doesn't
    /// hold this larger frame for its whole length.
    @inline(never)
    private func lookUp(
        _ call: RelayCall, policy: CachePolicy, body: JSONValue, in cache: EncryptedCache, next: RelayNext
    ) async throws -> Response {
        let key = try CacheKey(
            scopeSecret: call.scopeSecret, path: call.call.path, canonicalBody: body.canonical,
            org: call.credentials.org,
            endpointName: call.call.headers["x-bt-endpoint-name"])
        if policy.read, let entry = await cache.lookup(key, maxAge: policy.maxAge) {
            return Self.hit(entry, now: cache.clock.now())
        }
        if policy.cacheOnly { throw ProxyError.cacheMiss(model: call.call.model, keyHash: key.hashPrefix) }
        var call = call
        call.cacheKey = key
        call.cachePolicy = policy
        return try await next(call)
    }

    @inline(never)
    static func policy(for call: ProxyCall, defaultTTL: Int, defaultMode: CachePolicy.Mode) throws -> CachePolicy {
        let policy = try CachePolicy.evaluate(
            headers: call.headers, body: call.body, alwaysCacheable: call.operation.isDeterministic,
            defaultTTL: defaultTTL, defaultMode: defaultMode)
        guard call.operation == .passthrough else { return policy }
        // Other API paths are relayed as they are, never cached: cache-only mode can't answer them.
        return policy.cacheOnly ? CachePolicy(read: false, write: false, ttl: 0, cacheOnly: true) : .bypass
    }

    static func hit(_ entry: CacheEntry, now: Double) -> Response {
        var headers = Headers(entry.headers)
        headers["x-bt-cached"] = "HIT"
        headers["age"] = String(max(0, Int(now - entry.cachedAt)))
        return Response(status: entry.status, headers: headers, body: Body(bytes: entry.body))
    }
}
