/// Turns a complete Anthropic Messages API reply into an OpenAI `chat.completion`.
///
/// Text blocks join into `message.content`; every `tool_use` block becomes a tool call, so
/// parallel calls all reach the client; thinking blocks go to `message.reasoning_content` (the
/// field OpenAI-compatible reasoning APIs such as DeepSeek's use; OpenAI itself has none).
enum AnthropicResponseTranslator {
    /// - Parameter created: the `created` timestamp (Unix seconds); Anthropic replies carry none.
    /// - Throws: ``ProxyError/upstreamUnreachable(_:)`` when the reply isn't a Messages response.
    static func translate(_ bytes: [UInt8], created: Int) throws(ProxyError) -> JSONValue {
        let reply = try AnthropicWire.object(bytes, what: "reply")
        guard let blocks = reply["content"]?.arrayValue else {
            throw .upstreamUnreachable("anthropic: the reply has no `content` array")
        }
        var texts: [String] = []
        var thinking: [String] = []
        var toolCalls: [JSONValue] = []
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text": texts.append(block["text"]?.stringValue ?? "")
            case "thinking": thinking.append(block["thinking"]?.stringValue ?? "")
            case "tool_use":
                toolCalls.append(ChatCompletionMessage.toolCall(id: block["id"], name: block["name"], input: block["input"]))
            default: continue  // redacted thinking, server tool blocks: nothing OpenAI can show
            }
        }
        let message = ChatCompletionMessage.assistant(texts: texts, reasoning: thinking, toolCalls: toolCalls)
        return [
            "id": reply["id"] ?? .null, "object": "chat.completion", "created": .number(created),
            "model": reply["model"] ?? .null,
            "choices": [
                [
                    "index": 0, "message": message, "logprobs": .null,
                    "finish_reason": AnthropicWire.finishReason(reply["stop_reason"]),
                ]
            ],
            "usage": AnthropicWire.usage(reply["usage"]),
        ]
    }
}
