public import EdgeRuntime
import Foundation

/// A fake Gemini API on our own runtime: `POST /v1beta/models/{model}:generateContent`,
/// `:streamGenerateContent?alt=sse`, `:embedContent` and `:batchEmbedContents`, keyed by
/// `x-goog-api-key`, deterministic from the request.
///
/// Requests are checked as ``GeminiRequestCheck`` describes; a malformed one gets Gemini's 400
/// `INVALID_ARGUMENT`, so a bad translation fails the test. Test controls: ``MockControl``.
public final class MockGeminiWorker: Worker {
    public let control = MockControl()
    public var log: MockRequestLog { control.log }
    /// When set, calls must carry `x-goog-api-key: <apiKey>`.
    let apiKey: String?

    public init(apiKey: String? = nil) {
        self.apiKey = apiKey
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        if request.path.hasPrefix("/__mock/") {
            return try await control.respond(to: request) ?? GeminiReply.error(404, "unknown mock control")
        }
        let body = try await request.body.collect(upTo: 16 << 20)
        try await control.record(request, body: body)
        let current = control.current
        // /v1beta/models/{model}:{method}
        let target = request.path.removingPercentEncodingOrSelf
        guard request.method == .post, let models = target.range(of: "/models/"), let colon = target[models.upperBound...].lastIndex(of: ":") else {
            return GeminiReply.error(404, "Requested entity was not found.")
        }
        let model = String(target[models.upperBound..<colon])
        let method = String(target[target.index(after: colon)...])
        guard let key = request.headers["x-goog-api-key"], apiKey == nil || key == apiKey else {
            return GeminiReply.error(400, "API key not valid. Please pass a valid API key.")
        }
        if let status = current.failStatus {
            var response = GeminiReply.error(status, "mock failure \(status) from mock-gemini")
            if let retryAfter = current.retryAfter { response.headers["retry-after"] = String(retryAfter) }
            return response
        }
        guard let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return GeminiReply.error(400, "Invalid JSON payload received.")
        }
        switch method {
        case "generateContent", "streamGenerateContent":
            if method == "streamGenerateContent", request.queryParameter("alt") != "sse" {
                return GeminiReply.error(400, "the mock streams only with alt=sse")
            }
            if let problem = GeminiRequestCheck.problem(inGenerate: json) { return GeminiReply.error(400, problem) }
            let reply = GeminiReply(request: json, model: model)
            return method == "generateContent" ? reply.response() : reply.stream(behavior: current)
        case "embedContent", "batchEmbedContents":
            let batch = method == "batchEmbedContents"
            if let problem = GeminiRequestCheck.problem(inEmbed: json, model: model, batch: batch) { return GeminiReply.error(400, problem) }
            let requests = batch ? json["requests"] as? [[String: Any]] ?? [] : [json]
            let embeddings = requests.map { request -> [String: Any] in
                let text = (((request["content"] as? [String: Any])?["parts"] as? [[String: Any]])?.first?["text"] as? String) ?? ""
                let dimensions = request["outputDimensionality"] as? Int ?? OpenAIEmbeddings.dimensions
                return ["values": OpenAIEmbeddings.vector(for: text, dimensions: dimensions).map(Double.init)]
            }
            return OpenAIWire.json(batch ? ["embeddings": embeddings] : ["embedding": embeddings[0]])
        default:
            return GeminiReply.error(404, "Method \(method) is not found for model \(model).")
        }
    }
}
