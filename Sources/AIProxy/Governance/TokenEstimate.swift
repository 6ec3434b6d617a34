/// A worst-case guess at a call's tokens before it is made, reserved against the key's
/// tokens-per-minute and budget limits and replaced by the real usage when the reply ends.
///
/// Input: every string in the body at 4 bytes a token (OpenAI's rule of thumb), an image
/// (`data:` URL) at a flat 1,000, and 4 tokens of framing per object. Output: the call's own
/// cap (`max_completion_tokens`, `max_tokens`, `max_output_tokens`) times `n`, else the model's
/// output limit from the catalog, else 4,096; none for embeddings and moderations.
enum TokenEstimate {
    static let bytesPerToken = 4
    static let tokensPerImage = 1000
    static let tokensPerObject = 4
    static let defaultOutputTokens = 4096

    static func usage(of call: ProxyCall, model: ModelCatalog.Model?) -> TokenUsage {
        TokenUsage(
            input: call.body.map(inputTokens) ?? (call.rawBody.count + 3) / bytesPerToken,
            output: outputTokens(of: call, model: model))
    }

    static func inputTokens(_ value: JSONValue) -> Int {
        switch value {
        case .string(let text):
            if text.hasPrefix("data:") { return tokensPerImage }
            return (text.utf8.count + bytesPerToken - 1) / bytesPerToken
        case .array(let items): return items.reduce(0) { $0 + inputTokens($1) }
        case .object(let members): return members.reduce(tokensPerObject) { $0 + inputTokens($1.1) }
        case .null, .bool, .number: return 0
        }
    }

    static func outputTokens(of call: ProxyCall, model: ModelCatalog.Model?) -> Int {
        if call.operation == .embeddings || call.operation == .moderations { return 0 }
        let body = call.body
        let cap =
            body?["max_completion_tokens"]?.intValue ?? body?["max_tokens"]?.intValue
            ?? body?["max_output_tokens"]?.intValue
        let choices = max(1, min(128, body?["n"]?.intValue ?? 1))
        return max(0, cap ?? model?.maxOutputTokens ?? defaultOutputTokens) * choices
    }

    /// Output tokens in what a cut stream already sent: the text of its events' `choices` (or
    /// Anthropic's `delta`) at 4 bytes a token.
    static func streamedOutputTokens(transcript: [UInt8]) -> Int {
        var parser = SSEParser()
        var events = parser.feed(transcript)
        if let last = parser.finish() { events.append(last) }
        var bytes = 0
        for event in events where !event.isDone {
            guard let json = try? JSONValue(parsing: event.data) else { continue }
            bytes += textBytes(json["choices"] ?? json["delta"] ?? .null)
        }
        return (bytes + bytesPerToken - 1) / bytesPerToken
    }

    private static func textBytes(_ value: JSONValue) -> Int {
        switch value {
        case .string(let text): text.utf8.count
        case .array(let items): items.reduce(0) { $0 + textBytes($1) }
        case .object(let members):
            members.reduce(0) { $0 + ($1.0 == "role" || $1.0 == "finish_reason" ? 0 : textBytes($1.1)) }
        case .null, .bool, .number: 0
        }
    }
}
