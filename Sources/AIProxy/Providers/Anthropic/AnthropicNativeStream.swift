/// A `/v1/anthropic/messages` stream relayed as Anthropic sent it, watched for its end: one
/// without `message_stop` was cut off, and one with an `error` event failed. Either way the
/// client's stream ends with an Anthropic `error` event (the provider's own when it sent one)
/// and the transcript is not cached.
struct AnthropicNativeStream: StreamTranslator {
    /// The provider's `error` event, forwarded as the stream's last event.
    struct ForwardedError: Error {
        let event: SSEEvent
    }

    private var finished = false

    mutating func translate(_ event: SSEEvent) throws -> [SSEEvent] {
        switch event.event {
        case "error": throw ForwardedError(event: event)
        case "message_stop": finished = true
        default: break
        }
        return [event]
    }

    mutating func finish() throws -> [SSEEvent] {
        guard finished else { throw ProxyError.upstreamUnreachable("anthropic: the stream ended before message_stop") }
        return []
    }

    func failureEvents(for error: any Error) -> [SSEEvent] {
        if let forwarded = error as? ForwardedError { return [forwarded.event] }
        let body: JSONValue = [
            "type": "error", "error": ["type": "api_error", "message": .string("The upstream stream ended unexpectedly: \(error)")],
        ]
        return [SSEEvent(event: "error", data: body.serialized)]
    }
}
