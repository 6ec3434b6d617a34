import AIProxy
import EdgeRuntime
import Testing

/// `Credentials+CacheScope`: whose cache a call reads and writes.
@Suite struct CredentialsCacheScopeTests {
    let secret = SecureRandom.bytes(count: 32)

    func proxyKey(org: String = "acme", secret: [UInt8]?) -> Credentials {
        Credentials(org: org, endpoints: [], isProxyKey: true, orgCacheSecret: secret)
    }

    @Test func withoutAnOrgSecretTheScopeIsTheCallersOwnToken() {
        #expect(proxyKey(secret: nil).cacheScopeSecret(token: "sk-aip-one") == "sk-aip-one")
    }

    @Test func aProviderKeyNeverShares() {
        let provider = Credentials(org: "acme", endpoints: [], isProxyKey: false, orgCacheSecret: secret)
        #expect(provider.cacheScopeSecret(token: "sk-provider") == "sk-provider")
    }

    @Test func keysOfAnOptedInOrgShareOneScopeBoundToTheOrgAndItsSecret() {
        let one = proxyKey(secret: secret).cacheScopeSecret(token: "sk-aip-one")
        #expect(one == proxyKey(secret: secret).cacheScopeSecret(token: "sk-aip-two"))
        #expect(one != "sk-aip-one" && !one.contains(Base64URL.encode(secret)))
        #expect(one != proxyKey(org: "beta", secret: secret).cacheScopeSecret(token: "sk-aip-one"))
        #expect(one != proxyKey(secret: SecureRandom.bytes(count: 32)).cacheScopeSecret(token: "sk-aip-one"))
    }

    @Test func theResolverCarriesTheSecretOfTheOrgTheCallIsFor() async throws {
        let clock = ManualWallClock()
        let store = try ControlStore(kv: MemoryKV(clock: clock), masterKey: "scope-test-master-key", clock: clock)
        for org in ["acme", "beta", "gamma"] {
            try await store.addEndpoint(
                Endpoint(name: "e", kind: .openai, baseURL: "http://up/v1", secret: "s"), org: org)
        }
        _ = try await store.updateOrg("acme", changes: ["shared_cache": true])
        let first = try await store.createKey(name: "a", orgs: ["acme", "beta"]).token
        let second = try await store.createKey(name: "b", orgs: ["acme"]).token
        let third = try await store.createKey(name: "c", orgs: ["gamma"]).token
        let resolver = CredentialResolver(
            store: store, cache: CredentialCache(ttl: 60, clock: clock), catalog: .builtIn, providerBaseURLs: [:])
        func scope(_ token: String, _ headers: Headers = [:]) async throws -> String {
            var headers = headers
            headers["authorization"] = "Bearer \(token)"
            return try await resolver.resolve(headers: headers, model: "gpt-4o").cacheScopeSecret(token: token)
        }
        let shared = try await scope(first)
        #expect(try await scope(second) == shared)
        #expect(try await scope(third) == third)
        #expect(try await scope(first, ["x-bt-org-name": "beta"]) == first, "beta does not share")
        _ = try await store.updateOrg("acme", changes: ["shared_cache": false])
        #expect(try await scope(second) == shared, "the credential cache keeps the old resolution for its TTL")
        #expect(try await scope(second, ["x-bt-use-creds-cache": "never"]) == second)
        clock.advance(by: 61)
        #expect(try await scope(first) == first)
    }
}
