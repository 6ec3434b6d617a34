public import EdgeRuntime

/// Azure OpenAI: OpenAI's wire format at a deployment URL, keyed by `api-key`, with `api-version`.
///
/// The endpoint's base URL is either a deployment URL
/// (`https://R.openai.azure.com/openai/deployments/D`) or the resource root with the deployment
/// in `options["deployment"]`; `options["api_version"]` overrides the default API version.
public struct AzureAdapter: ProviderAdapter {
    public let kind: ProviderKind = .azure
    public static let defaultAPIVersion = "2024-10-21"

    public init() {}

    public var speaksOpenAIFormat: Bool { true }
    public var servesResponsesAPI: Bool { true }

    /// OpenAI's forwarded headers but its organization and project, which mean nothing to Azure.
    static let forwardedHeaders = OpenAIAdapter.forwardedHeaders.filter {
        $0 != "openai-organization" && $0 != "openai-project"
    }

    public func makeRequest(for call: ProxyCall, endpoint: Endpoint) throws -> Request {
        if call.operation == .responses { return responsesRequest(for: call, endpoint: endpoint) }
        var base = endpoint.baseURL
        if let deployment = endpoint.options["deployment"], !ByteSearch.contains(base, "/deployments/") {
            base = OpenAIAdapter.join(base, "/openai/deployments/\(deployment)")
        }
        var query = "api-version=\(endpoint.options["api_version"] ?? Self.defaultAPIVersion)"
        if let extra = call.query, !extra.isEmpty { query += "&" + extra }
        return Request(
            method: call.method, url: OpenAIAdapter.join(base, call.path) + "?" + query,
            headers: headers(for: call, endpoint: endpoint),
            body: Body(bytes: call.bodyAskingForUsage))
    }

    public func makeStreamTranslator(for call: ProxyCall) -> any StreamTranslator { OpenAIStreamPassthrough() }

    /// Azure serves the Responses API only on its OpenAI-compatible v1 surface
    /// (`<resource>/openai/v1/responses`, no deployment in the path, no `api-version`), where
    /// `model` names the deployment.
    func responsesRequest(for call: ProxyCall, endpoint: Endpoint) -> Request {
        let parts = endpoint.baseURL.split(separator: "/", omittingEmptySubsequences: false)
        let root = parts.firstIndex(of: "openai").map { parts[..<$0] } ?? parts[...]
        let deployment =
            endpoint.options["deployment"]
            ?? parts.firstIndex(of: "deployments").flatMap { $0 + 1 < parts.count ? String(parts[$0 + 1]) : nil }
        var body = call.rawBody
        if let deployment, let json = call.body { body = json.setting("model", to: .string(deployment)).serialized }
        var url = OpenAIAdapter.join(root.joined(separator: "/"), "/openai/v1/responses")
        if let query = call.query, !query.isEmpty { url += "?" + query }
        return Request(
            method: call.method, url: url, headers: headers(for: call, endpoint: endpoint), body: Body(bytes: body))
    }

    /// The client's OpenAI headers that mean something to Azure, with the endpoint's `api-key`.
    func headers(for call: ProxyCall, endpoint: Endpoint) -> Headers {
        var headers = call.headers.selecting(Self.forwardedHeaders)
        headers["api-key"] = endpoint.secret
        if !call.rawBody.isEmpty && !headers.contains("content-type") { headers["content-type"] = "application/json" }
        return headers
    }
}

extension ProviderKind {
    public static let azure: ProviderKind = "azure"
}
