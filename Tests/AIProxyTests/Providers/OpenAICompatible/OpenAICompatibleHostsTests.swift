import AIProxy
import EdgeRuntime
import MockUpstream
import Testing

@Suite struct OpenAICompatibleHostsTests {
    @Test func everyHostHasAnAdapterAndADefaultBaseURL() throws {
        let configuration = try ProxyConfiguration(env: Env(fetcher: InProcessFetchClient(routes: [:])))
        for host in OpenAICompatibleHost.all {
            #expect(ProviderRegistry.standard.adapter(for: host.kind) is OpenAIAdapter, "\(host.kind)")
            #expect(configuration.providerBaseURLs[host.kind] == host.baseURL)
            if !["ollama", "openai-compatible"].contains(host.kind.rawValue) {
                #expect(ModelCatalog.builtIn.all.contains { $0.providers.contains(host.kind) }, "the catalog has models for \(host.kind)")
            }
        }
    }

    @Test func aGroqModelWithAProviderKeyGoesToGroqsBaseURL() async throws {
        let mock = MockOpenAIWorker(name: "groq", apiKey: "gsk-test")
        let env = Env(
            bindings: ["GROQ_BASE_URL": .text("http://mock-groq/openai/v1"), "OPENAI_COMPATIBLE_BASE_URL": .text("http://local/v1")],
            fetcher: InProcessFetchClient(routes: ["mock-groq": mock]))
        #expect(try ProxyConfiguration(env: env).providerBaseURLs["openai-compatible"] == "http://local/v1")
        let worker = try ProxyWorker(env: env, logger: Logger(label: "test", level: .error))
        let request = Request(
            method: .post, url: "http://proxy/v1/chat/completions", headers: ["authorization": "Bearer gsk-test"],
            body: Body(string: #"{"model":"llama-3.3-70b-versatile","messages":[{"role":"user","content":"fast"}]}"#))
        let response = try await worker.fetch(request, env: env, ctx: ExecutionContext(requestID: "t", tracker: BackgroundWork()))
        #expect(response.status == 200)
        #expect(response.headers["x-bt-used-endpoint"] == "groq")
        #expect(try await response.body.text(upTo: 1 << 16).contains("Mock reply to: fast"))
        #expect(mock.log.all.first?.path == "/openai/v1/chat/completions")
    }
}
