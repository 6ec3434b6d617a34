import EdgeRuntime
import Testing

@testable import AIProxy

@Suite struct AnthropicAdapterTests {
    static let endpoint = Endpoint(
        name: "claude", kind: .anthropic, baseURL: "https://api.anthropic.com/v1/", secret: "sk-ant-secret")

    static func call(_ body: String, path: String = "/chat/completions", headers: Headers = [:]) throws -> ProxyCall {
        ProxyCall(
            operation: path == "/chat/completions" ? .chatCompletions : .passthrough, method: .post, path: path,
            headers: headers,
            rawBody: Array(body.utf8), body: try JSONValue(parsing: body))
    }

    @Test func requestGoesToMessagesWithAnthropicsHeadersAndNoClientCredentials() async throws {
        let call = try Self.call(
            #"{"model":"claude-3-5-haiku-latest","stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
            headers: [
                "authorization": "Bearer sk-aip-proxy-key", "anthropic-beta": "prompt-caching-2024-07-31",
                "cookie": "a=b",
            ])
        let request = try AnthropicAdapter().makeRequest(for: call, endpoint: Self.endpoint)
        #expect(request.method == .post)
        #expect(request.url == "https://api.anthropic.com/v1/messages")
        #expect(request.headers["x-api-key"] == "sk-ant-secret")
        #expect(request.headers["anthropic-version"] == "2023-06-01")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["anthropic-beta"] == "prompt-caching-2024-07-31")
        #expect(request.headers["authorization"] == nil && request.headers["cookie"] == nil)
        let body = try JSONValue(parsing: try await request.body.collect(upTo: 1 << 16))
        #expect(body["max_tokens"] == 4096 && body["stream"] == true)
    }

    @Test func otherOpenAIPathsAreRefused() throws {
        let call = try Self.call(#"{"model":"claude-3-5-haiku-latest","input":"x"}"#, path: "/embeddings")
        #expect(throws: ProxyError.self) { try AnthropicAdapter().makeRequest(for: call, endpoint: Self.endpoint) }
    }

    @Test func claudeModelsAreInTheCatalogIncludingDatedSnapshots() {
        #expect(ModelCatalog.builtIn.model("claude-3-5-sonnet-latest")?.providers == [.anthropic])
        #expect(ModelCatalog.builtIn.model("claude-3-5-sonnet-20241022")?.format == .anthropic)
        #expect(ProviderRegistry.standard.adapter(for: .anthropic) is AnthropicAdapter)
    }
}
