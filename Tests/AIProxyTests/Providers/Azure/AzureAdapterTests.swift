import AIProxy
import EdgeRuntime
import MockUpstream
import Testing

@Suite struct AzureAdapterTests {
    let call = ProxyCall(
        operation: .chatCompletions, method: .post, path: "/chat/completions", headers: ["authorization": "Bearer client-key"],
        rawBody: Array(#"{"model":"gpt-4o","messages":[]}"#.utf8))

    @Test func deploymentURLApiVersionAndApiKeyHeader() throws {
        let endpoint = Endpoint(
            name: "az", kind: .azure, baseURL: "https://acme.openai.azure.com", secret: "azure-secret",
            options: ["deployment": "gpt4o-prod", "api_version": "2024-06-01"])
        let request = try AzureAdapter().makeRequest(for: call, endpoint: endpoint)
        #expect(request.url == "https://acme.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-06-01")
        #expect(request.headers["api-key"] == "azure-secret")
        #expect(request.headers["authorization"] == nil, "the client's key never reaches Azure")
        let deploymentURL = Endpoint(name: "az", kind: .azure, baseURL: "https://acme.openai.azure.com/openai/deployments/d1", secret: "s")
        #expect(try AzureAdapter().makeRequest(for: call, endpoint: deploymentURL).url.hasSuffix("/deployments/d1/chat/completions?api-version=\(AzureAdapter.defaultAPIVersion)"))
    }

    @Test func proxiedThroughAnOrgEndpoint() async throws {
        let mock = MockOpenAIWorker(name: "azure")
        let control = MemoryKV()
        let store = try ControlStore(kv: control, masterKey: "k")
        try await store.addEndpoint(Endpoint(name: "az", kind: .azure, baseURL: "http://mock-azure", secret: "s", options: ["deployment": "d"]), org: "acme")
        let (token, _) = try await store.createKey(name: "t", orgs: ["acme"])
        let env = Env(bindings: ["CONTROL": .kv(control), "AIPROXY_MASTER_KEY": .secret("k")], fetcher: InProcessFetchClient(routes: ["mock-azure": mock]))
        let worker = try ProxyWorker(env: env, logger: Logger(label: "test", level: .error))
        let request = Request(method: .post, url: "http://proxy/v1/chat/completions", headers: ["authorization": "Bearer \(token)"],
                              body: Body(string: #"{"model":"gpt-4o","messages":[{"role":"user","content":"azure?"}]}"#))
        let response = try await worker.fetch(request, env: env, ctx: ExecutionContext(requestID: "t", tracker: BackgroundWork()))
        #expect(response.status == 200)
        #expect(response.headers["x-bt-used-endpoint"] == "az")
        #expect(mock.log.all.first?.path == "/openai/deployments/d/chat/completions")
        #expect(mock.log.all.first?.headers.contains { $0.0 == "api-key" && $0.1 == "s" } == true)
    }

    /// Azure serves the Responses API on its v1 surface only: no deployment in the path, no
    /// api-version, the deployment named by `model`.
    @Test(arguments: [
        Endpoint(name: "az", kind: .azure, baseURL: "https://acme.openai.azure.com", secret: "s", options: ["deployment": "dep"]),
        Endpoint(name: "az", kind: .azure, baseURL: "https://acme.openai.azure.com/openai/deployments/dep", secret: "s"),
    ])
    func responsesGoToTheV1SurfaceWithTheDeploymentAsModel(endpoint: Endpoint) throws {
        let call = ProxyCall(
            operation: .responses, method: .post, path: "/responses", headers: ["authorization": "Bearer client-key"],
            rawBody: Array(#"{"model":"gpt-4o","input":"hi"}"#.utf8), body: ["model": "gpt-4o", "input": "hi"])
        let request = try AzureAdapter().makeRequest(for: call, endpoint: endpoint)
        #expect(request.url == "https://acme.openai.azure.com/openai/v1/responses")
        #expect(request.headers["api-key"] == "s" && request.headers["authorization"] == nil)
        #expect(try JSONValue(parsing: try request.body.knownBytes ?? []) == ["model": "dep", "input": "hi"])
    }
}
