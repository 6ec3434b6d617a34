import Testing

@testable import AIProxy

@Suite struct AnthropicResponseTranslatorTests {
    static func translate(_ fixture: String) throws -> JSONValue {
        try AnthropicResponseTranslator.translate(try Fixture.bytes("anthropic", fixture), created: 1_700_000_000)
    }

    @Test func textReplyBecomesAChatCompletion() throws {
        let completion = try Self.translate("text.response.json")
        #expect(
            completion == [
                "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "object": "chat.completion", "created": 1_700_000_000,
                "model": "claude-3-5-sonnet-20241022",
                "choices": [
                    [
                        "index": 0,
                        "message": ["role": "assistant", "content": "Hi! My name is Claude.", "refusal": nil],
                        "logprobs": nil, "finish_reason": "stop",
                    ]
                ],
                "usage": [
                    "prompt_tokens": 2095, "completion_tokens": 503, "total_tokens": 2598,
                    "prompt_tokens_details": ["cached_tokens": 0],
                ],
            ])
    }

    @Test func everyToolUseBlockBecomesAToolCall() throws {
        let choice = try #require(try Self.translate("tool_use.response.json")["choices"]?.arrayValue?.first)
        #expect(choice["finish_reason"] == "tool_calls")
        #expect(choice["message"]?["content"] == "I'll check the weather in both cities.")
        let calls = try #require(choice["message"]?["tool_calls"]?.arrayValue)
        #expect(calls.count == 2)
        #expect(calls.map { $0["id"] } == ["toolu_01A09q90qw90lq917835lq9", "toolu_01B7jX3kT9mQ2vLz8wR4pN6s"])
        #expect(calls.allSatisfy { $0["type"] == "function" && $0["function"]?["name"] == "get_weather" })
        let arguments = try JSONValue(parsing: try #require(calls[1]["function"]?["arguments"]?.stringValue))
        #expect(arguments == ["location": "New York, NY", "unit": "celsius"])
    }

    @Test func maxTokensFinishIsLength() throws {
        #expect(
            try Self.translate("max_tokens.response.json")["choices"]?.arrayValue?.first?["finish_reason"] == "length")
    }

    @Test func usageCountsCachedPromptTokens() throws {
        #expect(
            try Self.translate("cache_usage.response.json")["usage"] == [
                "prompt_tokens": 188_107, "completion_tokens": 393, "total_tokens": 188_500,
                "prompt_tokens_details": ["cached_tokens": 0],
            ])
        let read = AnthropicWire.usage(["input_tokens": 10, "cache_read_input_tokens": 1000, "output_tokens": 5])
        #expect(read["prompt_tokens"] == 1010)
        #expect(read["prompt_tokens_details"]?["cached_tokens"] == 1000)
    }

    @Test func stopReasonsMapToFinishReasons() {
        let pairs: [(String, JSONValue)] = [
            ("end_turn", "stop"), ("stop_sequence", "stop"), ("max_tokens", "length"), ("tool_use", "tool_calls"),
            ("refusal", "content_filter"),
        ]
        for (stop, finish) in pairs { #expect(AnthropicWire.finishReason(.string(stop)) == finish) }
    }

    @Test func aBodyThatIsNotAMessageIsABadGateway() {
        #expect(throws: ProxyError.self) { try AnthropicResponseTranslator.translate(Array("<html>".utf8), created: 0) }
        #expect(throws: ProxyError.self) {
            try AnthropicResponseTranslator.translate(Array(#"{"id":"x"}"#.utf8), created: 0)
        }
    }
}
