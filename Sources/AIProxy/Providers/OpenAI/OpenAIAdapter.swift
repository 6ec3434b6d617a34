public import EdgeRuntime

/// OpenAI itself, and the template for OpenAI-compatible hosts: the call passes through as is.
public struct OpenAIAdapter: ProviderAdapter {
    public let kind: ProviderKind

    public init(kind: ProviderKind = .openai) {
        self.kind = kind
    }

    /// Client headers that mean something to an OpenAI-format upstream; the client's own
    /// credentials are never among them (the endpoint's secret replaces them).
    static let forwardedHeaders = ["content-type", "accept", "openai-beta", "openai-organization", "openai-project", "user-agent"]

    public var speaksOpenAIFormat: Bool { true }
    /// OpenAI itself; OpenAI-compatible hosts get `/v1/responses` over chat (few serve it).
    public var servesResponsesAPI: Bool { kind == .openai }

    public func makeRequest(for call: ProxyCall, endpoint: Endpoint) throws -> Request {
        var headers = call.headers.selecting(Self.forwardedHeaders)
        headers["authorization"] = "Bearer \(endpoint.secret)"
        if !call.rawBody.isEmpty && !headers.contains("content-type") { headers["content-type"] = "application/json" }
        var url = Self.join(endpoint.baseURL, call.path)
        if let query = call.query, !query.isEmpty { url += "?" + query }
        // OpenAI takes stream_options; an OpenAI-compatible host may refuse a field it doesn't know.
        let body = kind == .openai ? call.bodyAskingForUsage : call.rawBody
        return Request(method: call.method, url: url, headers: headers, body: Body(bytes: body))
    }

    public func makeStreamTranslator(for call: ProxyCall) -> any StreamTranslator { OpenAIStreamPassthrough() }

    /// `base` + `path` with exactly one slash between them.
    static func join(_ base: String, _ path: String) -> String {
        var base = Substring(base)
        while base.hasSuffix("/") { base = base.dropLast() }
        return String(base) + (path.hasPrefix("/") ? path : "/" + path)
    }
}

/// OpenAI's stream is already OpenAI's: events pass through unchanged.
struct OpenAIStreamPassthrough: StreamTranslator {
    mutating func translate(_ event: SSEEvent) -> [SSEEvent] { [event] }
    mutating func finish() -> [SSEEvent] { [] }
}
