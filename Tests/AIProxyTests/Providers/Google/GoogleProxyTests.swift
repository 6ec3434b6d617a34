import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// Gemini models through the whole proxy in-process, against MockGeminiWorker, which refuses
/// malformed translations the way the Gemini API does.
@Suite struct GoogleProxyTests {
    static let tools =
        #"[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}]"#

    static func setUp() throws -> InProcessProxy {
        let mock = MockGeminiWorker(apiKey: "AIza-mock")
        return try InProcessProxy(
            mock: mock, log: mock.log, host: "mock-gemini", baseURL: ("GOOGLE_BASE_URL", "http://mock-gemini/v1beta"), key: "AIza-mock")
    }

    @Test func textSystemPromptAndUsage() async throws {
        let setup = try Self.setUp()
        let (status, completion) = try await setup.json(
            #"{"model":"gemini-2.5-flash","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hello"}],"temperature":0.5,"top_p":0.9,"max_tokens":40}"#
        )
        #expect(status == 200)
        #expect(InProcessProxy.message(completion)?["content"] == "Mock Gemini reply to: hello")
        #expect(completion["choices"]?.arrayValue?.first?["finish_reason"] == "stop")
        #expect(completion["usage"]?["completion_tokens"]?.intValue == 5)
        let entry = try #require(setup.log.all.last)
        #expect(entry.path == "/v1beta/models/gemini-2.5-flash:generateContent")
        let sent = try setup.sent()
        #expect(sent["systemInstruction"] == ["parts": [["text": "Be brief."]]])
        #expect(sent["generationConfig"]?["maxOutputTokens"] == 40)
    }

    @Test func multiTurnWithImagesKeepsOrderAndRoles() async throws {
        let setup = try Self.setUp()
        let (status, _) = try await setup.json(
            #"{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"Hello!"},{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}},{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}"#
        )
        #expect(status == 200)
        let contents = try #require(try setup.sent()["contents"]?.arrayValue)
        #expect(contents.map { $0["role"] } == ["user", "model", "user"])
        let parts = try #require(contents[2]["parts"]?.arrayValue)
        #expect(parts[1] == ["inlineData": ["mimeType": "image/jpeg", "data": "/9j/4AAQ"]])
        #expect(parts[2]["fileData"]?["fileUri"] == "https://example.com/cat.png")
    }

    @Test func parallelFunctionCallsAndTheirResultsMatchByName() async throws {
        let setup = try Self.setUp()
        let ask = #"{"role":"user","content":"What's the weather in SF and NYC?"}"#
        let (_, first) = try await setup.json(#"{"model":"gemini-2.5-flash","messages":[\#(ask)],"tools":\#(Self.tools)}"#)
        let calls = try #require(InProcessProxy.message(first)?["tool_calls"]?.arrayValue)
        #expect(calls.count == 2)
        #expect(first["choices"]?.arrayValue?.first?["finish_reason"] == "tool_calls")
        let results = calls.map { #"{"role":"tool","tool_call_id":"\#($0["id"]!.stringValue!)","content":"sunny"}"# }
        let followUp =
            #"{"model":"gemini-2.5-flash","tools":\#(Self.tools),"messages":[\#(ask),{"role":"assistant","content":null,"tool_calls":\#(JSONValue.array(calls).serializedString)},"#
            + results.joined(separator: ",") + "]}"
        let (status, answer) = try await setup.json(followUp)
        #expect(status == 200, "the mock found a functionCall for each functionResponse name")
        #expect(InProcessProxy.message(answer)?["content"] == "Mock Gemini reply to: sunny sunny")
        let responses = try #require(try setup.sent()["contents"]?.arrayValue?.last?["parts"]?.arrayValue)
        #expect(responses.map { $0["functionResponse"]?["name"] } == ["get_weather", "get_weather"])
    }

    @Test func aForcedFunctionJSONModeStopAndMaxTokens() async throws {
        let setup = try Self.setUp()
        let forced = #"{"type":"function","function":{"name":"get_weather"}}"#
        let (_, named) = try await setup.json(
            #"{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"hi"}],"tools":\#(Self.tools),"tool_choice":\#(forced)}"#)
        #expect(try setup.sent()["toolConfig"] == ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": ["get_weather"]]])
        #expect(InProcessProxy.message(named)?["tool_calls"]?.arrayValue?.count == 2)

        _ = try await setup.json(
            #"{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}}}"#)
        #expect(try setup.sent()["generationConfig"] == ["responseMimeType": "application/json", "responseSchema": ["type": "object"]])

        let (_, stopped) = try await setup.json(#"{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"one STOP two"}],"stop":["STOP"]}"#)
        #expect(InProcessProxy.message(stopped)?["content"] == "Mock Gemini reply to: one ")
        let (_, cut) = try await setup.json(#"{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"a b c d e"}],"max_tokens":2}"#)
        #expect(cut["choices"]?.arrayValue?.first?["finish_reason"] == "length")
    }

    @Test func anUpstreamErrorKeepsItsStatusAndMessage() async throws {
        let setup = try Self.setUp()
        try await setup.behave(#"{"fail_status":429}"#)
        let (status, error) = try await setup.json(#"{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"hi"}]}"#)
        #expect(status == 429)
        #expect(error["error"]?["message"] == "mock failure 429 from mock-gemini")
    }

    @Test func streamedFunctionCallsAssembleAndTheStreamIsCached() async throws {
        let setup = try Self.setUp()
        let body =
            #"{"model":"gemini-2.5-flash","stream":true,"seed":1,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"weather in SF and NYC?"}],"tools":\#(Self.tools)}"#
        let first = try await setup.call(body)
        let transcript = try await first.body.text(upTo: 1 << 20)
        let events = InProcessProxy.events(transcript)
        #expect(events.last == "[DONE]")
        let chunks = try events.dropLast().map { try JSONValue(parsing: $0) }
        let calls = InProcessProxy.assembledToolCalls(chunks)
        #expect(calls.keys.sorted() == [0, 1])
        #expect(try calls.values.map { try JSONValue(parsing: $0.arguments)["location"] }.contains("New York, NY"))
        #expect(chunks.last?["usage"]?["total_tokens"] != nil)
        #expect(setup.log.all.last?.path.hasSuffix(":streamGenerateContent") == true)

        await setup.background.idle()
        let replay = try await setup.call(body)
        #expect(replay.headers["x-bt-cached"] == "HIT")
        #expect(try await replay.body.text(upTo: 1 << 20) == transcript)
    }

    @Test func aStreamCutOffMidwayEndsWithOneErrorEvent() async throws {
        let setup = try Self.setUp()
        try await setup.behave(#"{"fail_mid_stream_after":0}"#)
        let body = #"{"model":"gemini-2.5-flash","stream":true,"seed":2,"messages":[{"role":"user","content":"tell me more"}]}"#
        let events = InProcessProxy.events(try await setup.call(body).body.text(upTo: 1 << 20))
        #expect(!events.contains("[DONE]"))
        #expect(events.filter { $0.contains(#""error""#) }.count == 1)
    }

    @Test func embeddingsUseEmbedContentAndBatchEmbedContents() async throws {
        let setup = try Self.setUp()
        let (status, single) = try await setup.json(
            #"{"model":"gemini-embedding-001","input":"hello","dimensions":4}"#, path: "/v1/embeddings")
        #expect(status == 200)
        #expect(single["data"]?.arrayValue?.first?["embedding"]?.arrayValue?.count == 4)
        #expect(setup.log.all.last?.path == "/v1beta/models/gemini-embedding-001:embedContent")
        #expect(try setup.sent()["outputDimensionality"] == 4)

        let (_, batch) = try await setup.json(
            #"{"model":"gemini-embedding-001","input":["a","b","c"],"encoding_format":"base64"}"#, path: "/v1/embeddings")
        #expect(setup.log.all.last?.path == "/v1beta/models/gemini-embedding-001:batchEmbedContents")
        let data = try #require(batch["data"]?.arrayValue)
        #expect(data.map { $0["index"] } == [0, 1, 2])
        let decoded = try #require(Data(base64Encoded: data[0]["embedding"]?.stringValue ?? ""))
        #expect(decoded.count == 8 * 4, "eight float32 values")

        let (refused, error) = try await setup.json(#"{"model":"gemini-embedding-001","input":[[1,2,3]]}"#, path: "/v1/embeddings")
        #expect(refused == 400)
        #expect(error["error"]?["message"]?.stringValue?.contains("not token ids") == true)
    }
}
