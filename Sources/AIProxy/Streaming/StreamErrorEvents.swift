import EdgeRuntime

/// A failure told as the stream's last event, in the client's own stream format, for a stream
/// whose `200` head is already out (it was kept alive before the upstream answered), so a status
/// can no longer say it.
///
/// Chat and completions get OpenAI's `data: {"error": {…}}`, the Responses API its `error`
/// event, Anthropic's Messages API an `event: error` with Anthropic's error object.
enum StreamErrorEvents {
    /// The events for a failure the proxy raised (failover exhausted, a refusal, a timeout).
    static func events(for error: any Error, operation: ProxyCall.Operation) -> [SSEEvent] {
        let renderable = error as? any OpenAIErrorRenderable
        return events(
            status: renderable?.status ?? 500, type: renderable?.errorType ?? "server_error",
            code: renderable?.code ?? "upstream_stream_error",
            message: renderable?.message ?? "The upstream call failed: \(error)", operation: operation)
    }

    /// The events for an upstream error reply: its status and its body (OpenAI's envelope, or the
    /// provider's own for a native operation, whose own error event is forwarded).
    static func events(forReply status: Int, body: [UInt8], operation: ProxyCall.Operation) -> [SSEEvent] {
        let json = try? JSONValue(parsing: body)
        if operation.isProviderNative, json?["type"]?.stringValue == "error", let json {
            return [SSEEvent(event: "error", data: json.serialized)]
        }
        let error = json?["error"]
        let message =
            error?["message"]?.stringValue ?? error?.stringValue
            ?? "The upstream answered \(status): \(String(decoding: body.prefix(512), as: UTF8.self))"
        return events(
            status: status,
            type: error?["type"]?.stringValue ?? (status >= 500 ? "server_error" : "invalid_request_error"),
            code: error?["code"]?.stringValue, message: message, operation: operation)
    }

    static func events(status: Int, type: String, code: String?, message: String, operation: ProxyCall.Operation)
        -> [SSEEvent]
    {
        let code: JSONValue = code.map { .string($0) } ?? .null
        switch operation {
        case .anthropicMessages:
            let error: JSONValue = [
                "type": "error", "error": ["type": .string(anthropicType(status)), "message": .string(message)],
            ]
            return [SSEEvent(event: "error", data: error.serialized)]
        case .responses:
            let error: JSONValue = [
                "type": "error", "sequence_number": 0, "code": code, "message": .string(message), "param": .null,
            ]
            return [SSEEvent(event: "error", data: error.serialized)]
        default:
            let error: JSONValue = [
                "error": ["message": .string(message), "type": .string(type), "param": .null, "code": code]
            ]
            return [SSEEvent(data: error.serialized)]
        }
    }

    /// Anthropic's error type for a status (its documented list).
    static func anthropicType(_ status: Int) -> String {
        switch status {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 503, 529: "overloaded_error"
        case 500...: "api_error"
        default: "invalid_request_error"
        }
    }
}
