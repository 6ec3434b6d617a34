@testable import AIProxy
import EdgeRuntime
import Foundation
import Testing

@Suite struct GoogleAdapterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/google")
    let endpoint = Endpoint(name: "gemini", kind: .google, baseURL: "https://generativelanguage.googleapis.com/v1beta", secret: "AIza-test")

    func call(_ body: String) throws -> ProxyCall {
        ProxyCall(operation: .chatCompletions, method: .post, path: "/chat/completions", rawBody: Array(body.utf8), body: try JSONValue(parsing: body))
    }

    @Test func requestUsesModelURLKeyHeaderRolesAndToolNames() async throws {
        let body = """
            {"model":"gemini-1.5-pro","temperature":0.3,"max_tokens":50,"stop":["END"],"response_format":{"type":"json_object"},
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],"tool_choice":"required",
             "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
              {"role":"tool","tool_call_id":"call_a","content":"{\\"temp\\":3}"},{"role":"user","content":"Thanks"}]}
            """
        let request = try GoogleAdapter().makeRequest(for: try call(body), endpoint: endpoint)
        #expect(request.url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-1.5-pro:generateContent")
        #expect(request.headers["x-goog-api-key"] == "AIza-test")
        let json = try JSONValue(parsing: try await request.body.collect(upTo: 1 << 20))
        #expect(json["systemInstruction"]?["parts"] == [["text": "Be brief."]])
        let contents = try #require(json["contents"]?.arrayValue)
        #expect(contents.map { $0["role"]?.stringValue } == ["user", "model", "user"])
        #expect(contents[1]["parts"]?.arrayValue?.first?["functionCall"] == ["name": "get_weather", "args": ["city": "Oslo"]])
        let response = contents[2]["parts"]?.arrayValue?.first?["functionResponse"]
        #expect(response?["name"] == "get_weather", "matched back by name, not by call id")
        #expect(response?["response"] == ["temp": 3])
        #expect(json["generationConfig"]?["maxOutputTokens"]?.intValue == 50)
        #expect(json["generationConfig"]?["stopSequences"] == ["END"])
        #expect(json["generationConfig"]?["responseMimeType"] == "application/json")
        #expect(json["toolConfig"]?["functionCallingConfig"]?["mode"] == "ANY")
        let streaming = try GoogleAdapter().makeRequest(for: try call(#"{"model":"gemini-2.0-flash","stream":true,"messages":[{"role":"user","content":"x"}]}"#), endpoint: endpoint)
        #expect(streaming.url.hasSuffix("/models/gemini-2.0-flash:streamGenerateContent?alt=sse"))
    }

    @Test func responseTextToolCallsSafetyAndUsage() throws {
        let body = #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Oslo"}}},{"functionCall":{"name":"get_time","args":{}}}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":5,"totalTokenCount":17},"modelVersion":"gemini-1.5-pro"}"#
        let out = try JSONValue(parsing: try GoogleAdapter().translateResponse(Array(body.utf8), for: try call(#"{"model":"gemini-1.5-pro","messages":[]}"#)))
        let choice = try #require(out["choices"]?.arrayValue?.first)
        #expect(choice["finish_reason"] == "tool_calls")
        #expect(choice["message"]?["tool_calls"]?.arrayValue?.map { $0["function"]?["name"]?.stringValue } == ["get_weather", "get_time"])
        #expect(out["usage"]?["total_tokens"]?.intValue == 17)
        let blocked = #"{"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"SAFETY"}]}"#
        let filtered = try JSONValue(parsing: try GoogleAdapter().translateResponse(Array(blocked.utf8), for: try call(#"{"model":"m","messages":[]}"#)))
        #expect(filtered["choices"]?.arrayValue?.first?["finish_reason"] == "content_filter")
        let error = try JSONValue(parsing: GoogleAdapter().translateError(Array(#"{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}"#.utf8), status: 400))
        #expect(error["error"]?["message"] == "API key not valid.")
    }

    @Test func streamFixtureBecomesOpenAIChunksAndEndsWithUsageAndDone() throws {
        var decoder = SSEParser()
        var translator = GoogleAdapter().makeStreamTranslator(for: try call(#"{"model":"gemini-1.5-flash","stream":true,"stream_options":{"include_usage":true},"messages":[]}"#))
        var events: [SSEEvent] = []
        for event in decoder.feed(Array(try Data(contentsOf: Self.fixtures.appendingPathComponent("text.stream.sse")))) {
            events += try translator.translate(event)
        }
        events += try translator.finish()
        #expect(events.last?.isDone == true)
        let chunks = try events.dropLast().map { try JSONValue(parsing: $0.data) }
        #expect(chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined() == "The quick brown fox jumps.")
        #expect(chunks.contains { $0["choices"]?.arrayValue?.first?["finish_reason"] == "stop" })
        #expect(chunks.last?["usage"]?["completion_tokens"]?.intValue == 6)
        var cut = GoogleAdapter().makeStreamTranslator(for: try call(#"{"model":"m","stream":true,"messages":[]}"#))
        _ = try cut.translate(SSEEvent(data: #"{"candidates":[{"content":{"parts":[{"text":"half"}]}}]}"#))
        #expect(throws: ProxyError.self) { try cut.finish() }
    }

    /// `reasoning_effort` becomes a thinking budget (Google's mapping); anything else is refused.
    @Test func reasoningEffortIsAThinkingBudget() throws {
        for (effort, budget) in [("minimal", 0), ("low", 1024), ("medium", 8192), ("high", 24576)] {
            let body: JSONValue = ["messages": [["role": "user", "content": "hi"]], "reasoning_effort": .string(effort)]
            let request = try GoogleRequestTranslator.translate(body)
            #expect(request["generationConfig"]?["thinkingConfig"]?["thinkingBudget"]?.intValue == budget, "\(effort)")
        }
        #expect(throws: ProxyError.self) {
            try GoogleRequestTranslator.translate(["messages": [["role": "user", "content": "hi"]], "reasoning_effort": "max"])
        }
    }
}
