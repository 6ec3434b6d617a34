import AIProxy
import EdgeRuntime
import Testing

@Suite struct EncryptedCacheTests {
    let clock = ManualWallClock()
    let prompt = #"{"model":"gpt-4o","messages":[{"role":"user","content":"the secret plan is PAPAYA"}],"seed":1}"#
    let answer = Array(#"{"choices":[{"message":{"content":"PAPAYA acknowledged"}}]}"#.utf8)
    let apiKey = "sk-test-key-ALPHA-1234567890"

    func key(_ secret: String, body: String? = nil, endpoint: String? = nil) throws -> CacheKey {
        let canonical = try JSONValue(parsing: body ?? prompt).canonical
        return try CacheKey(scopeSecret: secret, path: "/chat/completions", canonicalBody: canonical, org: nil, endpointName: endpoint)
    }

    func entry(ttl: Int = 604_800) -> CacheEntry {
        CacheEntry(status: 200, headers: [("content-type", "application/json")], body: answer, cachedAt: clock.now(), ttl: ttl)
    }

    @Test func roundTripAndKeyIgnoresWhitespaceAndOrder() async throws {
        let kv = MemoryKV(clock: clock)
        let cache = EncryptedCache(kv: kv, clock: clock)
        await cache.store(entry(), under: try key(apiKey))
        let reordered = #"{ "seed": 1, "messages": [{"content":"the secret plan is PAPAYA","role":"user"}], "model": "gpt-4o" }"#
        let hit = await cache.lookup(try key(apiKey, body: reordered))
        #expect(hit?.body == answer)
        #expect(try key(apiKey).storageKey.hasPrefix("aiproxy/cache/v1:"))
        #expect(try key(apiKey, endpoint: "pinned").storageKey != key(apiKey).storageKey)
    }

    @Test func kvHoldsNoPlaintextOfPromptResponseOrKey() async throws {
        let kv = MemoryKV(clock: clock)
        await EncryptedCache(kv: kv, clock: clock).store(entry(), under: try key(apiKey))
        let listed = try await kv.list(prefix: "")
        #expect(listed.keys.count == 1)
        for listedKey in listed.keys {
            let stored = try await kv.get(listedKey.name) ?? []
            for needle in ["PAPAYA", "secret plan", apiKey, "ALPHA", "gpt-4o", "choices"] {
                #expect(!contains(stored, needle), "value holds \(needle)")
                #expect(!listedKey.name.contains(needle), "key holds \(needle)")
            }
        }
    }

    @Test func anotherAPIKeyNeitherFindsNorReadsTheEntry() async throws {
        let kv = MemoryKV(clock: clock)
        let cache = EncryptedCache(kv: kv, clock: clock)
        let mine = try key(apiKey)
        await cache.store(entry(), under: mine)
        let theirs = try key("sk-someone-else")
        #expect(theirs.storageKey != mine.storageKey)
        #expect(await cache.lookup(theirs) == nil)
        // Even handed my entry's bytes in their slot, their key cannot open it.
        try await kv.put(theirs.storageKey, try await kv.get(mine.storageKey)!)
        #expect(await cache.lookup(theirs) == nil)
    }

    @Test func tamperedOrMovedCiphertextIsAMiss() async throws {
        let kv = MemoryKV(clock: clock)
        let cache = EncryptedCache(kv: kv, clock: clock)
        let original = try key(apiKey)
        await cache.store(entry(), under: original)
        let stored = try await kv.get(original.storageKey)!

        var flipped = stored
        flipped[flipped.count / 2] ^= 0x01
        try await kv.put(original.storageKey, flipped)
        #expect(await cache.lookup(original) == nil)

        try await kv.put(original.storageKey, Array(stored.prefix(10)))
        #expect(await cache.lookup(original) == nil, "a truncated value is a miss, not an error")

        // Same scope secret, another request: copying the value into that slot must not work (AAD).
        let other = try key(apiKey, body: #"{"model":"gpt-4o","messages":[],"seed":2}"#)
        try await kv.put(other.storageKey, stored)
        #expect(await cache.lookup(other) == nil)

        try await kv.put(original.storageKey, stored)
        #expect(await cache.lookup(original) != nil, "the untouched value still opens")
    }

    @Test func expiredEntriesAreNotServedAndMaxAgeIsHonoured() async throws {
        let kv = MemoryKV(clock: clock)
        let cache = EncryptedCache(kv: kv, clock: clock)
        let cacheKey = try key(apiKey)
        await cache.store(entry(ttl: 60), under: cacheKey)
        clock.advance(by: 30)
        #expect(await cache.lookup(cacheKey) != nil)
        #expect(await cache.lookup(cacheKey, maxAge: 10) == nil)
        clock.advance(by: 31)
        #expect(await cache.lookup(cacheKey) == nil)
    }

    private func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
