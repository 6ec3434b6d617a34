/// A ConverseStream event stream (decoded by ``AWSEventStreamDecoder``) → OpenAI chunks.
///
/// | Converse event | OpenAI chunk |
/// |---|---|
/// | `messageStart` | `delta: {role: assistant, content: ""}` |
/// | `contentBlockStart` with `toolUse` | a tool call (0-based index per call, id, name, empty arguments) |
/// | `contentBlockDelta` `text` / `toolUse.input` / `reasoningContent` | `content` / `arguments` piece / `reasoning_content` |
/// | `messageStop` | `finish_reason` |
/// | `metadata` | the usage chunk at the end, when asked for |
/// | `…Exception` | the stream fails with that error |
struct BedrockStreamTranslator: StreamTranslator {
    let chunks: ChatChunkStream
    let includeUsage: Bool
    private var toolCallIndex: [Int: Int] = [:]  // contentBlockIndex → tool call index
    private var usage: JSONValue?
    private var stopped = false

    init(model: String, includeUsage: Bool, created: Int) {
        chunks = ChatChunkStream(id: "chatcmpl-bedrock-\(created)", model: model, created: created)
        self.includeUsage = includeUsage
    }

    mutating func translate(_ event: SSEEvent) throws -> [SSEEvent] {
        let type = event.event ?? ""
        guard let data = try? JSONValue(parsing: event.data) else {
            throw ProxyError.upstreamUnreachable("bedrock: a `\(type)` event is not JSON")
        }
        switch type {
        case "messageStart":
            return [chunks.chunk(["role": "assistant", "content": ""])]
        case "contentBlockStart":
            guard let use = data["start"]?["toolUse"] else { return [] }
            let index = toolCallIndex.count
            toolCallIndex[data["contentBlockIndex"]?.intValue ?? -1] = index
            return [chunks.toolCallStart(index: index, id: use["toolUseId"], name: use["name"])]
        case "contentBlockDelta":
            let delta = data["delta"]
            if let text = delta?["text"]?.stringValue { return [chunks.chunk(["content": .string(text)])] }
            if let input = delta?["toolUse"]?["input"]?.stringValue,
                let index = toolCallIndex[data["contentBlockIndex"]?.intValue ?? -1]
            {
                return [chunks.toolCallArguments(index: index, input)]
            }
            if let text = delta?["reasoningContent"]?["text"]?.stringValue { return [chunks.chunk(["reasoning_content": .string(text)])] }
            return []
        case "messageStop":
            stopped = true
            return [chunks.chunk([:], finishReason: BedrockResponseTranslator.finishReason(data["stopReason"]))]
        case "metadata":
            usage = BedrockResponseTranslator.usage(data["usage"])
            return []
        case let name where name.hasSuffix("Exception") || name == "error":
            let message = data["message"]?.stringValue ?? "Bedrock reported \(name)."
            let errorType = name == "throttlingException" ? "rate_limit_error" : "server_error"
            throw UpstreamStreamError(envelope: [
                "error": ["message": .string(message), "type": .string(errorType), "param": .null, "code": .string(name)],
            ])
        default:
            return []  // contentBlockStop, and event types newer than this translator
        }
    }

    /// The usage chunk (if asked for) and `[DONE]`; a stream that ended before `messageStop` was cut off.
    mutating func finish() throws -> [SSEEvent] {
        guard stopped else { throw ProxyError.upstreamUnreachable("bedrock: the stream ended before messageStop") }
        if includeUsage, let usage { return [chunks.usageChunk(usage), .done] }
        return [.done]
    }
}
