/// Turns one Anthropic Messages stream into OpenAI `chat.completion.chunk` events.
///
/// A value-type state machine, one per stream. It remembers the message id and model from
/// `message_start`, which content block is which tool call, and the token counts, so it can
/// number tool calls 0, 1, … in call order (OpenAI's `tool_calls[].index`), not by content
/// block, and send a usage chunk at the end when the client asked for one.
///
/// | Anthropic event | OpenAI chunk |
/// |---|---|
/// | `message_start` | `delta: {role: assistant, content: ""}` |
/// | `content_block_start` tool_use | `delta.tool_calls: [{index, id, type, function: {name, arguments: ""}}]` |
/// | `text_delta` / `input_json_delta` | `delta.content` / `delta.tool_calls[].function.arguments` |
/// | `thinking_delta` | `delta.reasoning_content` (the DeepSeek-style field; OpenAI has none) |
/// | `message_delta` | `finish_reason` |
/// | `message_stop` | usage chunk (`stream_options.include_usage`), then `[DONE]` |
/// | `error` | the stream fails with it translated (``UpstreamStreamError``), sent once by the relay |
/// | `ping`, `content_block_stop`, `signature_delta`, text `content_block_start` | nothing |
struct AnthropicStreamTranslator: StreamTranslator {
    let includeUsage: Bool
    /// Chunk framing; its id and model are Anthropic's, from `message_start`.
    private var chunks: ChatChunkStream
    /// OpenAI tool-call index by Anthropic content-block index.
    private var toolCallIndex: [Int: Int] = [:]
    private var startUsage: JSONValue?
    private var outputTokens: Int?
    private var finished = false

    init(model: String, created: Int, includeUsage: Bool) {
        chunks = ChatChunkStream(id: "", model: model, created: created)
        self.includeUsage = includeUsage
    }

    /// The translator for `call`: it always ends with the usage chunk (usage and cost need it;
    /// the relay strips it for a client that didn't ask).
    init(call: ProxyCall, created: Int) {
        self.init(model: call.model ?? "", created: created, includeUsage: true)
    }

    mutating func translate(_ event: SSEEvent) throws -> [SSEEvent] {
        guard !finished else { return [] }
        guard let data = try? JSONValue(parsing: event.data), case .object = data else {
            throw ProxyError.upstreamUnreachable("anthropic: a stream event's data is not a JSON object")
        }
        switch data["type"]?.stringValue ?? event.event {
        case "message_start":
            let message = data["message"]
            chunks.id = message?["id"]?.stringValue ?? chunks.id
            chunks.model = message?["model"]?.stringValue ?? chunks.model
            startUsage = message?["usage"]
            return [chunks.chunk(["role": "assistant", "content": ""])]
        case "content_block_start":
            return contentBlockStart(data)
        case "content_block_delta":
            return contentBlockDelta(data)
        case "message_delta":
            if let tokens = data["usage"]?["output_tokens"]?.intValue { outputTokens = tokens }
            guard let stopReason = data["delta"]?["stop_reason"], stopReason != .null else { return [] }
            return [chunks.chunk([:], finishReason: AnthropicWire.finishReason(stopReason))]
        case "message_stop":
            finished = true
            var events: [SSEEvent] = []
            if includeUsage {
                let usage = AnthropicWire.usage(startUsage, outputTokens: outputTokens)
                events.append(chunks.usageChunk(usage))
            }
            return events + [.done]
        case "error":
            let error = data["error"]
            let message = error?["message"]?.stringValue ?? "Anthropic reported a stream error."
            let envelope = AnthropicErrorTranslator.envelope(
                message: message, type: error?["type"]?.stringValue ?? "server_error")
            throw UpstreamStreamError(envelope: envelope)
        default:
            return []  // ping, content_block_stop, and event types newer than this translator
        }
    }

    /// Nothing is owed after `message_stop`. A stream that ended without it was cut off: failing
    /// here makes the relay end it with an error event instead of `[DONE]`, and keeps it out of
    /// the cache (an `error` event's stream included, though its client already saw the error).
    mutating func finish() throws -> [SSEEvent] {
        guard finished else {
            throw ProxyError.upstreamUnreachable("anthropic: the stream ended before message_stop")
        }
        return []
    }

    private mutating func contentBlockStart(_ data: JSONValue) -> [SSEEvent] {
        let block = data["content_block"]
        switch block?["type"]?.stringValue {
        case "tool_use":
            let index = toolCallIndex.count
            toolCallIndex[data["index"]?.intValue ?? -1] = index
            return [chunks.toolCallStart(index: index, id: block?["id"], name: block?["name"])]
        case "text":
            // Documented as empty; should it ever carry text, that text is still content.
            guard let text = block?["text"]?.stringValue, !text.isEmpty else { return [] }
            return [chunks.chunk(["content": .string(text)])]
        default:
            return []
        }
    }

    private func contentBlockDelta(_ data: JSONValue) -> [SSEEvent] {
        let delta = data["delta"]
        switch delta?["type"]?.stringValue {
        case "text_delta":
            return [chunks.chunk(["content": delta?["text"] ?? ""])]
        case "input_json_delta":
            guard let index = toolCallIndex[data["index"]?.intValue ?? -1],
                let json = delta?["partial_json"]?.stringValue,
                !json.isEmpty
            else { return [] }
            return [chunks.toolCallArguments(index: index, json)]
        case "thinking_delta":
            return [chunks.chunk(["reasoning_content": delta?["thinking"] ?? ""])]
        default:
            return []  // signature_delta, citations_delta
        }
    }
}
