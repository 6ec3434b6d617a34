import EdgeRuntime
import Foundation

/// The mock's answer to one valid Converse request, as a Converse reply or as ConverseStream's
/// event stream. Same script as the Anthropic mock: it echoes the last user text ("Mock Bedrock
/// reply to: …"); with tools offered and "weather" in that text (or a forced tool) it calls the
/// tool twice in parallel; `maxTokens` (in words) and `stopSequences` cut the text.
struct BedrockReply {
    /// Content blocks in Converse's shape and order.
    let blocks: [[String: Any]]
    let stopReason: String
    let inputTokens: Int
    let outputTokens: Int

    init(request: [String: Any]) {
        let messages = request["messages"] as? [[String: Any]] ?? []
        let last = (messages.last { $0["role"] as? String == "user" }?["content"] as? [[String: Any]]) ?? []
        let userText = last.compactMap { $0["text"] as? String }.joined(separator: " ")
        let toolConfig = request["toolConfig"] as? [String: Any]
        let tools = (toolConfig?["tools"] as? [[String: Any]] ?? []).compactMap { ($0["toolSpec"] as? [String: Any])?["name"] as? String }
        let choice = toolConfig?["toolChoice"] as? [String: Any]
        let forced = ((choice?["tool"] as? [String: Any])?["name"] as? String) ?? (choice?["any"] != nil ? tools.first : nil)
        var blocks: [[String: Any]] = []
        var stop = "end_turn"
        if let tool = forced ?? (userText.lowercased().contains("weather") ? tools.first : nil) {
            blocks.append(["text": "Let me check both cities."])
            for (n, city) in MockReplyScript.cities.enumerated() {
                let id = "tooluse_mock\(n)_" + String(OpenAIWire.fnv1a(userText + city), radix: 16)
                blocks.append(["toolUse": ["toolUseId": id, "name": tool, "input": ["location": city]] as [String: Any]])
            }
            stop = "tool_use"
        } else {
            let answered = userText.isEmpty ? Self.toolResultTexts(last).joined(separator: " ") : userText
            let inference = request["inferenceConfig"] as? [String: Any]
            let (text, stopSequence, truncated) = MockReplyScript.cut(
                "Mock Bedrock reply to: " + answered, stopSequences: inference?["stopSequences"] as? [String] ?? [],
                maxWords: inference?["maxTokens"] as? Int)
            stop = truncated ? "max_tokens" : stopSequence != nil ? "stop_sequence" : "end_turn"
            let system = (request["system"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }.joined(separator: " ")
            blocks.append(["text": MockReplyScript.jsonReply(system: system, text: answered) ?? text])
        }
        self.blocks = blocks
        stopReason = stop
        let prompt = messages.flatMap { ($0["content"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String } }
        inputTokens = OpenAIWire.tokens(prompt.joined(separator: " "))
        outputTokens = blocks.map { OpenAIWire.tokens($0["text"] as? String ?? "{}") }.reduce(0, +)
    }

    static func toolResultTexts(_ blocks: [[String: Any]]) -> [String] {
        blocks.compactMap { $0["toolResult"] as? [String: Any] }.flatMap {
            ($0["content"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        }
    }

    var usage: [String: Int] { ["inputTokens": inputTokens, "outputTokens": outputTokens, "totalTokens": inputTokens + outputTokens] }

    func message() -> Response {
        OpenAIWire.json([
            "output": ["message": ["role": "assistant", "content": blocks]], "stopReason": stopReason, "usage": usage,
            "metrics": ["latencyMs": 12],
        ])
    }

    /// ConverseStream's documented sequence: `messageStart`; per block `contentBlockStart` (tool
    /// use only), deltas (text word by word, tool input JSON in pieces) and `contentBlockStop`;
    /// `messageStop`; `metadata` with usage.
    func stream(behavior: MockBehavior) -> Response {
        typealias E = AWSEventStreamEncoder
        var events = [E.event("messageStart", ["role": "assistant"])]
        for (index, block) in blocks.enumerated() {
            if let text = block["text"] as? String {
                let words = text.split(separator: " ", omittingEmptySubsequences: false)
                for (n, word) in words.enumerated() {
                    let piece = (n == 0 ? "" : " ") + word
                    events.append(E.event("contentBlockDelta", ["contentBlockIndex": index, "delta": ["text": piece]]))
                }
            } else if let use = block["toolUse"] as? [String: Any] {
                let start = ["toolUse": ["toolUseId": use["toolUseId"]!, "name": use["name"]!]]
                events.append(E.event("contentBlockStart", ["contentBlockIndex": index, "start": start]))
                let input = (try? JSONSerialization.data(withJSONObject: use["input"] ?? [:], options: [.sortedKeys])).map { Array($0) } ?? []
                for piece in stride(from: 0, to: input.count, by: 7).map({ input[$0..<min($0 + 7, input.count)] }) {
                    let text = String(decoding: piece, as: UTF8.self)
                    events.append(E.event("contentBlockDelta", ["contentBlockIndex": index, "delta": ["toolUse": ["input": text]]]))
                }
            }
            events.append(E.event("contentBlockStop", ["contentBlockIndex": index]))
        }
        events.append(E.event("messageStop", ["stopReason": stopReason]))
        events.append(E.event("metadata", ["usage": usage, "metrics": ["latencyMs": 12]]))
        return behavior.eventStream(events, contentType: "application/vnd.amazon.eventstream")
    }

    /// Bedrock's error shape: `{"message"}`, with the exception name in `x-amzn-ErrorType`.
    static func error(_ status: Int, _ type: String, _ message: String) -> Response {
        var response = OpenAIWire.json(["message": message], status: status)
        response.headers["x-amzn-errortype"] = type
        return response
    }
}
