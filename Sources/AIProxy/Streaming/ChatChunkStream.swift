/// Builds the OpenAI `chat.completion.chunk` events a translated stream is made of, all with the
/// same id, model and creation time.
struct ChatChunkStream: Sendable {
    var id: String
    var model: String
    var created: Int

    /// One chunk with a single choice carrying `delta` (and `finish_reason` on the last one).
    func chunk(_ delta: JSONValue, finishReason: JSONValue = .null) -> SSEEvent {
        SSEEvent(json: envelope(choices: [["index": 0, "delta": delta, "logprobs": .null, "finish_reason": finishReason]]))
    }

    /// The first chunk of tool call `index` (0-based per call): its id and name, no arguments yet.
    func toolCallStart(index: Int, id: JSONValue?, name: JSONValue?) -> SSEEvent {
        let call: JSONValue = [
            "index": .number(index), "id": id ?? .null, "type": "function", "function": ["name": name ?? .null, "arguments": ""],
        ]
        return chunk(["tool_calls": [call]])
    }

    /// A piece of tool call `index`'s JSON arguments.
    func toolCallArguments(index: Int, _ piece: String) -> SSEEvent {
        chunk(["tool_calls": [["index": .number(index), "function": ["arguments": .string(piece)]]]])
    }

    /// The usage chunk `stream_options.include_usage` asks for: no choices, just `usage`.
    func usageChunk(_ usage: JSONValue) -> SSEEvent {
        SSEEvent(json: envelope(choices: [], usage: usage))
    }

    func envelope(choices: [JSONValue], usage: JSONValue? = nil) -> JSONValue {
        var chunk: JSONValue = [
            "id": .string(id), "object": "chat.completion.chunk", "created": .number(created), "model": .string(model),
            "choices": .array(choices),
        ]
        if let usage { chunk = chunk.setting("usage", to: usage) }
        return chunk
    }
}

/// A provider reported an error inside its stream (Anthropic's `error` event, a Bedrock
/// exception). The relay ends the client's stream with this OpenAI-format error event, once, and
/// the transcript is not cached.
struct UpstreamStreamError: Error, CustomStringConvertible {
    let envelope: JSONValue
    var description: String { envelope["error"]?["message"]?.stringValue ?? "upstream stream error" }
}
