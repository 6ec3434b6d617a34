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
