import AIProxy
import EdgeRuntime
import Testing

/// `ControlStore+Orgs`: an org's limits and its shared-cache secret, sealed at rest.
@Suite struct ControlStoreOrgsTests {
    let kv = MemoryKV()

    func store(masterKey: String? = "orgs-test-master-key") throws -> ControlStore {
        try ControlStore(kv: kv, masterKey: masterKey)
    }

    /// Every KV key and value, as text.
    func stored() async throws -> [(String, String)] {
        var all: [(String, String)] = []
        for key in try await kv.list(prefix: "").keys {
            all.append((key.name, String(decoding: try await kv.get(key.name) ?? [], as: UTF8.self)))
        }
        return all
    }

    @Test func sharedCacheOnStoresARandomSecretSealedNeverInPlainTextOrShown() async throws {
        let store = try store()
        let record = try await store.updateOrg("acme", changes: ["shared_cache": true, "rpm_limit": 5])
        #expect(record.sharesCache && record.limits.rpmLimit == 5)
        let secret = try #require(store.orgCacheSecret(of: try await store.org("acme")))
        #expect(secret.count == 32)
        for (key, value) in try await stored() {
            for form in [Base64URL.encode(secret), String(decoding: secret, as: UTF8.self)] {
                #expect(!key.contains(form) && !value.contains(form))
            }
            #expect(value.contains("cache_secret_sealed"))
        }
        #expect(record.json["shared_cache"] == true)
        #expect(record.json["cache_secret_sealed"] == nil)
    }

    @Test func onAgainKeepsTheSecretAndLimitChangesKeepIt() async throws {
        let store = try store()
        _ = try await store.updateOrg("acme", changes: ["shared_cache": true])
        let first = store.orgCacheSecret(of: try await store.org("acme"))
        _ = try await store.updateOrg("acme", changes: ["shared_cache": true])
        _ = try await store.updateOrg("acme", changes: ["tpm_limit": 1000])
        let record = try await store.org("acme")
        #expect(store.orgCacheSecret(of: record) == first && record.limits.tpmLimit == 1000)
    }

    @Test func offDeletesTheSecretAndOnAfterOffMakesANewOne() async throws {
        let store = try store()
        _ = try await store.updateOrg("acme", changes: ["shared_cache": true, "rpm_limit": 7])
        let first = try #require(store.orgCacheSecret(of: try await store.org("acme")))
        let off = try await store.updateOrg("acme", changes: ["shared_cache": false])
        #expect(!off.sharesCache && off.limits.rpmLimit == 7, "limits stay")
        #expect(store.orgCacheSecret(of: try await store.org("acme")) == nil)
        #expect(try await stored().allSatisfy { !$0.1.contains("cache_secret_sealed") })
        _ = try await store.updateOrg("acme", changes: ["shared_cache": true])
        let second = try #require(store.orgCacheSecret(of: try await store.org("acme")))
        #expect(second != first, "an earlier sharing period's entries are not resurrected")
    }

    @Test func theSecretOpensOnlyWithTheMasterKeyAndOnlyForItsOrg() async throws {
        _ = try await store().updateOrg("acme", changes: ["shared_cache": true])
        let acme = try await store().org("acme")
        #expect(try store(masterKey: "another-master-key").orgCacheSecret(of: acme) == nil)
        #expect(try store(masterKey: nil).orgCacheSecret(of: acme) == nil)
        // The sealed secret copied into another org's record does not open there.
        let copied = try #require(try await kv.get("aiproxy/orgs/v1:acme"))
        try await kv.put("aiproxy/orgs/v1:other", copied)
        let store = try store()
        let other = try await store.org("other")
        #expect(other.sharesCache && store.orgCacheSecret(of: other) == nil)
    }

    @Test func badChangesAreRefusedAndNothingIsWritten() async throws {
        await #expect(throws: ProxyError.self) { try await store().updateOrg("acme", changes: ["shared_cache": "on"]) }
        await #expect(throws: ProxyError.self) { try await store().updateOrg("acme", changes: ["name": "x"]) }
        await #expect(throws: ProxyError.self) {
            try await store(masterKey: nil).updateOrg("acme", changes: ["shared_cache": true])
        }
        #expect(try await stored().isEmpty)
        #expect(try await store().org("acme") == OrgRecord(name: "acme"))
    }
}
