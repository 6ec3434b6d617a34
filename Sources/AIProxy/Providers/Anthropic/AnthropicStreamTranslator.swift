/// One Anthropic Messages stream → OpenAI `chat.completion.chunk` events, a value per stream.
///
/// `message_start` opens with the assistant role; text deltas become `content`; each `tool_use`
/// block becomes a tool call with its own 0-based index (not the content block's), its
/// `input_json_delta`s the call's `arguments`; thinking deltas become `reasoning_content` (the
/// field DeepSeek-style clients read); `message_delta` carries the finish reason; `message_stop`
/// ends with a usage chunk (if asked for) and `[DONE]`; an `error` event becomes an OpenAI error.
struct AnthropicStreamTranslator: StreamTranslator {
    let includeUsage: Bool
    let created: Int
    private var id: JSONValue = "chatcmpl"
    private var model: JSONValue = ""
    private var toolIndexByBlock: [Int: Int] = [:]
    private var usage: JSONValue = [:]
    private var finished = false

    init(includeUsage: Bool, created: Int) {
        self.includeUsage = includeUsage
        self.created = created
    }

    private func chunk(_ delta: JSONValue, finishReason: JSONValue = .null) -> SSEEvent {
        let chunk: JSONValue = [
            "id": id, "object": "chat.completion.chunk", "created": .number(created), "model": model,
            "choices": [["index": 0, "delta": delta, "logprobs": .null, "finish_reason": finishReason]],
        ]
        return SSEEvent(data: chunk.serializedString)
    }

    mutating func translate(_ event: SSEEvent) throws -> [SSEEvent] {
        guard let data = try? JSONValue(parsing: event.data) else { return [] }
        switch data["type"]?.stringValue ?? event.event {
        case "message_start":
            id = data["message"]?["id"] ?? id
            model = data["message"]?["model"] ?? model
            usage = data["message"]?["usage"] ?? [:]
            return [chunk(["role": "assistant", "content": ""])]
        case "content_block_start":
            guard let block = data["content_block"], block["type"]?.stringValue == "tool_use", let index = data["index"]?.intValue else {
                return []
            }
            let toolIndex = toolIndexByBlock.count
            toolIndexByBlock[index] = toolIndex
            return [chunk(["tool_calls": [[
                "index": .number(toolIndex), "id": block["id"] ?? "", "type": "function",
                "function": ["name": block["name"] ?? "", "arguments": ""],
            ]]])]
        case "content_block_delta":
            let delta = data["delta"]
            switch delta?["type"]?.stringValue {
            case "text_delta":
                return [chunk(["content": delta?["text"] ?? ""])]
            case "input_json_delta":
                guard let index = data["index"]?.intValue, let toolIndex = toolIndexByBlock[index] else { return [] }
                return [chunk(["tool_calls": [["index": .number(toolIndex), "function": ["arguments": delta?["partial_json"] ?? ""]]]])]
            case "thinking_delta":
                return [chunk(["reasoning_content": delta?["thinking"] ?? ""])]
            default:
                return []  // signature_delta and future delta types
            }
        case "message_delta":
            if let output = data["usage"]?["output_tokens"] { usage = usage.setting("output_tokens", to: output) }
            return [chunk([:], finishReason: AnthropicResponseTranslator.finishReason(data["delta"]?["stop_reason"]?.stringValue))]
        case "message_stop":
            finished = true
            var events: [SSEEvent] = []
            if includeUsage {
                let final: JSONValue = [
                    "id": id, "object": "chat.completion.chunk", "created": .number(created), "model": model, "choices": [],
                    "usage": AnthropicResponseTranslator.usage(usage),
                ]
                events.append(SSEEvent(data: final.serializedString))
            }
            return events + [.done]
        case "error":
            finished = true
            let error: JSONValue = ["error": ["message": data["error"]?["message"] ?? "upstream error", "type": data["error"]?["type"] ?? "api_error", "code": .null]]
            return [SSEEvent(data: error.serializedString)]
        default:
            return []  // ping and unknown events
        }
    }

    mutating func finish() throws -> [SSEEvent] {
        // A stream that ends without message_stop was cut off: say so instead of ending cleanly.
        guard finished else { throw ProxyError.upstreamUnreachable("the Anthropic stream ended before message_stop") }
        return []
    }
}
