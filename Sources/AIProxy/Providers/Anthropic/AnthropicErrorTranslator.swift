/// Turns an Anthropic error body into OpenAI's error envelope; the relay keeps the status.
///
/// Anthropic: `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`.
/// OpenAI: `{"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":null}}`.
/// Anthropic's error `type` is kept: OpenAI SDKs pick their exception from the status, and the
/// type tells a person more than a generic one would.
enum AnthropicErrorTranslator {
    /// The OpenAI-format error object for an Anthropic error body (or any other body).
    static func envelope(_ bytes: [UInt8], status: Int) -> JSONValue {
        let parsed = try? JSONValue(parsing: bytes)
        if let error = parsed?["error"], let message = error["message"]?.stringValue {
            return envelope(message: message, type: error["type"]?.stringValue ?? fallbackType(status))
        }
        // Not Anthropic's shape (a gateway's HTML page, say): relay its text as the message.
        let text = String(decoding: bytes.prefix(1000), as: UTF8.self)
        return envelope(
            message: text.isEmpty ? "Anthropic answered with status \(status)." : text, type: fallbackType(status))
    }

    static func envelope(message: String, type: String) -> JSONValue {
        ["error": ["message": .string(message), "type": .string(type), "param": .null, "code": .null]]
    }

    private static func fallbackType(_ status: Int) -> String {
        status >= 500 ? "server_error" : "invalid_request_error"
    }
}
