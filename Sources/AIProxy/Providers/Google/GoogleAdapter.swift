public import EdgeRuntime
import Foundation

/// Google's Gemini API (`generateContent`, `streamGenerateContent?alt=sse`) behind OpenAI chat.
public struct GoogleAdapter: ProviderAdapter {
    public let kind: ProviderKind = .google

    public init() {}

    public func makeRequest(for call: ProxyCall, endpoint: Endpoint) throws -> Request {
        guard call.operation == .chatCompletions, let body = call.body, let model = call.model else {
            throw ProxyError.invalidRequest("Gemini models serve chat completions here (`\(call.path)` was asked).")
        }
        let method = call.isStreaming ? "streamGenerateContent?alt=sse" : "generateContent"
        let url = OpenAIAdapter.join(endpoint.baseURL, "/models/\(model):\(method)")
        let headers: Headers = ["x-goog-api-key": endpoint.secret, "content-type": "application/json"]
        return Request(method: .post, url: url, headers: headers, body: Body(bytes: try GoogleRequestTranslator.translate(body).serialized))
    }

    public func translateResponse(_ body: [UInt8], for call: ProxyCall) throws -> [UInt8] {
        guard let response = try? JSONValue(parsing: body) else { throw ProxyError.upstreamUnreachable("Gemini answered with invalid JSON") }
        return GoogleResponseTranslator.translate(response, model: call.model ?? "", created: Int(Date().timeIntervalSince1970)).serialized
    }

    public func translateError(_ body: [UInt8], status: Int) -> [UInt8] { GoogleResponseTranslator.translateError(body) }

    public func makeStreamTranslator(for call: ProxyCall) -> any StreamTranslator {
        GoogleStreamTranslator(
            model: call.model ?? "", includeUsage: call.body?["stream_options"]?["include_usage"]?.boolValue == true,
            created: Int(Date().timeIntervalSince1970))
    }
}

extension ProviderKind {
    public static let google: ProviderKind = "google"
}
