/// The checks Anthropic makes that a translated request could fail: what the mock refuses.
///
/// - SeeAlso: https://docs.anthropic.com/en/api/messages (required fields, alternating roles,
///   no `system` role, tool results answering the previous turn's tool uses).
enum AnthropicRequestCheck {
    static let blockTypes: Set<String> = [
        "text", "image", "tool_use", "tool_result", "thinking", "redacted_thinking", "document",
    ]

    /// Why Anthropic would refuse `request`, or `nil` if it wouldn't.
    static func problem(in request: [String: Any]) -> String? {
        guard request["model"] is String else { return "model: Field required" }
        guard let maxTokens = request["max_tokens"] as? Int, maxTokens > 0 else { return "max_tokens: Field required" }
        guard let messages = request["messages"] as? [[String: Any]], !messages.isEmpty else {
            return "messages: at least one message is required"
        }
        if let system = request["system"], !(system is String || system is [[String: Any]]) {
            return "system: Input should be a valid string or list of text blocks"
        }
        var previousToolUses: Set<String> = []
        for (offset, message) in messages.enumerated() {
            let role = message["role"] as? String ?? ""
            guard role == "user" || role == "assistant" else {
                return
                    "messages.\(offset).role: Input should be 'user' or 'assistant' (use the top-level system parameter)"
            }
            let expected = offset % 2 == 0 ? "user" : "assistant"
            guard role == expected else {
                return
                    "messages: roles must alternate between \"user\" and \"assistant\", starting with \"user\" (messages.\(offset))"
            }
            let blocks: [[String: Any]]
            if let text = message["content"] as? String {
                guard !text.isEmpty else { return "messages.\(offset): text content blocks must be non-empty" }
                blocks = []
            } else if let list = message["content"] as? [[String: Any]], !list.isEmpty {
                blocks = list
            } else {
                return "messages.\(offset).content: Input should be a non-empty string or list of content blocks"
            }
            var toolUses: Set<String> = []
            for (index, block) in blocks.enumerated() {
                let type = block["type"] as? String ?? ""
                guard blockTypes.contains(type) else {
                    return "messages.\(offset).content.\(index).type: unknown block type '\(type)'"
                }
                switch type {
                case "tool_use":
                    guard role == "assistant", let id = block["id"] as? String, block["name"] is String,
                        block["input"] is [String: Any]
                    else {
                        return
                            "messages.\(offset).content.\(index): tool_use needs id, name and an input object, in an assistant turn"
                    }
                    toolUses.insert(id)
                case "tool_result":
                    guard role == "user", let id = block["tool_use_id"] as? String, previousToolUses.contains(id) else {
                        return
                            "messages.\(offset).content.\(index): unexpected `tool_use_id` found in `tool_result` blocks"
                    }
                case "image":
                    let source = block["source"] as? [String: Any]
                    let valid =
                        source?["type"] as? String == "url" && source?["url"] is String
                        || source?["type"] as? String == "base64" && source?["media_type"] is String
                            && source?["data"] is String
                    guard valid else { return "messages.\(offset).content.\(index).source: invalid image source" }
                case "text":
                    guard let text = block["text"] as? String, !text.isEmpty else {
                        return "messages.\(offset).content.\(index): text content blocks must be non-empty"
                    }
                default: break
                }
            }
            previousToolUses = toolUses
        }
        if let tools = request["tools"] as? [[String: Any]] {
            for (index, tool) in tools.enumerated()
            where !(tool["name"] is String && tool["input_schema"] is [String: Any]) {
                return "tools.\(index): name and input_schema are required"
            }
        }
        if let thinking = request["thinking"] as? [String: Any], let budget = thinking["budget_tokens"] as? Int {
            guard budget >= 1024, budget < maxTokens else {
                return "thinking.budget_tokens: must be ≥ 1024 and less than max_tokens"
            }
        }
        if let stops = request["stop_sequences"], !(stops is [String]) {
            return "stop_sequences: Input should be a list of strings"
        }
        return nil
    }
}
