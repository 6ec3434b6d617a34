import EdgeRuntime
import Foundation

/// The mock's answer to one valid Messages request, as a message or as Anthropic's event stream.
///
/// The reply echoes the last user turn's text ("Mock Claude reply to: …"). When the request
/// offers tools and that text mentions "weather", Claude "calls" the first tool twice in
/// parallel (San Francisco and New York). `max_tokens` (in words) and `stop_sequences` cut the
/// text as Anthropic would, with the matching `stop_reason`.
struct AnthropicReply {
    let model: String
    let id: String
    /// The content blocks, in Anthropic's shape and order.
    let blocks: [[String: Any]]
    let stopReason: String
    let stopSequence: String?
    let inputTokens: Int
    let outputTokens: Int

    init(request: [String: Any]) {
        model = request["model"] as? String ?? "claude-3-5-sonnet-latest"
        let messages = request["messages"] as? [[String: Any]] ?? []
        let last = messages.last { $0["role"] as? String == "user" }
        let userText = Self.texts(in: last?["content"], types: ["text"]).joined(separator: " ")
        let tools = request["tools"] as? [[String: Any]] ?? []
        let choice = (request["tool_choice"] as? [String: Any])?["type"] as? String
        var blocks: [[String: Any]] = []
        var stop = "end_turn"
        var stopSequence: String?
        if let tool = tools.first?["name"] as? String, choice != "none", userText.lowercased().contains("weather") {
            blocks.append(["type": "text", "text": "Let me check both cities."])
            for (n, city) in MockReplyScript.cities.enumerated() {
                let id = "toolu_mock\(n)_" + String(OpenAIWire.fnv1a(userText + city), radix: 16)
                blocks.append(["type": "tool_use", "id": id, "name": tool, "input": ["location": city]])
            }
            stop = "tool_use"
        } else {
            let answered =
                userText.isEmpty
                ? Self.texts(in: last?["content"], types: ["tool_result"]).joined(separator: " ") : userText
            let cut = MockReplyScript.cut(
                "Mock Claude reply to: " + answered, stopSequences: request["stop_sequences"] as? [String] ?? [],
                maxWords: request["max_tokens"] as? Int)
            stopSequence = cut.stopSequence
            stop = cut.truncated ? "max_tokens" : stopSequence != nil ? "stop_sequence" : "end_turn"
            // Told to answer in JSON (the system prompt carries the instruction): a JSON document.
            let system = (request["system"] as? String) ?? Self.texts(in: request["system"], types: ["text"]).joined(separator: " ")
            let text = MockReplyScript.jsonReply(system: system, text: answered) ?? cut.text
            blocks.append(["type": "text", "text": text])
        }
        if request["thinking"] != nil {
            blocks.insert(["type": "thinking", "thinking": "Mock thinking.", "signature": "mock-sig"], at: 0)
        }
        self.blocks = blocks
        stopReason = stop
        self.stopSequence = stopSequence
        let prompt = messages.flatMap { Self.texts(in: $0["content"], types: ["text", "tool_result"]) }.joined(
            separator: " ")
        inputTokens = OpenAIWire.tokens(prompt)
        outputTokens = blocks.map { OpenAIWire.tokens(($0["text"] as? String) ?? "{}") }.reduce(0, +)
        id = "msg_mock_" + String(OpenAIWire.fnv1a(model + prompt), radix: 16)
    }

    /// Strings of content (a string, or blocks of the given types; a tool result's own content).
    static func texts(in content: Any?, types: Set<String>) -> [String] {
        if let text = content as? String { return types.contains("text") ? [text] : [] }
        return (content as? [[String: Any]] ?? []).compactMap { block -> String? in
            guard let type = block["type"] as? String, types.contains(type) else { return nil }
            if type == "tool_result" { return texts(in: block["content"], types: ["text"]).joined(separator: " ") }
            return block["text"] as? String
        }
    }

    var usage: [String: Int] {
        [
            "input_tokens": inputTokens, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
            "output_tokens": outputTokens,
        ]
    }

    func message() -> Response {
        OpenAIWire.json([
            "id": id, "type": "message", "role": "assistant", "model": model, "content": blocks,
            "stop_reason": stopReason, "stop_sequence": stopSequence ?? NSNull(), "usage": usage,
        ])
    }

    static func error(_ status: Int, type: String, _ message: String) -> Response {
        OpenAIWire.json(["type": "error", "error": ["type": type, "message": message]], status: status)
    }
}
