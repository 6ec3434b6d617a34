import AIProxy
import Testing

@Suite struct EndpointSelectorTests {
    let selector = EndpointSelector(catalog: .builtIn, registry: .standard)
    let endpoints: [Endpoint] = [.test("a"), .test("b"), .test("c"), .test("custom", models: ["my-finetune"]), .test("far", kind: "nowhere")]

    @Test func catalogModelGoesToEveryEndpointOfItsProviderFromARandomStart() throws {
        var random = SplitMix64(state: 7)
        let order = try selector.candidates(for: "gpt-4o", among: endpoints, pinned: nil, using: &random).map(\.name)
        #expect(Set(order) == ["a", "b", "c"])
        #expect(order.count == 3)
        // The order is a rotation of the configured order: failover wraps around.
        let rotations = [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]]
        #expect(rotations.contains(order))
    }

    @Test func startSpreadsAcrossCandidates() throws {
        var system = SystemRandomNumberGenerator()
        var firsts: Set<String> = []
        for _ in 0..<200 {
            firsts.insert(try selector.candidates(for: "gpt-4o-mini", among: endpoints, pinned: nil, using: &system)[0].name)
        }
        #expect(firsts == ["a", "b", "c"])
    }

    @Test func customModelsOverrideTheCatalog() throws {
        var random = SplitMix64(state: 1)
        #expect(try selector.candidates(for: "my-finetune", among: endpoints, pinned: nil, using: &random).map(\.name) == ["custom"])
        #expect(try !selector.candidates(for: "gpt-4o", among: endpoints, pinned: nil, using: &random).map(\.name).contains("custom"))
    }

    @Test func pinnedEndpoint() throws {
        var random = SplitMix64(state: 1)
        #expect(try selector.candidates(for: "gpt-4o", among: endpoints, pinned: "b", using: &random).map(\.name) == ["b"])
        #expect(throws: ProxyError.invalidHeader(name: "x-bt-endpoint-name", reason: "no endpoint named custom can serve this request")) {
            try selector.candidates(for: "gpt-4o", among: endpoints, pinned: "custom", using: &random)
        }
    }

    @Test func unknownModelAndMissingEndpoint() {
        var random = SplitMix64(state: 1)
        #expect(throws: ProxyError.unknownModel("no-such-model")) {
            try selector.candidates(for: "no-such-model", among: endpoints, pinned: nil, using: &random)
        }
        #expect(throws: ProxyError.noEndpoint(model: "gpt-4o")) {
            try selector.candidates(for: "gpt-4o", among: [.test("custom", models: ["x"])], pinned: nil, using: &random)
        }
    }

    @Test func datedVariantsResolveThroughTheirFamily() {
        #expect(ModelCatalog.builtIn.model("gpt-4o-2024-08-06")?.flavor == .chat)
        #expect(ModelCatalog.builtIn.model("ft:gpt-4o-mini:acme::abc123")?.providers.contains(.openai) == true)
        #expect(ModelCatalog.builtIn.model("text-embedding-3-small")?.flavor == .embedding)
    }
}
