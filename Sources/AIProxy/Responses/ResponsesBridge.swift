public import EdgeRuntime

/// The Responses API (`/v1/responses`) for a provider that only speaks chat: wraps the
/// provider's adapter, so the call is translated Responses → chat → provider and the reply
/// provider → chat → Responses, through the same routing, failover, credentials and cache.
///
/// OpenAI and Azure serve the Responses API themselves and get the call as is
/// (``ProviderAdapter/servesResponsesAPI``); every other adapter is wrapped by the selector.
public struct ResponsesBridge: ProviderAdapter {
    public let chat: any ProviderAdapter

    public init(chat: any ProviderAdapter) {
        self.chat = chat
    }

    public var kind: ProviderKind { chat.kind }
    public var streamContentType: String { chat.streamContentType }

    public func makeRequest(for call: ProxyCall, endpoint: Endpoint) throws -> Request {
        try chat.makeRequest(
            for: try ResponsesRequestTranslator.chatCall(from: call, openAIFormat: chat.speaksOpenAIFormat),
            endpoint: endpoint)
    }

    public func translateResponse(_ body: [UInt8], for call: ProxyCall) throws -> [UInt8] {
        let chatReply = try chat.translateResponse(body, for: ResponsesRequestTranslator.replyCall(for: call))
        return try ResponsesReplyTranslator.response(fromChat: chatReply, request: call.body)
    }

    /// Errors are OpenAI's envelope in both APIs.
    public func translateError(_ body: [UInt8], status: Int) -> [UInt8] { chat.translateError(body, status: status) }

    public func makeStreamDecoder() -> any StreamDecoder { chat.makeStreamDecoder() }

    public func makeStreamTranslator(for call: ProxyCall) -> any StreamTranslator {
        ResponsesStreamTranslator(
            chat: chat.makeStreamTranslator(for: ResponsesRequestTranslator.replyCall(for: call)), request: call.body)
    }
}
