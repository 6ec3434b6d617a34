public import EdgeRuntime

/// Stores a complete, successful reply under the key the lookup step found, in `waitUntil`
/// (after the reply is sent, outside the client's path). An incomplete stream is never stored.
struct CacheStoreStep: RelayStep {
    let cache: EncryptedCache

    func handle(_ call: RelayCall, next: RelayNext) async throws -> Response {
        guard let key = call.cacheKey, call.cachePolicy.write else { return try await next(call) }
        var call = call
        call.keepsBody = true
        let (cache, ctx, ttl) = (cache, call.ctx, call.cachePolicy.ttl)
        call.onFinish.append { outcome in
            guard outcome.complete, outcome.status == 200, let body = outcome.body else { return }
            let entry = CacheEntry(
                status: 200, headers: Self.replayedHeaders(outcome.headers), body: body, cachedAt: cache.clock.now(),
                ttl: ttl)
            ctx.waitUntil { await cache.store(entry, under: key) }
        }
        return try await next(call)
    }

    /// Headers worth replaying from the cache (content type and which endpoint answered).
    static func replayedHeaders(_ headers: Headers) -> [(String, String)] {
        headers.filter { $0.hasName(in: ["content-type", "x-bt-used-endpoint", "cache-control"]) }
            .map { ($0.name, $0.value) }
    }
}
