import AIProxy
import EdgeRuntime
import Testing

@testable import AIProxy

@Suite struct ModelCatalogTests {
    let catalog = ModelCatalog.builtIn

    @Test func theShippedFileCoversEveryProviderWithLimitsAndPrices() {
        #expect(catalog.all.count >= 80)
        let formats = Set(catalog.all.map(\.format))
        #expect(formats == [.openai, .anthropic, .google, .converse])
        // Every provider type in the file has an adapter, and every adapter but the local ones has models.
        let kinds = Set(catalog.all.flatMap(\.providers))
        #expect(kinds.allSatisfy { ProviderRegistry.standard.adapter(for: $0) != nil }, "\(kinds)")
        for kind in ProviderRegistry.standard.kinds where !["ollama", "openai-compatible"].contains(kind.rawValue) {
            #expect(kinds.contains(kind), "the catalog has models for \(kind)")
        }
        let gpt4o = catalog.model("gpt-4o")
        #expect(gpt4o?.maxInputTokens == 128_000 && gpt4o?.inputCostPerMTok == 2.5 && gpt4o?.outputCostPerMTok == 10)
        #expect(catalog.model("amazon.nova-pro-v1:0")?.format == .converse)
        #expect(catalog.model("gemini-embedding-001")?.flavor == .embedding)
    }

    @Test func datedAndFineTunedIdsResolveThroughTheirFamily() {
        #expect(catalog.model("gpt-4o-2024-08-06")?.inputCostPerMTok == catalog.model("gpt-4o")?.inputCostPerMTok)
        #expect(catalog.model("gpt-4o-mini-2024-07-18")?.inputCostPerMTok == catalog.model("gpt-4o-mini")?.inputCostPerMTok)
        #expect(catalog.model("ft:gpt-4o-mini:acme::abc")?.providers == catalog.model("gpt-4o-mini")?.providers)
        #expect(catalog.model("claude-3-5-sonnet-20241022")?.format == .anthropic)
        #expect(catalog.model("gemini-2.5-flash-preview-05-20")?.format == .google)
        #expect(catalog.model("no-such-model") == nil)
    }

    @Test func aMalformedFileNamesTheBadEntry() {
        #expect(throws: ProxyError.invalidRequest("model catalog: models[1] needs an id, a format and a flavor (chat, completion, embedding or moderation)")) {
            try ModelCatalog(json: Array(#"{"models":[{"id":"a","format":"openai","flavor":"chat"},{"id":"b","format":"openai","flavor":"poem"}]}"#.utf8))
        }
        #expect(throws: ProxyError.self) {
            try ModelCatalog(json: Array(#"{"models":[],"families":[{"prefix":"x-","model":"missing"}]}"#.utf8))
        }
    }

    @Test func anEndpointsCustomModelsOverrideTheCatalogAndSurviveStorage() throws {
        let custom = ModelCatalog.Model(id: "gpt-4o", format: .openai, flavor: .chat, providers: ["openai-compatible"])
        let local = Endpoint(name: "local", kind: "openai-compatible", baseURL: "http://127.0.0.1:8000/v1", secret: "s", customModels: [
            custom, ModelCatalog.Model(id: "my-llama", format: .openai, flavor: .chat, providers: ["openai-compatible"]),
        ])
        let stored = try #require(Endpoint(json: local.json(includingSecret: true)))
        #expect(stored.customModels.map(\.id) == ["gpt-4o", "my-llama"])
        let selector = EndpointSelector(catalog: catalog, registry: .standard)
        var random = SplitMix64(state: 3)
        let openai = Endpoint(name: "openai", kind: .openai, baseURL: "https://api.openai.com/v1", secret: "k")
        #expect(try selector.candidates(for: "my-llama", among: [openai, stored], pinned: nil, using: &random).map(\.name) == ["local"])
        // `gpt-4o` is also a custom model of `local`, so both endpoints may serve it.
        #expect(Set(try selector.candidates(for: "gpt-4o", among: [openai, stored], pinned: nil, using: &random).map(\.name)) == ["openai", "local"])
    }
}
