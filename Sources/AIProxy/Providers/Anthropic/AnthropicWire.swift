/// The Anthropic Messages API vocabulary the translators share: version, defaults, and the
/// stop-reason and usage mappings used by both the plain and the streaming translation.
///
/// Built with ``JSONValue`` rather than Codable types: the translators read a few fields and pass
/// the rest (tool schemas, tool inputs) through untouched, which JSONValue keeps byte-faithful.
/// - SeeAlso: https://docs.anthropic.com/en/api/messages
enum AnthropicWire {
    /// The `anthropic-version` header every request carries.
    static let version = "2023-06-01"

    /// `max_tokens` when the call names neither `max_tokens` nor `max_completion_tokens` and the
    /// catalog has no output limit for the model. Anthropic requires the field; OpenAI doesn't.
    /// 4096 is within every Claude model's output limit, so this default never makes a call fail.
    static let defaultMaxTokens = 4096

    /// OpenAI's `finish_reason` for an Anthropic `stop_reason`.
    static func finishReason(_ stopReason: JSONValue?) -> JSONValue {
        switch stopReason?.stringValue {
        case nil: .null
        case "end_turn", "stop_sequence", "pause_turn": "stop"
        case "max_tokens", "model_context_window_exceeded": "length"
        case "tool_use": "tool_calls"
        case "refusal": "content_filter"
        case let other?: .string(other)
        }
    }

    /// OpenAI's `usage` object from Anthropic's. Anthropic counts cached prompt tokens apart from
    /// `input_tokens`; OpenAI's `prompt_tokens` includes them, with the cache reads repeated in
    /// `prompt_tokens_details.cached_tokens`.
    static func usage(_ usage: JSONValue?, outputTokens: Int? = nil) -> JSONValue {
        let input = usage?["input_tokens"]?.intValue ?? 0
        let cacheRead = usage?["cache_read_input_tokens"]?.intValue ?? 0
        let cacheCreation = usage?["cache_creation_input_tokens"]?.intValue ?? 0
        let output = outputTokens ?? usage?["output_tokens"]?.intValue ?? 0
        let prompt = input + cacheRead + cacheCreation
        return [
            "prompt_tokens": .number(prompt), "completion_tokens": .number(output),
            "total_tokens": .number(prompt + output),
            "prompt_tokens_details": ["cached_tokens": .number(cacheRead)],
        ]
    }

    /// The reply body as a JSON object.
    /// - Throws: ``ProxyError/upstreamUnreachable(_:)`` when it isn't one: the upstream answered,
    ///   but not with anything the proxy can relay (a 502, like a gateway's bad reply).
    static func object(_ bytes: [UInt8], what: String) throws(ProxyError) -> JSONValue {
        guard let value = try? JSONValue(parsing: bytes), case .object = value else {
            throw ProxyError.upstreamUnreachable("anthropic: the \(what) is not a JSON object")
        }
        return value
    }
}

extension ProviderKind {
    /// Anthropic's Messages API (`api.anthropic.com`).
    public static let anthropic: ProviderKind = "anthropic"
}
