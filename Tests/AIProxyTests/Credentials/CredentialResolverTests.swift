import AIProxy
import EdgeRuntime
import Testing

@Suite struct CredentialResolverTests {
    let clock = ManualWallClock()

    func setUp() async throws -> (ControlStore, CredentialResolver, String, MemoryKV) {
        let kv = MemoryKV(clock: clock)
        let store = try ControlStore(kv: kv, masterKey: "master-key-for-tests", clock: clock)
        try await store.addEndpoint(Endpoint(name: "primary", kind: .openai, baseURL: "http://up/v1", secret: "sk-upstream-SECRET"), org: "acme")
        let (token, _) = try await store.createKey(name: "ci", orgs: ["acme", "beta"])
        let resolver = CredentialResolver(
            store: store, cache: CredentialCache(ttl: 60, clock: clock), catalog: .builtIn,
            providerBaseURLs: [.openai: "https://api.openai.com/v1"])
        return (store, resolver, token, kv)
    }

    @Test func proxyKeyResolvesToItsOrgsEndpointsAndKVHoldsNoSecrets() async throws {
        let (_, resolver, token, kv) = try await setUp()
        let credentials = try await resolver.resolve(headers: ["authorization": "Bearer \(token)"], model: "gpt-4o")
        #expect(credentials.org == "acme")
        #expect(credentials.endpoints.map(\.secret) == ["sk-upstream-SECRET"])
        for key in try await kv.list(prefix: "").keys {
            let value = String(decoding: try await kv.get(key.name) ?? [], as: UTF8.self)
            #expect(!value.contains("sk-upstream-SECRET") && !value.contains(token))
            #expect(!key.name.contains(token))
        }
    }

    @Test func credentialCacheIsReusedForSixtySecondsAndNeverRereads() async throws {
        let (store, resolver, token, _) = try await setUp()
        let headers: Headers = ["x-api-key": token]
        _ = try await resolver.resolve(headers: headers, model: "gpt-4o")
        try await store.addEndpoint(Endpoint(name: "second", kind: .openai, baseURL: "http://up2/v1", secret: "s2"), org: "acme")
        // Within the window the cached resolution is used: the new endpoint is not seen yet.
        #expect(try await resolver.resolve(headers: headers, model: "gpt-4o").endpoints.count == 1)
        // `never` re-reads the store.
        var never = headers
        never["x-bt-use-creds-cache"] = "never"
        #expect(try await resolver.resolve(headers: never, model: "gpt-4o").endpoints.count == 2)
        clock.advance(by: 61)
        #expect(try await resolver.resolve(headers: headers, model: "gpt-4o").endpoints.count == 2)
    }

    @Test func anExpiredResolutionAnswersOnlyWhileTheStoreIsDown() async throws {
        let clock = self.clock
        let failing = FailingKV(clock: clock)
        let store = try ControlStore(kv: failing, masterKey: "master-key-for-tests", clock: clock)
        try await store.addEndpoint(Endpoint(name: "primary", kind: .openai, baseURL: "http://up/v1", secret: "s"), org: "acme")
        let (token, _) = try await store.createKey(name: "ci", orgs: ["acme"])
        let resolver = CredentialResolver(
            store: store, cache: CredentialCache(ttl: 60, staleIfError: 600, clock: clock), catalog: .builtIn, providerBaseURLs: [:])
        let headers: Headers = ["authorization": "Bearer \(token)"]
        _ = try await resolver.resolve(headers: headers, model: "gpt-4o")
        failing.isDown = true
        clock.advance(by: 300)
        // Past the 60 s window the store would be asked; it can't answer, so the known key still works.
        #expect(try await resolver.resolve(headers: headers, model: "gpt-4o").org == "acme")
        // Unless the caller insists on a fresh read.
        var never = headers
        never["x-bt-use-creds-cache"] = "never"
        await #expect(throws: ProxyError.controlStoreUnavailable) { try await resolver.resolve(headers: never, model: "gpt-4o") }
        // And not forever: past ttl + staleIfError it is gone.
        clock.advance(by: 400)
        await #expect(throws: ProxyError.controlStoreUnavailable) { try await resolver.resolve(headers: headers, model: "gpt-4o") }
        // A store that answers again is used again.
        failing.isDown = false
        #expect(try await resolver.resolve(headers: headers, model: "gpt-4o").org == "acme")
    }

    @Test func revokedKeyStopsWorkingWithinTheCacheWindow() async throws {
        let (store, resolver, token, _) = try await setUp()
        let headers: Headers = ["authorization": "Bearer \(token)"]
        _ = try await resolver.resolve(headers: headers, model: "gpt-4o")
        let id = ProxyKey.id(forHash: ProxyKey.hash(token))
        #expect(try await store.revokeKey(id))
        clock.advance(by: 30)
        _ = try await resolver.resolve(headers: headers, model: "gpt-4o")  // still cached: documented window
        clock.advance(by: 31)
        await #expect(throws: ProxyError.invalidAPIKey) { try await resolver.resolve(headers: headers, model: "gpt-4o") }
    }

    @Test func orgSelectionAndErrors() async throws {
        let (_, resolver, token, _) = try await setUp()
        #expect(try await resolver.resolve(headers: ["x-api-key": token, "x-bt-org-name": "beta"], model: "gpt-4o").org == "beta")
        await #expect(throws: ProxyError.unknownOrg("other")) {
            try await resolver.resolve(headers: ["x-api-key": token, "x-bt-org-name": "other"], model: "gpt-4o")
        }
        await #expect(throws: ProxyError.missingAPIKey) { try await resolver.resolve(headers: [:], model: "gpt-4o") }
        await #expect(throws: ProxyError.invalidAPIKey) {
            try await resolver.resolve(headers: ["x-api-key": "sk-aip-never-issued"], model: "gpt-4o")
        }
        await #expect(throws: ProxyError.self) {
            try await resolver.resolve(headers: ["x-api-key": token, "x-bt-use-creds-cache": "maybe"], model: "gpt-4o")
        }
    }

    @Test func providerKeyIsUsedDirectly() async throws {
        let (_, resolver, _, _) = try await setUp()
        let credentials = try await resolver.resolve(headers: ["authorization": "Bearer sk-openai-raw"], model: "gpt-4o-mini")
        #expect(!credentials.isProxyKey)
        #expect(credentials.endpoints == [Endpoint(name: "openai", kind: .openai, baseURL: "https://api.openai.com/v1", secret: "sk-openai-raw")])
        await #expect(throws: ProxyError.unknownModel("mystery")) {
            try await resolver.resolve(headers: ["authorization": "Bearer sk-openai-raw"], model: "mystery")
        }
    }
}

/// A memory KV that can be switched to fail every call, as a store that is down does.
final class FailingKV: KVNamespace, @unchecked Sendable {
    // @unchecked: `isDown` is flipped by the test between awaited calls, never concurrently.
    private let backing: MemoryKV
    var isDown = false

    init(clock: ManualWallClock) { backing = MemoryKV(clock: clock) }

    private func check() throws {
        if isDown { throw KVError(code: .unavailable, message: "down for the test") }
    }

    func getWithMetadata(_ key: String) async throws -> KVEntry? {
        try check()
        return try await backing.getWithMetadata(key)
    }

    func put(_ key: String, _ value: [UInt8], expirationTTL: Duration?, metadata: String?) async throws {
        try check()
        try await backing.put(key, value, expirationTTL: expirationTTL, metadata: metadata)
    }

    func delete(_ key: String) async throws {
        try check()
        try await backing.delete(key)
    }

    func list(prefix: String, limit: Int, cursor: String?) async throws -> KVListResult {
        try check()
        return try await backing.list(prefix: prefix, limit: limit, cursor: cursor)
    }
}
