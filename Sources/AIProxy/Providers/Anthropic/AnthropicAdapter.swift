public import EdgeRuntime
import Foundation

/// Anthropic's Messages API behind the OpenAI chat completions API, plain and streaming.
public struct AnthropicAdapter: ProviderAdapter {
    public let kind: ProviderKind = .anthropic
    public static let apiVersion = "2023-06-01"

    public init() {}

    public func makeRequest(for call: ProxyCall, endpoint: Endpoint) throws -> Request {
        guard call.operation == .chatCompletions, let body = call.body else {
            throw ProxyError.invalidRequest("Anthropic models serve chat completions only (`\(call.path)` was asked).")
        }
        let translated = try AnthropicRequestTranslator.translate(body)
        let headers: Headers = [
            "x-api-key": endpoint.secret, "anthropic-version": Self.apiVersion, "content-type": "application/json",
            "accept": call.isStreaming ? "text/event-stream" : "application/json",
        ]
        return Request(method: .post, url: OpenAIAdapter.join(endpoint.baseURL, "/messages"), headers: headers, body: Body(bytes: translated.serialized))
    }

    public func translateResponse(_ body: [UInt8], for call: ProxyCall) throws -> [UInt8] {
        guard let message = try? JSONValue(parsing: body) else { throw ProxyError.upstreamUnreachable("Anthropic answered with invalid JSON") }
        return AnthropicResponseTranslator.translate(message, created: Int(Date().timeIntervalSince1970)).serialized
    }

    public func translateError(_ body: [UInt8], status: Int) -> [UInt8] {
        AnthropicResponseTranslator.translateError(body)
    }

    public func makeStreamTranslator(for call: ProxyCall) -> any StreamTranslator {
        AnthropicStreamTranslator(
            includeUsage: call.body?["stream_options"]?["include_usage"]?.boolValue == true, created: Int(Date().timeIntervalSince1970))
    }
}

extension ProviderKind {
    public static let anthropic: ProviderKind = "anthropic"
}
