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

    /// OpenAI's forwarded headers but its organization and project, which mean nothing to Azure.
    static let forwardedHeaders = OpenAIAdapter.forwardedHeaders.filter { $0 != "openai-organization" && $0 != "openai-project" }

    public func makeRequest(for call: ProxyCall, endpoint: Endpoint) throws -> Request {
        var base = endpoint.baseURL
        if let deployment = endpoint.options["deployment"], !base.contains("/deployments/") {
            base = OpenAIAdapter.join(base, "/openai/deployments/\(deployment)")
        }
        var query = "api-version=\(endpoint.options["api_version"] ?? Self.defaultAPIVersion)"
        if let extra = call.query, !extra.isEmpty { query += "&" + extra }
        var headers = call.headers.selecting(Self.forwardedHeaders)
        headers["api-key"] = endpoint.secret
        if !call.rawBody.isEmpty && !headers.contains("content-type") { headers["content-type"] = "application/json" }
        return Request(method: call.method, url: OpenAIAdapter.join(base, call.path) + "?" + query, headers: headers, body: Body(bytes: call.bodyAskingForUsage))
    }

    public func makeStreamTranslator(for call: ProxyCall) -> any StreamTranslator { OpenAIStreamPassthrough() }
}

extension ProviderKind {
    public static let azure: ProviderKind = "azure"
}
