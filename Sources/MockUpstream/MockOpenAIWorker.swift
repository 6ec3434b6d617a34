public import EdgeRuntime
import Foundation

/// A fake OpenAI API on our own runtime: chat and responses (plain and streaming), completions,
/// embeddings, moderations and models, in OpenAI's wire format, deterministic from the request.
///
/// Test controls: ``MockControl``.
public final class MockOpenAIWorker: Worker {
    public let control = MockControl()
    public var log: MockRequestLog { control.log }
    /// When set, API calls must carry `Authorization: Bearer <apiKey>`.
    let apiKey: String?
    let name: String

    public init(name: String = "mock-openai", apiKey: String? = nil) {
        self.name = name
        self.apiKey = apiKey
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        let path = request.path
        if path.hasPrefix("/__mock/") {
            return try await control.respond(to: request)
                ?? OpenAIWire.error(404, "unknown mock control \(path)", type: "invalid_request_error", code: nil)
        }
        let body = try await request.body.collect(upTo: 16 << 20)
        try await control.record(request, body: body)
        let current = control.current
        if let apiKey, request.headers["authorization"] != "Bearer \(apiKey)" {
            return OpenAIWire.error(
                401, "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key")
        }
        if let status = current.failStatus {
            var response = OpenAIWire.error(
                status, "mock failure \(status) from \(name)",
                type: status == 429 ? "rate_limit_error" : "server_error", code: nil)
            if let retryAfter = current.retryAfter { response.headers["retry-after"] = String(retryAfter) }
            return response
        }
        let json: [String: Any]
        if request.method == .post {
            guard let parsed = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
                return OpenAIWire.error(
                    400, "We could not parse the JSON body of your request.", type: "invalid_request_error", code: nil)
            }
            json = parsed
        } else {
            json = [:]
        }
        // OpenAI-compatible hosts mount the API under other prefixes too (Groq: /openai/v1;
        // Azure: /openai/deployments/<deployment>/…).
        var v1 = path.range(of: "/v1/").map { "/" + path[$0.upperBound...] } ?? path
        if let deployments = path.range(of: "/deployments/") {
            let rest = path[deployments.upperBound...]
            v1 = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
        }
        switch (request.method, v1) {
        case (.post, "/chat/completions"): return OpenAIChat(name: name, behavior: current).respond(to: json)
        case (.post, "/completions"): return OpenAIChat(name: name, behavior: current).completion(json)
        case (.post, "/responses"): return OpenAIResponses(name: name, behavior: current).respond(to: json)
        case (.post, "/embeddings"): return OpenAIEmbeddings.respond(to: json)
        case (.post, "/moderations"): return OpenAIWire.moderation(json)
        case (.get, "/models"): return OpenAIWire.models()
        default:
            return OpenAIWire.error(
                404, "Invalid URL (\(request.method) \(path))", type: "invalid_request_error", code: nil)
        }
    }
}
