import EdgeRuntime
import Foundation

extension AnthropicReply {
    /// The reply as Anthropic's documented event sequence: `message_start`, a `ping`, then per
    /// block `content_block_start`, deltas (text word by word, tool input JSON in pieces of a
    /// few bytes, starting with an empty one as Anthropic does) and `content_block_stop`, then
    /// `message_delta` and `message_stop`.
    /// - SeeAlso: https://docs.anthropic.com/en/docs/build-with-claude/streaming
    func stream(behavior: MockBehavior) -> Response {
        var events: [[UInt8]] = []
        func event(_ name: String, _ data: [String: Any]) {
            let json =
                (try? JSONSerialization.data(
                    withJSONObject: data.merging(["type": name]) { a, _ in a }, options: [.sortedKeys])) ?? Data()
            events.append(Array("event: \(name)\ndata: ".utf8) + Array(json) + Array("\n\n".utf8))
        }
        event(
            "message_start",
            [
                "message": [
                    "id": id, "type": "message", "role": "assistant", "model": model, "content": [],
                    "stop_reason": NSNull(),
                    "stop_sequence": NSNull(), "usage": usage.merging(["output_tokens": 1]) { _, new in new },
                ] as [String: Any]
            ])
        for (index, block) in blocks.enumerated() {
            let type = block["type"] as? String ?? "text"
            let start: [String: Any] =
                switch type {
                case "tool_use": block.merging(["input": [String: Any]()]) { _, new in new }
                case "thinking": ["type": "thinking", "thinking": ""]
                default: ["type": "text", "text": ""]
                }
            event("content_block_start", ["index": index, "content_block": start])
            if index == 0 { event("ping", [:]) }  // where Anthropic's documented sample sends it
            switch type {
            case "tool_use":
                let input =
                    (try? JSONSerialization.data(withJSONObject: block["input"] ?? [:], options: [.sortedKeys]))
                    ?? Data("{}".utf8)
                for piece in [""] + Self.split(String(decoding: input, as: UTF8.self), every: 7) {
                    event(
                        "content_block_delta",
                        ["index": index, "delta": ["type": "input_json_delta", "partial_json": piece]])
                }
            case "thinking":
                event(
                    "content_block_delta",
                    ["index": index, "delta": ["type": "thinking_delta", "thinking": block["thinking"] ?? ""]])
                event(
                    "content_block_delta",
                    ["index": index, "delta": ["type": "signature_delta", "signature": block["signature"] ?? ""]])
            default:
                for piece in OpenAIChat.pieces(block["text"] as? String ?? "") {
                    event("content_block_delta", ["index": index, "delta": ["type": "text_delta", "text": piece]])
                }
            }
            event("content_block_stop", ["index": index])
        }
        event(
            "message_delta",
            [
                "delta": ["stop_reason": stopReason, "stop_sequence": stopSequence ?? NSNull()] as [String: Any],
                "usage": ["output_tokens": outputTokens],
            ])
        event("message_stop", [:])

        return behavior.eventStream(events)
    }

    /// `text` in pieces of `count` characters.
    static func split(_ text: String, every count: Int) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(count)))
            rest = rest.dropFirst(count)
        }
        return pieces
    }
}
