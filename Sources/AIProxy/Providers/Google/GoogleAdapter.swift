public import EdgeRuntime
import FoundationEssentials

/// Google's Gemini API behind OpenAI chat (`generateContent`, `streamGenerateContent?alt=sse`) and
/// embeddings (`embedContent`, `batchEmbedContents`), with the key in `x-goog-api-key`.
public struct GoogleAdapter: ProviderAdapter {
    public let kind: ProviderKind = .google

    public init() {}

    public func makeRequest(for call: ProxyCall, endpoint: Endpoint) throws -> Request {
        guard let body = call.body, let model = call.model else {
            throw ProxyError.invalidRequest("Gemini calls need a JSON body with a `model`.")
        }
        let headers: Headers = ["x-goog-api-key": endpoint.secret, "content-type": "application/json"]
        let method: String
        let translated: JSONValue
        switch call.operation {
        case .chatCompletions:
            method = call.isStreaming ? "streamGenerateContent?alt=sse" : "generateContent"
            translated = try GoogleRequestTranslator.translate(body)
        case .embeddings:
            (method, translated) = try GoogleEmbeddingsTranslator.translate(body, model: model)
        default:
            throw ProxyError.invalidRequest(
                "Gemini models serve chat completions and embeddings here (`\(call.path)` was asked).")
        }
        let url = OpenAIAdapter.join(endpoint.baseURL, "/models/\(model):\(method)")
        return Request(method: .post, url: url, headers: headers, body: Body(bytes: translated.serialized))
    }

    public func translateResponse(_ body: [UInt8], for call: ProxyCall) throws -> [UInt8] {
        if call.operation == .embeddings {
            let base64 = call.body?["encoding_format"]?.stringValue == "base64"
            return try GoogleEmbeddingsTranslator.translateResponse(body, model: call.model ?? "", base64: base64)
                .serialized
        }
        guard let response = try? JSONValue(parsing: body) else {
            throw ProxyError.upstreamUnreachable("Gemini answered with invalid JSON")
        }
        return GoogleResponseTranslator.translate(
            response, model: call.model ?? "", created: Int(Date().timeIntervalSince1970)
        ).serialized
    }

    public func translateError(_ body: [UInt8], status: Int) -> [UInt8] {
        GoogleResponseTranslator.translateError(body)
    }

    public func makeStreamTranslator(for call: ProxyCall) -> any StreamTranslator {
        GoogleStreamTranslator(
            // Always: usage and cost need it; the relay strips it for a client that didn't ask.
            model: call.model ?? "", includeUsage: true, created: Int(Date().timeIntervalSince1970))
    }
}

extension ProviderKind {
    public static let google: ProviderKind = "google"
}
