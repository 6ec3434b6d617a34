/// Turns one Anthropic Messages stream into OpenAI `chat.completion.chunk` events.
///
/// A value-type state machine, one per stream. It remembers the message id and model from
/// `message_start`, which content block is which tool call, and the token counts, so it can
/// number tool calls 0, 1, … in call order (OpenAI's `tool_calls[].index`), not by content
/// block, and send a usage chunk at the end when the client asked for one.
///
/// | Anthropic event | OpenAI chunk |
/// |---|---|
/// | `message_start` | `delta: {role: assistant, content: ""}` |
/// | `content_block_start` tool_use | `delta.tool_calls: [{index, id, type, function: {name, arguments: ""}}]` |
/// | `text_delta` / `input_json_delta` | `delta.content` / `delta.tool_calls[].function.arguments` |
/// | `thinking_delta` | `delta.reasoning_content` (the DeepSeek-style field; OpenAI has none) |
/// | `message_delta` | `finish_reason` |
/// | `message_stop` | usage chunk (`stream_options.include_usage`), then `[DONE]` |
/// | `error` | `data: {"error": {…}}` |
/// | `ping`, `content_block_stop`, `signature_delta`, text `content_block_start` | nothing |
struct AnthropicStreamTranslator: StreamTranslator {
    let created: Int
    let includeUsage: Bool
    private var id = ""
    private var model: String
    /// OpenAI tool-call index by Anthropic content-block index.
    private var toolCallIndex: [Int: Int] = [:]
    private var startUsage: JSONValue?
    private var outputTokens: Int?
    private var finished = false

    init(model: String, created: Int, includeUsage: Bool) {
        self.model = model
        self.created = created
        self.includeUsage = includeUsage
    }

    init(call: ProxyCall, created: Int) {
        self.init(
            model: call.model ?? "", created: created,
            includeUsage: call.body?["stream_options"]?["include_usage"]?.boolValue == true)
    }

    mutating func translate(_ event: SSEEvent) throws -> [SSEEvent] {
        guard !finished else { return [] }
        guard let data = try? JSONValue(parsing: event.data), case .object = data else {
            throw ProxyError.upstreamUnreachable("anthropic: a stream event's data is not a JSON object")
        }
        switch data["type"]?.stringValue ?? event.event {
        case "message_start":
            let message = data["message"]
            id = message?["id"]?.stringValue ?? id
            model = message?["model"]?.stringValue ?? model
            startUsage = message?["usage"]
            return [chunk(["role": "assistant", "content": ""])]
        case "content_block_start":
            return contentBlockStart(data)
        case "content_block_delta":
            return contentBlockDelta(data)
        case "message_delta":
            if let tokens = data["usage"]?["output_tokens"]?.intValue { outputTokens = tokens }
            guard let stopReason = data["delta"]?["stop_reason"], stopReason != .null else { return [] }
            return [chunk([:], finishReason: AnthropicWire.finishReason(stopReason))]
        case "message_stop":
            finished = true
            var events: [SSEEvent] = []
            if includeUsage {
                let usage = AnthropicWire.usage(startUsage, outputTokens: outputTokens)
                events.append(SSEEvent(data: envelope(choices: [], usage: usage).serializedString))
            }
            return events + [.done]
        case "error":
            let error = data["error"]
            let message = error?["message"]?.stringValue ?? "Anthropic reported a stream error."
            let envelope = AnthropicErrorTranslator.envelope(
                message: message, type: error?["type"]?.stringValue ?? "server_error")
            throw UpstreamStreamError(envelope: envelope)
        default:
            return []  // ping, content_block_stop, and event types newer than this translator
        }
    }

    /// Nothing is owed after `message_stop`. A stream that ended without it was cut off: failing
    /// here makes the relay end it with an error event instead of `[DONE]`, and keeps it out of
    /// the cache (an `error` event's stream included, though its client already saw the error).
    mutating func finish() throws -> [SSEEvent] {
        guard finished else {
            throw ProxyError.upstreamUnreachable("anthropic: the stream ended before message_stop")
        }
        return []
    }

    private mutating func contentBlockStart(_ data: JSONValue) -> [SSEEvent] {
        let block = data["content_block"]
        switch block?["type"]?.stringValue {
        case "tool_use":
            let index = toolCallIndex.count
            toolCallIndex[data["index"]?.intValue ?? -1] = index
            let call: JSONValue = [
                "index": .number(index), "id": block?["id"] ?? .null, "type": "function",
                "function": ["name": block?["name"] ?? .null, "arguments": ""],
            ]
            return [chunk(["tool_calls": [call]])]
        case "text":
            // Documented as empty; should it ever carry text, that text is still content.
            guard let text = block?["text"]?.stringValue, !text.isEmpty else { return [] }
            return [chunk(["content": .string(text)])]
        default:
            return []
        }
    }

    private func contentBlockDelta(_ data: JSONValue) -> [SSEEvent] {
        let delta = data["delta"]
        switch delta?["type"]?.stringValue {
        case "text_delta":
            return [chunk(["content": delta?["text"] ?? ""])]
        case "input_json_delta":
            guard let index = toolCallIndex[data["index"]?.intValue ?? -1],
                let json = delta?["partial_json"]?.stringValue,
                !json.isEmpty
            else { return [] }
            return [chunk(["tool_calls": [["index": .number(index), "function": ["arguments": .string(json)]]]])]
        case "thinking_delta":
            return [chunk(["reasoning_content": delta?["thinking"] ?? ""])]
        default:
            return []  // signature_delta, citations_delta
        }
    }

    private func chunk(_ delta: JSONValue, finishReason: JSONValue = .null) -> SSEEvent {
        let choice: JSONValue = ["index": 0, "delta": delta, "logprobs": .null, "finish_reason": finishReason]
        return SSEEvent(data: envelope(choices: [choice]).serializedString)
    }

    private func envelope(choices: [JSONValue], usage: JSONValue? = nil) -> JSONValue {
        var chunk: JSONValue = [
            "id": .string(id), "object": "chat.completion.chunk", "created": .number(created), "model": .string(model),
            "choices": .array(choices),
        ]
        if let usage { chunk = chunk.setting("usage", to: usage) }
        return chunk
    }
}
