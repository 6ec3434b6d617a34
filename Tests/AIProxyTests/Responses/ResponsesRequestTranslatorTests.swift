import Testing

@testable import AIProxy

@Suite struct ResponsesRequestTranslatorTests {
    static func chat(_ json: String) throws -> JSONValue {
        try ResponsesRequestTranslator.chatBody(from: try JSONValue(parsing: Array(json.utf8)))
    }

    static func refusal(_ json: String) -> ProxyError? {
        do {
            _ = try chat(json)
            return nil
        } catch {
            return error as? ProxyError
        }
    }

    @Test func aStringInputWithInstructionsIsASystemAndAUserMessage() throws {
        let chat = try Self.chat(
            #"{"model":"m","instructions":"Be brief.","input":"hi","max_output_tokens":50,"temperature":0}"#)
        #expect(chat["messages"] == [["role": "system", "content": "Be brief."], ["role": "user", "content": "hi"]])
        #expect(chat["max_tokens"] == 50)
        #expect(chat["temperature"] == 0)
        #expect(chat["max_output_tokens"] == nil && chat["instructions"] == nil && chat["input"] == nil)
    }

    @Test func itemsBecomeMessagesWithParallelCallsInOneAssistantTurn() throws {
        let chat = try Self.chat(
            #"""
            {"model":"m","input":[
              {"role":"developer","content":"Rules."},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"Weather?"},
                {"type":"input_image","image_url":"https://x/y.png","detail":"low"}]},
              {"type":"reasoning","id":"rs_1","summary":[]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking.","annotations":[]}]},
              {"type":"function_call","call_id":"c1","name":"get_weather","arguments":"{\"location\":\"SF\"}"},
              {"type":"function_call","call_id":"c2","name":"get_weather","arguments":"{\"location\":\"NYC\"}"},
              {"type":"function_call_output","call_id":"c1","output":"sunny"},
              {"type":"function_call_output","call_id":"c2","output":[{"type":"input_text","text":"rain"}]}
            ]}
            """#)
        let messages = try #require(chat["messages"]?.arrayValue)
        #expect(messages.count == 5)
        #expect(messages[0] == ["role": "system", "content": "Rules."])
        #expect(
            messages[1]["content"]
                == [
                    ["type": "text", "text": "Weather?"],
                    ["type": "image_url", "image_url": ["url": "https://x/y.png", "detail": "low"]],
                ])
        #expect(messages[2]["content"] == "Checking.")
        #expect(messages[2]["tool_calls"]?.arrayValue?.map { $0["id"] } == ["c1", "c2"])
        #expect(messages[2]["tool_calls"]?.arrayValue?.first?["function"]?["arguments"] == #"{"location":"SF"}"#)
        #expect(messages[3] == ["role": "tool", "tool_call_id": "c1", "content": "sunny"])
        #expect(messages[4] == ["role": "tool", "tool_call_id": "c2", "content": "rain"])
    }

    @Test func functionCallsWithoutAnAssistantMessageOpenTheirOwnTurn() throws {
        let chat = try Self.chat(
            #"{"model":"m","input":[{"role":"user","content":"q"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"}]}"#
        )
        #expect(chat["messages"]?.arrayValue?.last?["role"] == "assistant")
        #expect(chat["messages"]?.arrayValue?.last?["content"] == .null)
    }

    @Test func toolsFormatAndEffortTakeTheirChatNames() throws {
        let chat = try Self.chat(
            #"""
            {"model":"m","input":"x","stream":true,
             "tools":[{"type":"function","name":"f","description":"d","parameters":{"type":"object"},"strict":true}],
             "tool_choice":{"type":"function","name":"f"},"parallel_tool_calls":false,
             "text":{"format":{"type":"json_schema","name":"W","schema":{"type":"object"},"strict":true}},
             "reasoning":{"effort":"low"},"store":false,"metadata":{"a":"b"},"include":["reasoning.encrypted_content"]}
            """#)
        #expect(
            chat["tools"]
                == [
                    [
                        "type": "function",
                        "function": [
                            "name": "f", "description": "d", "parameters": ["type": "object"], "strict": true,
                        ],
                    ]
                ])
        #expect(chat["tool_choice"] == ["type": "function", "function": ["name": "f"]])
        #expect(chat["parallel_tool_calls"] == false)
        #expect(
            chat["response_format"] == [
                "type": "json_schema", "json_schema": ["name": "W", "schema": ["type": "object"], "strict": true],
            ])
        #expect(chat["reasoning_effort"] == "low")
        #expect(chat["stream_options"] == ["include_usage": true])
        #expect(chat["store"] == nil && chat["metadata"] == nil && chat["include"] == nil)
    }

    @Test func whatChatCannotCarryIsRefusedNamingTheField() {
        let cases: [(String, String)] = [
            (#"{"model":"m","input":"x","tools":[{"type":"web_search"}]}"#, "tools[0].type"),
            (#"{"model":"m","input":"x","previous_response_id":"resp_1"}"#, "previous_response_id"),
            (#"{"model":"m","input":"x","background":true}"#, "background"),
            (#"{"model":"m","input":[{"type":"item_reference","id":"msg_1"}]}"#, "input[0]"),
            (#"{"model":"m","input":[{"type":"web_search_call","id":"ws"}]}"#, "input[0].type"),
            (
                #"{"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]}"#,
                "input[0].content[0].type"
            ),
            (
                #"{"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"f"}]}]}"#,
                "input[0].content[0].file_id"
            ),
            (#"{"model":"m","input":"x","messages":[]}"#, "messages"),
            (#"{"model":"m","input":"x","tool_choice":{"type":"web_search"}}"#, "tool_choice"),
        ]
        for (body, field) in cases {
            guard case .unsupportedParameter(let name, _)? = Self.refusal(body) else {
                Issue.record("\(body) was not refused as unsupported")
                continue
            }
            #expect(name == field)
        }
        #expect(Self.refusal(#"{"model":"m","input":"x","max_output_tokens":0}"#) != nil)
        #expect(Self.refusal(#"{"model":"m"}"#) == .invalidRequest("Missing required parameter: `input`."))
    }
}
