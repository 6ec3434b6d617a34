import Testing

@testable import AIProxy

@Suite struct AnthropicRequestTranslatorTests {
    static func translate(_ json: String) throws -> JSONValue {
        try AnthropicRequestTranslator.translate(try JSONValue(parsing: json))
    }

    static func refusal(_ json: String) throws -> String? {
        do {
            _ = try translate(json)
            return nil
        } catch let error as ProxyError {
            guard case .invalidRequest(let message) = error else { return "unexpected \(error)" }
            return message
        }
    }

    @Test func maxTokensDefaultsToTheCatalogsOutputLimit() throws {
        let body = try AnthropicRequestTranslator.translate(
            try JSONValue(parsing: #"{"model":"m","messages":[{"role":"user","content":"Hi"}]}"#), maxOutputTokens: 64000)
        #expect(body["max_tokens"] == 64000)
        let thinking = try AnthropicRequestTranslator.translate(
            try JSONValue(parsing: #"{"model":"m","reasoning_effort":"high","messages":[{"role":"user","content":"Hi"}]}"#), maxOutputTokens: 64000)
        #expect(thinking["max_tokens"] == 64000 && thinking["thinking"]?["budget_tokens"] == 16384)
    }

    @Test func plainTextGetsTheDefaultMaxTokens() throws {
        let body = try Self.translate(
            #"{"model":"claude-3-5-sonnet-latest","messages":[{"role":"user","content":"Hello"}],"temperature":0.5,"top_p":0.9}"#
        )
        #expect(
            body == [
                "model": "claude-3-5-sonnet-latest", "messages": [["role": "user", "content": "Hello"]],
                "max_tokens": 4096,
                "temperature": .number("0.5"), "top_p": .number("0.9"),
            ])
    }

    @Test func systemAndDeveloperMessagesJoinTheSystemPrompt() throws {
        let body = try Self.translate(
            #"""
            {"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
             {"role":"user","content":"Hi"}],"max_completion_tokens":100}
            """#)
        #expect(body["system"] == "Be brief.\n\nAnswer in French.")
        #expect(body["messages"] == [["role": "user", "content": "Hi"]])
        #expect(body["max_tokens"] == 100)
    }

    @Test func consecutiveSameRoleMessagesAreMergedSoRolesAlternate() throws {
        let body = try Self.translate(
            #"""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"one"},{"role":"user","content":"two"},
             {"role":"assistant","content":"three"},{"role":"assistant","content":[{"type":"text","text":"four"}]},{"role":"user","content":"five"}]}
            """#)
        #expect(
            body["messages"] == [
                ["role": "user", "content": [["type": "text", "text": "one"], ["type": "text", "text": "two"]]],
                [
                    "role": "assistant",
                    "content": [["type": "text", "text": "three"], ["type": "text", "text": "four"]],
                ],
                ["role": "user", "content": "five"],
            ])
    }

    @Test func imagesByURLAndAsBase64() throws {
        let body = try Self.translate(
            #"""
            {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"What's this?"},
             {"type":"image_url","image_url":{"url":"https://upload.wikimedia.org/ant.jpg"}},
             {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]}]}
            """#)
        #expect(
            body["messages"]?.arrayValue?.first?["content"] == [
                ["type": "text", "text": "What's this?"],
                ["type": "image", "source": ["type": "url", "url": "https://upload.wikimedia.org/ant.jpg"]],
                ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="]],
            ])
        #expect(
            try Self.refusal(
                #"{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,raw"}}]}]}"#
            ) != nil)
    }

    @Test func twoParallelToolCallsAndTheirResultsRoundTrip() throws {
        let body = try AnthropicRequestTranslator.translate(
            try JSONValue(parsing: try Fixture.bytes("anthropic", "parallel_tools.request.json")))
        let expected = try JSONValue(parsing: try Fixture.bytes("anthropic", "parallel_tools.expected.json"))
        #expect(body == expected)
    }

    @Test func toolResultsComeBeforeTheUsersNextText() throws {
        let body = try Self.translate(
            #"""
            {"model":"m","messages":[{"role":"user","content":"hi"},
             {"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":""}}]},
             {"role":"tool","tool_call_id":"t1","content":[{"type":"text","text":"done"}]},{"role":"user","content":"and now?"}]}
            """#)
        #expect(
            body["messages"]?.arrayValue?[1]["content"] == [
                ["type": "tool_use", "id": "t1", "name": "f", "input": [:]]
            ])
        #expect(
            body["messages"]?.arrayValue?[2]["content"] == [
                ["type": "tool_result", "tool_use_id": "t1", "content": "done"], ["type": "text", "text": "and now?"],
            ])
    }

    @Test func toolChoiceForms() throws {
        func choice(_ json: String, parallel: String = "") throws -> JSONValue? {
            try Self.translate(
                #"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"get_weather"}}],"tool_choice":"#
                    + json + parallel + "}")["tool_choice"]
        }
        #expect(try choice(#""auto""#) == ["type": "auto"])
        #expect(try choice(#""required""#) == ["type": "any"])
        #expect(try choice(#""none""#) == ["type": "none"])
        #expect(
            try choice(#"{"type":"function","function":{"name":"get_weather"}}"#) == [
                "type": "tool", "name": "get_weather",
            ])
        #expect(
            try choice(#""required""#, parallel: #","parallel_tool_calls":false"#) == [
                "type": "any", "disable_parallel_tool_use": true,
            ])
        let tools = try Self.translate(
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"parallel_tool_calls":false}"#
        )
        #expect(tools["tools"] == [["name": "f", "input_schema": ["type": "object", "properties": [:]]]])
        #expect(tools["tool_choice"] == ["type": "auto", "disable_parallel_tool_use": true])
    }

    @Test func jsonModeBecomesASystemInstruction() throws {
        let object = try Self.translate(
            #"{"model":"m","messages":[{"role":"system","content":"S"},{"role":"user","content":"x"}],"response_format":{"type":"json_object"}}"#
        )
        #expect(object["system"]?.stringValue?.hasPrefix("S\n\nRespond with a single valid JSON object") == true)
        let schema = try Self.translate(
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"object"}}}}"#
        )
        #expect(schema["system"]?.stringValue?.hasSuffix(#"JSON Schema: {"type":"object"}"#) == true)
    }

    @Test func stopSequencesUserAndStream() throws {
        let one = try Self.translate(
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"stop":"END","user":"u-1","stream":true}"#)
        #expect(one["stop_sequences"] == ["END"])
        #expect(one["metadata"] == ["user_id": "u-1"])
        #expect(one["stream"] == true)
        let many = try Self.translate(#"{"model":"m","messages":[{"role":"user","content":"x"}],"stop":["a","b"]}"#)
        #expect(many["stop_sequences"] == ["a", "b"])
    }

    @Test func reasoningEffortBecomesAThinkingBudgetBelowMaxTokens() throws {
        let high = try Self.translate(
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"high"}"#)
        #expect(high["thinking"] == ["type": "enabled", "budget_tokens": 16384])
        #expect(high["max_tokens"] == .number(16384 + 4096))
        let low = try Self.translate(
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"low","max_tokens":8000}"#)
        #expect(low["thinking"] == ["type": "enabled", "budget_tokens": 1024])
        #expect(low["max_tokens"] == 8000)
        #expect(
            try Self.translate(
                #"{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"minimal"}"#)["thinking"]
                == nil)
    }

    @Test func unsupportedInputsAreRefusedWithAClearMessage() throws {
        let base = #"{"model":"m","messages":[{"role":"user","content":"x"}]"#
        #expect(try Self.refusal(base + #","n":2}"#)?.contains("`n`") == true)
        #expect(try Self.refusal(base + #","reasoning_effort":"extreme"}"#)?.contains("reasoning_effort") == true)
        #expect(
            try Self.refusal(
                #"{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}"#)?
                .contains("input_audio") == true)
        #expect(
            try Self.refusal(#"{"model":"m","messages":[{"role":"function","name":"f","content":"x"}]}"#)?.contains(
                "function") == true)
        #expect(
            try Self.refusal(#"{"model":"m","messages":[{"role":"system","content":"only a system prompt"}]}"#) != nil)
        #expect(try Self.refusal(base + #","tools":[{"type":"code_interpreter"}]}"#) != nil)
        #expect(
            try Self.refusal(
                #"{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"not json"}}]}]}"#
            ) != nil)
    }
}
