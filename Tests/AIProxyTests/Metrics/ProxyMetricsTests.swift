import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// What the proxy counts, read back from the registry's text.
@Suite struct ProxyMetricsTests {
    static func value(_ text: String, _ series: String) -> Double {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap {
            Double($0.split(separator: " ").last!)
        } ?? 0
    }

    @Test func callsTokensAndFailoversAreCounted() async throws {
        let control = MemoryKV()
        let mock = MockOpenAIWorker()
        let env = Env(
            bindings: ["CONTROL": .kv(control), "AIPROXY_MASTER_KEY": .secret("metrics-test")],
            fetcher: InProcessFetchClient(routes: ["mock": mock]))
        let store = try ControlStore(kv: control, masterKey: "metrics-test")
        try await store.addEndpoint(
            Endpoint(name: "main", kind: .openai, baseURL: "http://mock/v1", secret: "sk"), org: "acme")
        // No worker answers for this host: a call that starts here fails over to main.
        try await store.addEndpoint(
            Endpoint(name: "dead", kind: "mistral", baseURL: "http://nowhere/v1", secret: "sk", models: ["gpt-4o"]),
            org: "acme")
        let key = try await store.createKey(name: "m", orgs: ["acme"]).token
        let registry = MetricsRegistry()
        let worker = try ProxyWorker(
            env: env, logger: Logger(label: "t", level: .error), metrics: ProxyMetrics(registry: registry))
        let background = BackgroundWork()
        var inputTokens = 0
        for _ in 0..<20 {
            let request = Request(
                method: .post, url: "http://proxy/v1/chat/completions",
                headers: ["authorization": "Bearer \(key)", "x-bt-use-cache": "never"],
                body: Body(string: #"{"model":"gpt-4o","messages":[{"role":"user","content":"one two three"}]}"#))
            let response = try await worker.fetch(
                request, env: env, ctx: ExecutionContext(requestID: UUID().uuidString, tracker: background))
            let reply = try JSONValue(parsing: try await response.body.collect(upTo: 1 << 20))
            #expect(response.status == 200)
            inputTokens += reply["usage"]?["prompt_tokens"]?.intValue ?? 0
        }
        await background.idle()
        let text = registry.render()
        #expect(Self.value(text, #"aiproxy_requests_total{route="/v1/chat/completions",status="200"}"#) == 20)
        let labels = #"gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o""#
        #expect(Self.value(text, "gen_ai_client_token_usage_count{\(labels),gen_ai_token_type=\"input\"}") == 20)
        #expect(
            Self.value(text, "gen_ai_client_token_usage_sum{\(labels),gen_ai_token_type=\"input\"}")
                == Double(inputTokens))
        #expect(Self.value(text, "gen_ai_server_request_duration_seconds_count{\(labels)}") == 20)
        // A random start: about half the calls begin at the dead endpoint (all 20 at main: 2⁻²⁰).
        let failovers = Self.value(
            text, #"aiproxy_failovers_total{gen_ai_provider_name="mistral_ai",reason="unreachable"}"#)
        #expect(failovers >= 1 && failovers <= 20)
        #expect(!text.contains("key_id") && !text.contains("acme"))
    }
}
