/// A Gemini `streamGenerateContent?alt=sse` stream → OpenAI chunks: each event is a whole
/// `GenerateContentResponse`; text parts become `content`, function calls whole tool calls.
struct GoogleStreamTranslator: StreamTranslator {
    let model: String
    let includeUsage: Bool
    let created: Int
    private var started = false
    private var toolCalls = 0
    private var usage: JSONValue?
    private var sawFinish = false

    init(model: String, includeUsage: Bool, created: Int) {
        self.model = model
        self.includeUsage = includeUsage
        self.created = created
    }

    private func chunk(_ delta: JSONValue, finishReason: JSONValue = .null, usage: JSONValue? = nil) -> SSEEvent {
        var chunk: JSONValue = [
            "id": "chatcmpl-gemini", "object": "chat.completion.chunk", "created": .number(created), "model": .string(model),
            "choices": usage == nil ? [["index": 0, "delta": delta, "logprobs": .null, "finish_reason": finishReason]] : [],
        ]
        if let usage { chunk = chunk.setting("usage", to: usage) }
        return SSEEvent(data: chunk.serializedString)
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
            events.append(chunk(["role": "assistant", "content": ""]))
        }
        let candidate = data["candidates"]?.arrayValue?.first
        let (text, calls) = GoogleResponseTranslator.content(candidate, firstToolIndex: toolCalls)
        toolCalls += calls.count
        if !text.isEmpty { events.append(chunk(["content": .string(text)])) }
        if !calls.isEmpty { events.append(chunk(["tool_calls": .array(calls)])) }
        if let reason = candidate?["finishReason"]?.stringValue {
            sawFinish = true
            events.append(chunk([:], finishReason: GoogleResponseTranslator.finishReason(reason, hasToolCalls: toolCalls > 0)))
        }
        if let metadata = data["usageMetadata"] { usage = GoogleResponseTranslator.usage(metadata) }
        return events
    }

    mutating func finish() throws -> [SSEEvent] {
        guard sawFinish else { throw ProxyError.upstreamUnreachable("the Gemini stream ended without a finish reason") }
        var events: [SSEEvent] = []
        if includeUsage, let usage { events.append(chunk([:], usage: usage)) }
        return events + [.done]
    }
}
