public import EdgeRuntime

/// Anthropic's Messages API behind the OpenAI chat completions API, plain and streaming.
///
/// Sends `POST <baseURL>/messages` with `x-api-key` and `anthropic-version`; the translators in
/// this folder do the rest. Only chat completions translate: other OpenAI paths are refused.
/// `/v1/anthropic/messages` (Anthropic's own API, for the Anthropic SDK) is relayed untranslated.
/// - SeeAlso: https://docs.anthropic.com/en/api/messages
public struct AnthropicAdapter: ProviderAdapter {
    public let kind: ProviderKind = .anthropic
    /// Dates the chunks and completions (`created`); Anthropic's replies carry no timestamp.
    let clock: any WallClock

    public init(clock: any WallClock = SystemWallClock()) {
        self.clock = clock
    }

    /// Client headers passed on: Anthropic's beta opt-ins mean something to it.
    static let forwardedHeaders = ["anthropic-beta", "user-agent"]

    public let nativeOperations: Set<ProxyCall.Operation> = [.anthropicMessages]

    public func makeRequest(for call: ProxyCall, endpoint: Endpoint) throws -> Request {
        let bytes: [UInt8]
        switch (call.operation, call.body) {
        case (.chatCompletions, let body?):
            bytes = try AnthropicRequestTranslator.translate(body, maxOutputTokens: call.catalogModel?.maxOutputTokens).serialized
        case (.anthropicMessages, _): bytes = call.rawBody  // the client's own Messages request, untouched
        default:
            throw ProxyError.invalidRequest("Anthropic endpoints serve /v1/chat/completions and /v1/anthropic/messages, not \(call.path).")
        }
        var headers = call.headers.selecting(Self.forwardedHeaders)
        headers["x-api-key"] = endpoint.secret
        // A native call keeps the API version its SDK asked for.
        let clientVersion = call.operation == .anthropicMessages ? call.headers["anthropic-version"] : nil
        headers["anthropic-version"] = clientVersion ?? AnthropicWire.version
        headers["content-type"] = "application/json"
        if call.isStreaming { headers["accept"] = "text/event-stream" }
        let url = OpenAIAdapter.join(endpoint.baseURL, "/messages")
        return Request(method: .post, url: url, headers: headers, body: Body(bytes: bytes))
    }

    public func translateResponse(_ body: [UInt8], for call: ProxyCall) throws -> [UInt8] {
        try AnthropicResponseTranslator.translate(body, created: created).serialized
    }

    public func translateError(_ body: [UInt8], status: Int) -> [UInt8] {
        AnthropicErrorTranslator.envelope(body, status: status).serialized
    }

    public func makeStreamTranslator(for call: ProxyCall) -> any StreamTranslator {
        if call.operation == .anthropicMessages { return AnthropicNativeStream() }
        return AnthropicStreamTranslator(call: call, created: created)
    }

    private var created: Int { Int(clock.now()) }
}
