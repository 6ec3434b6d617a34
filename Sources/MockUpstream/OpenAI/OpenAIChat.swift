import EdgeRuntime
import Foundation

/// Chat and text completions: the reply echoes the last user message, so tests can check it.
struct OpenAIChat {
    let name: String
    let behavior: MockBehavior

    static func reply(to request: [String: Any]) -> String {
        let messages = request["messages"] as? [[String: Any]] ?? []
        let lastUser = messages.last { $0["role"] as? String == "user" }
        return "Mock reply to: " + text(of: lastUser?["content"])
    }

    static func text(of content: Any?) -> String {
        if let text = content as? String { return text }
        if let parts = content as? [[String: Any]] {
            return parts.compactMap { $0["text"] as? String }.joined(separator: " ")
        }
        return ""
    }

    func respond(to request: [String: Any]) -> Response {
        let model = request["model"] as? String ?? "gpt-4o"
        let content = Self.reply(to: request)
        let promptText = (request["messages"] as? [[String: Any]] ?? []).map { Self.text(of: $0["content"]) }.joined(separator: " ")
        let usage = ["prompt_tokens": OpenAIWire.tokens(promptText), "completion_tokens": OpenAIWire.tokens(content),
                     "total_tokens": OpenAIWire.tokens(promptText) + OpenAIWire.tokens(content)]
        let id = "chatcmpl-\(String(OpenAIWire.fnv1a(name + model + content), radix: 16))"
        if request["stream"] as? Bool == true {
            let includeUsage = (request["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true
            return stream(id: id, model: model, pieces: Self.pieces(content), usage: includeUsage ? usage : nil) { delta, finish in
                ["index": 0, "delta": delta, "logprobs": NSNull(), "finish_reason": finish ?? NSNull()]
            }
        }
        let maxTokens = request["max_tokens"] as? Int ?? request["max_completion_tokens"] as? Int
        let truncated = maxTokens.map { $0 < OpenAIWire.tokens(content) } ?? false
        let text = truncated ? content.split(separator: " ").prefix(maxTokens ?? 0).joined(separator: " ") : content
        return OpenAIWire.json([
            "id": id, "object": "chat.completion", "created": 1_700_000_000, "model": model, "system_fingerprint": "fp_mock",
            "choices": [["index": 0, "message": ["role": "assistant", "content": text, "refusal": NSNull()] as [String: Any],
                         "logprobs": NSNull(), "finish_reason": truncated ? "length" : "stop"] as [String: Any]],
            "usage": usage,
        ])
    }

    func completion(_ request: [String: Any]) -> Response {
        let model = request["model"] as? String ?? "gpt-3.5-turbo-instruct"
        let prompt = (request["prompt"] as? String) ?? ((request["prompt"] as? [String])?.joined(separator: " ") ?? "")
        let content = "Mock completion of: " + prompt
        let id = "cmpl-\(String(OpenAIWire.fnv1a(name + model + content), radix: 16))"
        let usage = ["prompt_tokens": OpenAIWire.tokens(prompt), "completion_tokens": OpenAIWire.tokens(content),
                     "total_tokens": OpenAIWire.tokens(prompt) + OpenAIWire.tokens(content)]
        if request["stream"] as? Bool == true {
            let includeUsage = (request["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true
            return stream(id: id, model: model, object: "text_completion", pieces: Self.pieces(content), usage: includeUsage ? usage : nil) { delta, finish in
                ["index": 0, "text": delta["content"] ?? "", "logprobs": NSNull(), "finish_reason": finish ?? NSNull()]
            }
        }
        return OpenAIWire.json([
            "id": id, "object": "text_completion", "created": 1_700_000_000, "model": model,
            "choices": [["index": 0, "text": content, "logprobs": NSNull(), "finish_reason": "stop"] as [String: Any]],
            "usage": usage,
        ])
    }

    /// Words with their following space, so the pieces concatenate back to the text.
    static func pieces(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == " " {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    private func stream(
        id: String, model: String, object: String = "chat.completion.chunk", pieces: [String], usage: [String: Int]?,
        choice: @escaping @Sendable ([String: String], String?) -> [String: Any]
    ) -> Response {
        // JSON objects aren't Sendable; the events are encoded before the task starts.
        func event(_ choices: [[String: Any]], usage: Any = NSNull()) -> [UInt8] {
            var chunk: [String: Any] = ["id": id, "object": object, "created": 1_700_000_000, "model": model, "system_fingerprint": "fp_mock", "choices": choices]
            if object == "chat.completion.chunk" || usage is [String: Int] { chunk["usage"] = usage }
            let data = (try? JSONSerialization.data(withJSONObject: chunk, options: [.sortedKeys])) ?? Data()
            return Array("data: ".utf8) + Array(data) + Array("\n\n".utf8)
        }
        var events: [[UInt8]] = []
        if object == "chat.completion.chunk" { events.append(event([choice(["role": "assistant", "content": ""], nil)])) }
        for piece in pieces { events.append(event([choice(["content": piece], nil)])) }
        events.append(event([choice([:], "stop")]))
        if let usage { events.append(event([], usage: usage)) }
        events.append(Array("data: [DONE]\n\n".utf8))
        return behavior.eventStream(events)
    }
}
