/// Gemini responses (whole or streamed chunks) → OpenAI chat completion shapes.
enum GoogleResponseTranslator {
    static func finishReason(_ reason: String?, hasToolCalls: Bool) -> JSONValue {
        if hasToolCalls { return "tool_calls" }
        switch reason {
        case nil: return .null
        case "STOP": return "stop"
        case "MAX_TOKENS": return "length"
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY": return "content_filter"
        default: return "stop"
        }
    }

    static func usage(_ metadata: JSONValue?) -> JSONValue {
        let prompt = metadata?["promptTokenCount"]?.intValue ?? 0
        let completion = metadata?["candidatesTokenCount"]?.intValue ?? 0
        return [
            "prompt_tokens": .number(prompt), "completion_tokens": .number(completion),
            "total_tokens": .number(metadata?["totalTokenCount"]?.intValue ?? prompt + completion),
            "prompt_tokens_details": ["cached_tokens": .number(metadata?["cachedContentTokenCount"]?.intValue ?? 0)],
        ]
    }

    /// Text and tool calls of one candidate; tool call ids are made up (Gemini has none).
    static func content(_ candidate: JSONValue?, firstToolIndex: Int) -> (text: String, toolCalls: [JSONValue]) {
        var text = ""
        var calls: [JSONValue] = []
        for part in candidate?["content"]?["parts"]?.arrayValue ?? [] {
            if let piece = part["text"]?.stringValue { text += piece }
            if let call = part["functionCall"] {
                let index = firstToolIndex + calls.count
                calls.append([
                    "index": .number(index), "id": .string("call_\(index)"), "type": "function",
                    "function": ["name": call["name"] ?? "", "arguments": .string((call["args"] ?? [:]).serializedString)],
                ])
            }
        }
        return (text, calls)
    }

    static func translate(_ response: JSONValue, model: String, created: Int) -> JSONValue {
        let candidates = response["candidates"]?.arrayValue ?? []
        let choices = candidates.enumerated().map { offset, candidate -> JSONValue in
            let (text, calls) = content(candidate, firstToolIndex: 0)
            var message: JSONValue = ["role": "assistant", "content": text.isEmpty && !calls.isEmpty ? .null : .string(text)]
            if !calls.isEmpty { message = message.setting("tool_calls", to: .array(calls.map { $0.removing("index") })) }
            return [
                "index": .number(offset), "message": message, "logprobs": .null,
                "finish_reason": finishReason(candidate["finishReason"]?.stringValue, hasToolCalls: !calls.isEmpty),
            ]
        }
        return [
            "id": .string("chatcmpl-" + (response["responseId"]?.stringValue ?? "gemini")), "object": "chat.completion",
            "created": .number(created), "model": .string(response["modelVersion"]?.stringValue ?? model),
            "choices": .array(choices), "usage": usage(response["usageMetadata"]),
        ]
    }

    /// `{"error":{"code","message","status"}}` → OpenAI's envelope.
    static func translateError(_ body: [UInt8]) -> [UInt8] {
        guard let json = try? JSONValue(parsing: body), let message = json["error"]?["message"]?.stringValue else { return body }
        let envelope: JSONValue = ["error": ["message": .string(message), "type": json["error"]?["status"] ?? "api_error", "code": .null]]
        return envelope.serialized
    }
}
