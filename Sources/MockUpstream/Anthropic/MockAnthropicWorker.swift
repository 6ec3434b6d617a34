public import EdgeRuntime
import Foundation

/// A fake Anthropic Messages API on our own runtime: `POST /v1/messages`, plain and streaming,
/// in Anthropic's wire format, deterministic from the request.
///
/// It checks every request the way Anthropic does where a translation could go wrong (see
/// ``AnthropicRequestCheck``) and answers a malformed one with a 400 Anthropic error, so a test
/// through the proxy fails on a bad translation. Test controls: ``MockControl``.
public final class MockAnthropicWorker: Worker {
    public let control = MockControl()
    public var log: MockRequestLog { control.log }
    /// When set, API calls must carry `x-api-key: <apiKey>`.
    let apiKey: String?

    public init(apiKey: String? = nil) {
        self.apiKey = apiKey
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        if request.path.hasPrefix("/__mock/") {
            return try await control.respond(to: request)
                ?? AnthropicReply.error(404, type: "not_found_error", "unknown mock control \(request.path)")
        }
        let body = try await request.body.collect(upTo: 16 << 20)
        try await control.record(request, body: body)
        let current = control.current
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
}
