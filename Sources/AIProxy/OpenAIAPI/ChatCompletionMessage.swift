/// The assistant message of a translated `chat.completion`, built the same way for every
/// provider whose replies are lists of text, reasoning and tool-use blocks.
enum ChatCompletionMessage {
    /// One entry of `message.tool_calls`; `input` (a JSON object) becomes the `arguments` string.
    static func toolCall(id: JSONValue?, name: JSONValue?, input: JSONValue?) -> JSONValue {
        [
            "id": id ?? .null, "type": "function",
            "function": ["name": name ?? .null, "arguments": .string((input ?? [:]).serializedString)],
        ]
    }

    /// `content` is `null` when the reply is only tool calls; reasoning goes to
    /// `reasoning_content` (the field OpenAI-compatible reasoning APIs use).
    static func assistant(texts: [String], reasoning: [String], toolCalls: [JSONValue]) -> JSONValue {
        var message: [(String, JSONValue)] = [("role", "assistant")]
        message.append(("content", texts.isEmpty && !toolCalls.isEmpty ? .null : .string(texts.joined())))
        message.append(("refusal", .null))
        if !reasoning.isEmpty { message.append(("reasoning_content", .string(reasoning.joined()))) }
        if !toolCalls.isEmpty { message.append(("tool_calls", .array(toolCalls))) }
        return .object(message)
    }
}
