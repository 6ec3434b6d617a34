/// A Gemini `streamGenerateContent?alt=sse` stream → OpenAI chunks: each event is a whole
/// `GenerateContentResponse`; text parts become `content`, function calls whole tool calls.
struct GoogleStreamTranslator: StreamTranslator {
    let chunks: ChatChunkStream
    let includeUsage: Bool
    private var started = false
    private var toolCalls = 0
    private var usage: JSONValue?
    private var sawFinish = false

    init(model: String, includeUsage: Bool, created: Int) {
        chunks = ChatChunkStream(id: "chatcmpl-gemini", model: model, created: created)
        self.includeUsage = includeUsage
    }

    mutating func translate(_ event: SSEEvent) throws -> [SSEEvent] {
        guard let data = try? JSONValue(parsing: event.data) else { return [] }
        if let error = data["error"] {
            let envelope: JSONValue = ["error": ["message": error["message"] ?? "upstream error", "type": error["status"] ?? "api_error", "code": .null]]
            throw UpstreamStreamError(envelope: envelope)
        }
        var events: [SSEEvent] = []
        if !started {
            started = true
            events.append(chunks.chunk(["role": "assistant", "content": ""]))
        }
        let candidate = data["candidates"]?.arrayValue?.first
        let (text, calls) = GoogleResponseTranslator.content(candidate, firstToolIndex: toolCalls)
        toolCalls += calls.count
        if !text.isEmpty { events.append(chunks.chunk(["content": .string(text)])) }
        if !calls.isEmpty { events.append(chunks.chunk(["tool_calls": .array(calls)])) }
        if let reason = candidate?["finishReason"]?.stringValue {
            sawFinish = true
            events.append(chunks.chunk([:], finishReason: GoogleResponseTranslator.finishReason(reason, hasToolCalls: toolCalls > 0)))
        }
        if let metadata = data["usageMetadata"] { usage = GoogleResponseTranslator.usage(metadata) }
        return events
    }

    mutating func finish() throws -> [SSEEvent] {
        guard sawFinish else { throw ProxyError.upstreamUnreachable("the Gemini stream ended without a finish reason") }
        var events: [SSEEvent] = []
        if includeUsage, let usage { events.append(chunks.usageChunk(usage)) }
        return events + [.done]
    }
}
