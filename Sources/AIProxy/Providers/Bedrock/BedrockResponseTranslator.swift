/// Bedrock Converse replies and errors → OpenAI's `chat.completion` and error envelope, and the
/// stop-reason and usage mappings the stream translator shares.
enum BedrockResponseTranslator {
    static func translate(_ bytes: [UInt8], model: String, created: Int) throws(ProxyError) -> JSONValue {
        guard let reply = try? JSONValue(parsing: bytes), let blocks = reply["output"]?["message"]?["content"]?.arrayValue else {
            throw .upstreamUnreachable("bedrock: the reply has no `output.message.content`")
        }
        var texts: [String] = [], reasoning: [String] = [], toolCalls: [JSONValue] = []
        for block in blocks {
            if let text = block["text"]?.stringValue {
                texts.append(text)
            } else if let use = block["toolUse"] {
                toolCalls.append(ChatCompletionMessage.toolCall(id: use["toolUseId"], name: use["name"], input: use["input"]))
            } else if let text = block["reasoningContent"]?["reasoningText"]?["text"]?.stringValue {
                reasoning.append(text)
            }
        }
        let message = ChatCompletionMessage.assistant(texts: texts, reasoning: reasoning, toolCalls: toolCalls)
        return [
            "id": .string("chatcmpl-bedrock-\(created)"), "object": "chat.completion", "created": .number(created), "model": .string(model),
            "choices": [["index": 0, "message": message, "logprobs": .null, "finish_reason": finishReason(reply["stopReason"])]],
            "usage": usage(reply["usage"]),
        ]
    }

    /// OpenAI's `finish_reason` for a Converse `stopReason`.
    static func finishReason(_ reason: JSONValue?) -> JSONValue {
        switch reason?.stringValue {
        case nil: .null
        case "end_turn", "stop_sequence": "stop"
        case "max_tokens", "model_context_window_exceeded": "length"
        case "tool_use": "tool_calls"
        case "guardrail_intervened", "content_filtered": "content_filter"
        case let other?: .string(other)
        }
    }

    /// OpenAI's `usage` from Converse's (`inputTokens` already counts cache reads and writes).
    static func usage(_ usage: JSONValue?) -> JSONValue {
        let input = usage?["inputTokens"]?.intValue ?? 0, output = usage?["outputTokens"]?.intValue ?? 0
        return [
            "prompt_tokens": .number(input), "completion_tokens": .number(output),
            "total_tokens": .number(usage?["totalTokens"]?.intValue ?? input + output),
            "prompt_tokens_details": ["cached_tokens": .number(usage?["cacheReadInputTokens"]?.intValue ?? 0)],
        ]
    }

    /// Bedrock errors are `{"message": "…"}` (the exception name travels in `x-amzn-ErrorType`).
    static func error(_ bytes: [UInt8], status: Int) -> JSONValue {
        let message = (try? JSONValue(parsing: bytes))?["message"]?.stringValue
            ?? (bytes.isEmpty ? "Bedrock answered with status \(status)." : String(decoding: bytes.prefix(1000), as: UTF8.self))
        let type = status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error"
        return ["error": ["message": .string(message), "type": .string(type), "param": .null, "code": .null]]
    }
}
