import AIProxy
import EdgeRuntime
import Foundation
import Testing

@Suite struct AnthropicAdapterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/anthropic")
    let endpoint = Endpoint(name: "claude", kind: .anthropic, baseURL: "https://api.anthropic.com/v1", secret: "sk-ant-test")

    func call(_ body: String) throws -> ProxyCall {
        ProxyCall(operation: .chatCompletions, method: .post, path: "/chat/completions", rawBody: Array(body.utf8), body: try JSONValue(parsing: body))
    }

    func translated(_ body: String) async throws -> (Request, JSONValue) {
        let request = try AnthropicAdapter().makeRequest(for: try call(body), endpoint: endpoint)
        return (request, try JSONValue(parsing: try await request.body.collect(upTo: 1 << 20)))
    }

    @Test func requestHasAnthropicShapeHeadersAndSystem() async throws {
        let (request, json) = try await translated("""
            {"model":"claude-3-5-sonnet-latest","messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":"Use metric."},
             {"role":"user","content":"Hi"},{"role":"user","content":[{"type":"text","text":"there"},
             {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"image_url","image_url":{"url":"https://x/cat.jpg"}}]}],
             "stop":"END","temperature":0.2}
            """)
        #expect(request.url == "https://api.anthropic.com/v1/messages")
        #expect(request.headers["x-api-key"] == "sk-ant-test")
        #expect(request.headers["anthropic-version"] == "2023-06-01")
        #expect(request.headers["authorization"] == nil)
        #expect(json["system"]?.stringValue == "Be brief.\n\nUse metric.")
        #expect(json["max_tokens"]?.intValue == 4096)
        #expect(json["stop_sequences"] == ["END"])
        let messages = try #require(json["messages"]?.arrayValue)
        #expect(messages.count == 1, "consecutive user turns are merged")
        let blocks = try #require(messages[0]["content"]?.arrayValue)
        #expect(blocks.map { $0["type"]?.stringValue } == ["text", "text", "image", "image"])
        #expect(blocks[2]["source"] == ["type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="])
        #expect(blocks[3]["source"] == ["type": "url", "url": "https://x/cat.jpg"])
    }

    @Test func parallelToolCallsAndResultsRoundTrip() async throws {
        let (_, json) = try await translated("""
            {"model":"claude-3-5-sonnet-latest","tool_choice":{"type":"function","function":{"name":"get_weather"}},"parallel_tool_calls":false,
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}],
             "messages":[{"role":"user","content":"Weather in SF and LA?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"SF\\"}"}},
                {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"LA\\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18C"},{"role":"tool","tool_call_id":"call_2","content":"25C"}]}
            """)
        #expect(json["tools"]?.arrayValue?.first?["input_schema"]?["type"] == "object")
        #expect(json["tool_choice"] == ["type": "tool", "name": "get_weather", "disable_parallel_tool_use": true])
        let messages = try #require(json["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue } == ["user", "assistant", "user"])
        let uses = try #require(messages[1]["content"]?.arrayValue)
        #expect(uses.map { $0["id"]?.stringValue } == ["call_1", "call_2"])
        #expect(uses[1]["input"] == ["location": "LA"])
        let results = try #require(messages[2]["content"]?.arrayValue)
        #expect(results.map { $0["tool_use_id"]?.stringValue } == ["call_1", "call_2"], "both results in one user turn")
    }

    @Test func jsonModeAndReasoningEffort() async throws {
        let (_, json) = try await translated(#"{"model":"claude-3-7-sonnet-latest","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"},"reasoning_effort":"medium","max_tokens":100}"#)
        #expect(json["system"]?.stringValue?.contains("JSON") == true)
        #expect(json["thinking"] == ["type": "enabled", "budget_tokens": 4096])
        #expect((json["max_tokens"]?.intValue ?? 0) > 4096, "max_tokens must exceed the thinking budget")
    }

    @Test func responseWithToolCallsUsageAndFinishReason() throws {
        let body = #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-3-5-sonnet-latest","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"location":"SF"}},{"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"location":"LA"}}],"stop_reason":"tool_use","usage":{"input_tokens":10,"cache_read_input_tokens":5,"cache_creation_input_tokens":2,"output_tokens":7}}"#
        let out = try JSONValue(parsing: try AnthropicAdapter().translateResponse(Array(body.utf8), for: try call(#"{"model":"m","messages":[]}"#)))
        let choice = try #require(out["choices"]?.arrayValue?.first)
        #expect(choice["finish_reason"] == "tool_calls")
        #expect(choice["message"]?["content"] == "Checking.")
        let calls = try #require(choice["message"]?["tool_calls"]?.arrayValue)
        #expect(calls.count == 2)
        #expect(calls[1]["function"]?["arguments"]?.stringValue == #"{"location":"LA"}"#)
        #expect(out["usage"]?["prompt_tokens"]?.intValue == 17)
        #expect(out["usage"]?["prompt_tokens_details"]?["cached_tokens"]?.intValue == 5)
        #expect(out["usage"]?["total_tokens"]?.intValue == 24)
        let maxed = #"{"id":"m","model":"c","content":[{"type":"text","text":"cut"}],"stop_reason":"max_tokens","usage":{"input_tokens":1,"output_tokens":1}}"#
        let cut = try JSONValue(parsing: try AnthropicAdapter().translateResponse(Array(maxed.utf8), for: try call(#"{"model":"m","messages":[]}"#)))
        #expect(cut["choices"]?.arrayValue?.first?["finish_reason"] == "length")
    }

    @Test func errorIsTranslatedToOpenAIShape() throws {
        let body = Array(#"{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}"#.utf8)
        let out = try JSONValue(parsing: AnthropicAdapter().translateError(body, status: 400))
        #expect(out["error"]?["message"] == "max_tokens: Field required")
        #expect(out["error"]?["type"] == "invalid_request_error")
    }

    @Test func streamFixtureBecomesOpenAIChunksWithPerCallToolIndices() throws {
        let wire = try Array(Data(contentsOf: Self.fixtures.appendingPathComponent("tool_use.stream.sse")))
        var decoder = SSEParser()
        var translator = AnthropicAdapter().makeStreamTranslator(for: try call(#"{"model":"m","messages":[],"stream":true,"stream_options":{"include_usage":true}}"#))
        var events: [SSEEvent] = []
        for event in decoder.feed(wire) { events += try translator.translate(event) }
        events += try translator.finish()
        #expect(events.last?.isDone == true)
        let chunks = try events.dropLast().map { try JSONValue(parsing: $0.data) }
        let text = chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined()
        #expect(text == "Okay, let's check the weather:")
        var arguments: [Int: String] = [:]
        var names: [Int: String] = [:]
        for chunk in chunks {
            for call in chunk["choices"]?.arrayValue?.first?["delta"]?["tool_calls"]?.arrayValue ?? [] {
                let index = try #require(call["index"]?.intValue)
                arguments[index, default: ""] += call["function"]?["arguments"]?.stringValue ?? ""
                if let name = call["function"]?["name"]?.stringValue { names[index] = name }
            }
        }
        #expect(names == [0: "get_weather", 1: "get_time"])
        #expect(try JSONValue(parsing: arguments[0] ?? "") == ["location": "San Francisco, CA"])
        #expect(try JSONValue(parsing: arguments[1] ?? "") == ["tz": "PST"])
        #expect(chunks.contains { $0["choices"]?.arrayValue?.first?["finish_reason"] == "tool_calls" })
        #expect(chunks.last?["usage"]?["completion_tokens"]?.intValue == 89)
        #expect(chunks.last?["usage"]?["prompt_tokens"]?.intValue == 472)
    }

    @Test func streamCutOffBeforeMessageStopIsAnError() throws {
        var translator = AnthropicAdapter().makeStreamTranslator(for: try call(#"{"model":"m","messages":[],"stream":true}"#))
        _ = try translator.translate(SSEEvent(event: "message_start", data: #"{"type":"message_start","message":{"id":"m","model":"c","usage":{}}}"#))
        #expect(throws: ProxyError.self) { try translator.finish() }
    }
}
