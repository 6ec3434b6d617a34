/// Anthropic Messages API response → OpenAI chat completion (and errors → OpenAI's envelope).
enum AnthropicResponseTranslator {
    static func finishReason(_ stopReason: String?) -> JSONValue {
        switch stopReason {
        case "end_turn", "stop_sequence": "stop"
        case "max_tokens": "length"
        case "tool_use": "tool_calls"
        case "refusal": "content_filter"
        case nil: .null
        default: "stop"
        }
    }

    /// OpenAI usage from Anthropic's, counting cached input as prompt tokens.
    static func usage(_ usage: JSONValue?) -> JSONValue {
        let input = usage?["input_tokens"]?.intValue ?? 0
        let cacheRead = usage?["cache_read_input_tokens"]?.intValue ?? 0
        let cacheWrite = usage?["cache_creation_input_tokens"]?.intValue ?? 0
        let output = usage?["output_tokens"]?.intValue ?? 0
        let prompt = input + cacheRead + cacheWrite
        return [
            "prompt_tokens": .number(prompt), "completion_tokens": .number(output), "total_tokens": .number(prompt + output),
            "prompt_tokens_details": ["cached_tokens": .number(cacheRead)],
        ]
    }

    static func translate(_ message: JSONValue, created: Int) -> JSONValue {
        var text = ""
        var toolCalls: [JSONValue] = []
        for block in message["content"]?.arrayValue ?? [] {
            switch block["type"]?.stringValue {
            case "text": text += block["text"]?.stringValue ?? ""
            case "tool_use":
                toolCalls.append([
                    "id": block["id"] ?? "", "type": "function",
                    "function": ["name": block["name"] ?? "", "arguments": .string((block["input"] ?? [:]).serializedString)],
                ])
            default: continue
            }
        }
        var reply: JSONValue = ["role": "assistant", "content": text.isEmpty && !toolCalls.isEmpty ? .null : .string(text)]
        if !toolCalls.isEmpty { reply = reply.setting("tool_calls", to: .array(toolCalls)) }
        return [
            "id": message["id"] ?? "", "object": "chat.completion", "created": .number(created), "model": message["model"] ?? "",
            "choices": [["index": 0, "message": reply, "logprobs": .null, "finish_reason": finishReason(message["stop_reason"]?.stringValue)]],
            "usage": usage(message["usage"]),
        ]
    }

    /// `{"type":"error","error":{"type","message"}}` → `{"error":{"message","type","code"}}`.
    static func translateError(_ body: [UInt8]) -> [UInt8] {
        guard let json = try? JSONValue(parsing: body), let error = json["error"], let message = error["message"]?.stringValue else {
            return body
        }
        let envelope: JSONValue = ["error": ["message": .string(message), "type": error["type"] ?? "api_error", "code": .null]]
        return envelope.serialized
    }
}
