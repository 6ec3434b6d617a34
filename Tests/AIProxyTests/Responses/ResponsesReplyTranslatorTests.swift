import Testing

@testable import AIProxy

@Suite struct ResponsesReplyTranslatorTests {
    static func response(_ chat: JSONValue, request: JSONValue = ["model": "m", "input": "q"]) throws -> JSONValue {
        try JSONValue(parsing: try ResponsesReplyTranslator.response(fromChat: chat.serialized, request: request))
    }

    @Test func textAndToolCallsBecomeOutputItemsInOrder() throws {
        let chat: JSONValue = [
            "id": "chatcmpl-abc", "object": "chat.completion", "created": 1_700_000_000, "model": "claude",
            "choices": [
                [
                    "index": 0, "finish_reason": "tool_calls",
                    "message": [
                        "role": "assistant", "content": "Checking.",
                        "tool_calls": [
                            [
                                "id": "toolu_1", "type": "function",
                                "function": ["name": "w", "arguments": #"{"location":"SF"}"#],
                            ],
                            [
                                "id": "toolu_2", "type": "function",
                                "function": ["name": "w", "arguments": #"{"location":"NYC"}"#],
                            ],
                        ],
                    ],
                ]
            ],
            "usage": [
                "prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15,
                "prompt_tokens_details": ["cached_tokens": 4],
            ],
        ]
        let response = try Self.response(
            chat, request: ["model": "claude", "input": "q", "temperature": .number(0.5), "store": true])
        #expect(response["object"] == "response" && response["status"] == "completed" && response["id"] == "resp_abc")
        let output = try #require(response["output"]?.arrayValue)
        #expect(output.map { $0["type"]?.stringValue } == ["message", "function_call", "function_call"])
        #expect(output[0]["content"]?.arrayValue?.first?["text"] == "Checking.")
        #expect(output[1]["call_id"] == "toolu_1" && output[2]["arguments"] == #"{"location":"NYC"}"#)
        #expect(
            response["usage"]
                == [
                    "input_tokens": 10, "input_tokens_details": ["cached_tokens": 4, "cache_write_tokens": 0], "output_tokens": 5,
                    "output_tokens_details": ["reasoning_tokens": 0], "total_tokens": 15,
                ])
        #expect(response["temperature"] == .number(0.5))
        #expect(response["store"] == false)
        #expect(TokenUsage(openAIUsage: response["usage"]) == TokenUsage(input: 10, output: 5, cachedInput: 4))
    }

    @Test func aLengthCutIsIncomplete() throws {
        let chat: JSONValue = [
            "id": "x", "created": 1, "model": "m",
            "choices": [["index": 0, "finish_reason": "length", "message": ["role": "assistant", "content": "Hal"]]],
        ]
        let response = try Self.response(chat)
        #expect(response["status"] == "incomplete")
        #expect(response["incomplete_details"] == ["reason": "max_output_tokens"])
    }
}
