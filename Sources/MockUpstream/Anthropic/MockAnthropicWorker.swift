public import EdgeRuntime
import Foundation
import Synchronization

/// A fake Anthropic Messages API on our own runtime: `POST /v1/messages`, plain and streaming,
/// in Anthropic's wire format, deterministic from the request.
///
/// It checks every request the way Anthropic does where a translation could go wrong (see
/// ``AnthropicRequestCheck``) and answers a malformed one with a 400 Anthropic error, so a test
/// through the proxy fails on a bad translation. Same test controls as ``MockOpenAIWorker``:
/// `POST /__mock/behavior`, `GET|DELETE /__mock/requests`.
public final class MockAnthropicWorker: Worker {
    public let log = MockRequestLog()
    private let behavior = Mutex(MockBehavior())
    /// When set, API calls must carry `x-api-key: <apiKey>`.
    let apiKey: String?

    public init(apiKey: String? = nil) {
        self.apiKey = apiKey
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        if request.path.hasPrefix("/__mock/") { return try await control(request) }
        let body = try await request.body.collect(upTo: 16 << 20)
        log.append(
            .init(
                method: request.method.rawValue, path: request.path,
                headers: request.headers.map { ($0.name, $0.value) },
                body: String(decoding: body, as: UTF8.self)))

        let current = behavior.withLock { $0 }
        if current.latencyMilliseconds > 0 { try await Task.sleep(for: .milliseconds(current.latencyMilliseconds)) }
        guard request.method == .post, request.path == "/v1/messages" else {
            return AnthropicReply.error(404, type: "not_found_error", "Not found: \(request.method) \(request.path)")
        }
        guard let key = request.headers["x-api-key"], !key.isEmpty else {
            return AnthropicReply.error(401, type: "authentication_error", "x-api-key header is required")
        }
        if let apiKey, key != apiKey {
            return AnthropicReply.error(401, type: "authentication_error", "invalid x-api-key")
        }
        if let status = current.failStatus {
            let type = status == 429 ? "rate_limit_error" : status == 529 ? "overloaded_error" : "api_error"
            var response = AnthropicReply.error(status, type: type, "mock failure \(status) from mock-anthropic")
            if let retryAfter = current.retryAfter { response.headers["retry-after"] = String(retryAfter) }
            return response
        }
        guard request.headers["anthropic-version"] != nil else {
            return AnthropicReply.error(400, type: "invalid_request_error", "anthropic-version: header is required")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return AnthropicReply.error(400, type: "invalid_request_error", "The request body is not valid JSON.")
        }
        if let problem = AnthropicRequestCheck.problem(in: json) {
            return AnthropicReply.error(400, type: "invalid_request_error", problem)
        }
        let reply = AnthropicReply(request: json)
        return json["stream"] as? Bool == true ? reply.stream(behavior: current) : reply.message()
    }

    private func control(_ request: Request) async throws -> Response {
        switch (request.method, request.path) {
        case (.get, "/__mock/requests"):
            let entries = log.all.map { ["method": $0.method, "path": $0.path, "body": $0.body] }
            return .json(bytes: Array(try JSONSerialization.data(withJSONObject: entries)))
        case (.delete, "/__mock/requests"):
            log.clear()
            return Response(status: 204)
        case (.post, "/__mock/behavior"):
            let body = try await request.body.collect(upTo: 1 << 16)
            let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
            behavior.withLock { $0 = MockBehavior(json: json) }
            return Response(status: 204)
        default:
            return AnthropicReply.error(404, type: "not_found_error", "unknown mock control \(request.path)")
        }
    }
}
