public import EdgeRuntime
import Foundation
import Synchronization

/// A fake OpenAI API on our own runtime: chat (plain and streaming), completions, embeddings,
/// moderations and models, in OpenAI's wire format, deterministic from the request.
///
/// Test controls: `POST /__mock/behavior` (JSON of ``MockBehavior`` fields in snake_case),
/// `GET /__mock/requests` (the request log as JSON), `DELETE /__mock/requests`.
public final class MockOpenAIWorker: Worker {
    public let log = MockRequestLog()
    private let behavior = Mutex(MockBehavior())
    /// When set, API calls must carry `Authorization: Bearer <apiKey>`.
    let apiKey: String?
    let name: String

    public init(name: String = "mock-openai", apiKey: String? = nil) {
        self.name = name
        self.apiKey = apiKey
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        let path = request.path
        if path.hasPrefix("/__mock/") { return try await control(request) }
        let body = try await request.body.collect(upTo: 16 << 20)
        let bodyText = String(decoding: body, as: UTF8.self)
        log.append(.init(method: request.method.rawValue, path: path, headers: request.headers.map { ($0.name, $0.value) }, body: bodyText))

        let current = behavior.withLock { $0 }
        if current.latencyMilliseconds > 0 { try await Task.sleep(for: .milliseconds(current.latencyMilliseconds)) }
        if let apiKey, request.headers["authorization"] != "Bearer \(apiKey)" {
            return OpenAIWire.error(401, "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key")
        }
        if let status = current.failStatus {
            var response = OpenAIWire.error(status, "mock failure \(status) from \(name)", type: status == 429 ? "rate_limit_error" : "server_error", code: nil)
            if let retryAfter = current.retryAfter { response.headers["retry-after"] = String(retryAfter) }
            return response
        }
        let json: [String: Any]
        if request.method == .post {
            guard let parsed = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
                return OpenAIWire.error(400, "We could not parse the JSON body of your request.", type: "invalid_request_error", code: nil)
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
        case (.post, "/embeddings"): return OpenAIEmbeddings.respond(to: json)
        case (.post, "/moderations"): return OpenAIWire.moderation(json)
        case (.get, "/models"): return OpenAIWire.models()
        default:
            return OpenAIWire.error(404, "Invalid URL (\(request.method) \(path))", type: "invalid_request_error", code: nil)
        }
    }

    private func control(_ request: Request) async throws -> Response {
        switch (request.method, request.path) {
        case (.get, "/__mock/requests"):
            let entries = log.all.map { entry -> [String: Any] in
                ["method": entry.method, "path": entry.path, "body": entry.body,
                 "headers": Dictionary(entry.headers.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })]
            }
            return .json(bytes: Array(try JSONSerialization.data(withJSONObject: entries)))
        case (.delete, "/__mock/requests"):
            log.clear()
            return Response(status: 204)
        case (.post, "/__mock/behavior"):
            let body = try await request.body.collect(upTo: 1 << 16)
            let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
            var next = MockBehavior()
            next.failStatus = json["fail_status"] as? Int
            next.retryAfter = json["retry_after"] as? Int
            next.latencyMilliseconds = json["latency_ms"] as? Int ?? 0
            next.chunkDelayMilliseconds = json["chunk_delay_ms"] as? Int ?? 0
            next.failMidStreamAfter = json["fail_mid_stream_after"] as? Int
            behavior.withLock { $0 = next }
            return Response(status: 204)
        default:
            return OpenAIWire.error(404, "unknown mock control \(request.path)", type: "invalid_request_error", code: nil)
        }
    }
}
