/// The Responses API's `response` object, built from a translated chat reply: the output items,
/// usage in Responses terms, and the request's settings echoed as OpenAI echoes them.
struct ResponseObject: Sendable {
    var id: String
    var createdAt: Int
    var model: String
    /// `in_progress`, `completed`, `incomplete` or `failed`.
    var status: String
    var output: [JSONValue] = []
    /// Chat's `usage` object, or `nil` while the stream runs.
    var chatUsage: JSONValue?
    /// `max_output_tokens` or `content_filter` for an incomplete response.
    var incompleteReason: String?
    var error: JSONValue?

    /// Ids derived from the upstream's completion id, so a replayed or repeated reply keeps them.
    static func ids(fromChatID chatID: String) -> String {
        var suffix = chatID
        for prefix in ["chatcmpl-", "msg_", "resp_"] where suffix.hasPrefix(prefix) { suffix.removeFirst(prefix.count) }
        // ASCII letters and digits kept, anything else `_`: ids stay plain tokens.
        return String(
            decoding: suffix.utf8.map { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    ? byte : 0x5F
            }, as: UTF8.self)
    }

    /// The whole object, with the settings of `request` (the Responses request body).
    func json(echoing request: JSONValue?) -> JSONValue {
        let request = request ?? .object([])
        func echo(_ name: String, _ fallback: JSONValue) -> JSONValue {
            guard let value = request[name], value != .null else { return fallback }
            return value
        }
        let incomplete: JSONValue = incompleteReason.map { ["reason": .string($0)] } ?? .null
        return [
            "id": .string(id), "object": "response", "created_at": .number(createdAt), "status": .string(status),
            "background": false, "error": error ?? .null, "incomplete_details": incomplete,
            "instructions": echo("instructions", .null), "max_output_tokens": echo("max_output_tokens", .null),
            "model": .string(model), "output": .array(output), "parallel_tool_calls": echo("parallel_tool_calls", true),
            "previous_response_id": .null,
            "reasoning": ["effort": request["reasoning"]?["effort"] ?? .null, "summary": .null],
            // Nothing is stored for a bridged provider, whatever the request asked.
            "store": false,
            "temperature": echo("temperature", .number(1.0)), "text": echo("text", ["format": ["type": "text"]]),
            "tool_choice": echo("tool_choice", "auto"), "tools": echo("tools", []),
            "top_p": echo("top_p", .number(1.0)),
            "truncation": "disabled", "user": echo("user", .null), "metadata": echo("metadata", .object([])),
            "usage": chatUsage.map(Self.usage) ?? .null,
        ]
    }

    /// Chat's usage in Responses terms; a provider's prompt-cache writes (Anthropic's and
    /// Bedrock's `cache_creation_input_tokens`) are `input_tokens_details.cache_write_tokens`.
    static func usage(_ chat: JSONValue) -> JSONValue {
        let input = chat["prompt_tokens"]?.intValue ?? 0
        let output = chat["completion_tokens"]?.intValue ?? 0
        return [
            "input_tokens": .number(input),
            "input_tokens_details": [
                "cached_tokens": .number(chat["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0),
                "cache_write_tokens": .number(chat["cache_creation_input_tokens"]?.intValue ?? 0),
            ],
            "output_tokens": .number(output),
            "output_tokens_details": [
                "reasoning_tokens": .number(chat["completion_tokens_details"]?["reasoning_tokens"]?.intValue ?? 0)
            ],
            "total_tokens": .number(chat["total_tokens"]?.intValue ?? input + output),
        ]
    }

    /// `status` and the incomplete reason for a chat `finish_reason`.
    static func status(forFinishReason reason: String?) -> (status: String, incomplete: String?) {
        switch reason {
        case "length": ("incomplete", "max_output_tokens")
        case "content_filter": ("incomplete", "content_filter")
        default: ("completed", nil)
        }
    }

    // MARK: output items

    static func message(id: String, text: String, status: String) -> JSONValue {
        [
            "id": .string(id), "type": "message", "status": .string(status), "role": "assistant",
            "content": status == "in_progress" ? [] : [textPart(text)],
        ]
    }

    static func textPart(_ text: String) -> JSONValue {
        ["type": "output_text", "text": .string(text), "annotations": [], "logprobs": []]
    }

    static func functionCall(id: String, callID: String, name: String, arguments: String, status: String) -> JSONValue {
        [
            "id": .string(id), "type": "function_call", "status": .string(status), "call_id": .string(callID),
            "name": .string(name), "arguments": .string(arguments),
        ]
    }
}
