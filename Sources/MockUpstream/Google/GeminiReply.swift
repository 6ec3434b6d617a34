import EdgeRuntime
import Foundation

/// The mock's answer to one valid `generateContent` request, whole or as the `alt=sse` stream.
/// Same script as the other mocks: it echoes the last user text ("Mock Gemini reply to: …");
/// with function declarations and "weather" in that text (or mode ANY) it calls the first allowed
/// function twice in parallel; `maxOutputTokens` (in words) and `stopSequences` cut the text.
struct GeminiReply {
    let model: String
    let parts: [[String: Any]]
    let finishReason: String
    let promptTokens: Int
    let outputTokens: Int

    init(request: [String: Any], model: String) {
        self.model = model
        let contents = request["contents"] as? [[String: Any]] ?? []
        let lastParts = (contents.last { $0["role"] as? String == "user" }?["parts"] as? [[String: Any]]) ?? []
        let userText = lastParts.compactMap { $0["text"] as? String }.joined(separator: " ")
        let functions = (request["tools"] as? [[String: Any]] ?? []).flatMap { $0["functionDeclarations"] as? [[String: Any]] ?? [] }
            .compactMap { $0["name"] as? String }
        let calling = (request["toolConfig"] as? [String: Any])?["functionCallingConfig"] as? [String: Any]
        let mode = calling?["mode"] as? String ?? "AUTO"
        let allowed = (calling?["allowedFunctionNames"] as? [String])?.first ?? functions.first
        var parts: [[String: Any]] = []
        var finish = "STOP"
        if let function = allowed, mode != "NONE", mode == "ANY" || userText.lowercased().contains("weather") {
            for city in MockReplyScript.cities {
                parts.append(["functionCall": ["name": function, "args": ["location": city]] as [String: Any]])
            }
        } else {
            let answered = userText.isEmpty
                ? lastParts.compactMap { (($0["functionResponse"] as? [String: Any])?["response"] as? [String: Any])?["result"] as? String }
                    .joined(separator: " ")
                : userText
            let config = request["generationConfig"] as? [String: Any]
            let (text, _, truncated) = MockReplyScript.cut(
                "Mock Gemini reply to: " + answered, stopSequences: config?["stopSequences"] as? [String] ?? [],
                maxWords: config?["maxOutputTokens"] as? Int)
            if truncated { finish = "MAX_TOKENS" }
            // JSON mode (responseMimeType): a document filling responseSchema.
            let json = config?["responseMimeType"] as? String == "application/json"
            parts.append(["text": json ? MockReplyScript.jsonReply(schema: config?["responseSchema"], text: answered) : text])
        }
        self.parts = parts
        finishReason = finish
        let prompt = contents.flatMap { ($0["parts"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String } }
        promptTokens = OpenAIWire.tokens(prompt.joined(separator: " "))
        outputTokens = parts.map { OpenAIWire.tokens($0["text"] as? String ?? "{}") }.reduce(0, +)
    }

    func usage(final: Bool) -> [String: Int] {
        final
            ? ["promptTokenCount": promptTokens, "candidatesTokenCount": outputTokens, "totalTokenCount": promptTokens + outputTokens]
            : ["promptTokenCount": promptTokens, "totalTokenCount": promptTokens]
    }

    func chunk(_ parts: [[String: Any]], finish: Bool) -> [String: Any] {
        var candidate: [String: Any] = ["content": ["parts": parts, "role": "model"], "index": 0]
        if finish { candidate["finishReason"] = finishReason }
        return ["candidates": [candidate], "usageMetadata": usage(final: finish), "modelVersion": model, "responseId": "mock-gemini"]
    }

    func response() -> Response { OpenAIWire.json(chunk(parts, finish: true)) }

    /// `streamGenerateContent?alt=sse`: text in two pieces, function calls whole; the last chunk
    /// carries `finishReason` and the full usage, as the documented sample does.
    func stream(behavior: MockBehavior) -> Response {
        var pieces: [[[String: Any]]] = []
        for part in parts {
            if let text = part["text"] as? String, let space = text.firstIndex(of: " ") {
                pieces.append([["text": String(text[..<space])]])
                pieces.append([["text": String(text[space...])]])
            } else {
                pieces.append([part])
            }
        }
        let events = pieces.enumerated().map { index, parts -> [UInt8] in
            let json = (try? JSONSerialization.data(withJSONObject: chunk(parts, finish: index == pieces.count - 1), options: [.sortedKeys])) ?? Data()
            return Array("data: ".utf8) + Array(json) + Array("\r\n\r\n".utf8)
        }
        return behavior.eventStream(events)
    }

    /// Gemini's error envelope: `{"error": {"code", "message", "status"}}`.
    static func error(_ status: Int, _ message: String) -> Response {
        let name = [400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 503: "UNAVAILABLE"][status] ?? "INTERNAL"
        return OpenAIWire.json(["error": ["code": status, "message": message, "status": name] as [String: Any]], status: status)
    }
}
