import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// Bedrock models through the whole proxy in-process: ProxyWorker → BedrockAdapter (SigV4,
/// Converse) → InProcessFetchClient → MockBedrockWorker, which refuses malformed translations.
@Suite struct BedrockProxyTests {
    static let model = "anthropic.claude-3-5-sonnet-20241022-v2:0"
    static let tools =
        #"[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}]"#

    /// A raw Bedrock key pair used directly: ACCESS_KEY_ID:SECRET_ACCESS_KEY.
    static func setUp() throws -> InProcessProxy {
        let mock = MockBedrockWorker(accessKeyID: "AKIDMOCK")
        return try InProcessProxy(
            mock: mock, log: mock.log, host: "mock-bedrock", baseURL: ("BEDROCK_BASE_URL", "http://mock-bedrock"), key: "AKIDMOCK:mock-secret")
    }

    static func events(_ text: String) -> [String] { InProcessProxy.events(text) }
    static func message(_ completion: JSONValue) -> JSONValue? { InProcessProxy.message(completion) }

    @Test func textWithSystemPromptAndUsageIsTranslatedAndSigned() async throws {
        let setup = try Self.setUp()
        let (status, completion) = try await setup.json(
            #"{"model":"\#(Self.model)","messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":"No jokes."},{"role":"user","content":"hello"}],"temperature":0.2,"max_tokens":50}"#
        )
        #expect(status == 200)
        #expect(Self.message(completion)?["content"] == "Mock Bedrock reply to: hello")
        #expect(completion["choices"]?.arrayValue?.first?["finish_reason"] == "stop")
        #expect(completion["usage"]?["prompt_tokens"] == 1 && completion["usage"]?["total_tokens"]?.intValue ?? 0 > 1)
        let entry = try #require(setup.log.all.last)
        #expect(entry.path == "/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse")
        let authorization = entry.headers.first { $0.0.lowercased() == "authorization" }?.1 ?? ""
        #expect(authorization.contains("Credential=AKIDMOCK/") && authorization.contains("/us-east-1/bedrock/aws4_request"))
        let sent = try setup.sent()
        #expect(sent["system"] == [["text": "Be brief."], ["text": "No jokes."]])
        #expect(sent["inferenceConfig"]?["maxTokens"] == 50 && sent["inferenceConfig"]?["temperature"]?.doubleValue == 0.2)
        #expect(sent["messages"] == [["role": "user", "content": [["text": "hello"]]]])
    }

    @Test func multiTurnAndABase64ImageBecomeAlternatingTurns() async throws {
        let setup = try Self.setUp()
        let (status, _) = try await setup.json(
            #"{"model":"\#(Self.model)","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"Hello!"},{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}"#
        )
        #expect(status == 200)
        let messages = try #require(try setup.sent()["messages"]?.arrayValue)
        #expect(messages.map { $0["role"] } == ["user", "assistant", "user"])
        #expect(messages[2]["content"]?.arrayValue?.last == ["image": ["format": "png", "source": ["bytes": "iVBORw0KGgo="]]])
    }

    @Test func anImageByURLIsRefusedClearly() async throws {
        let setup = try Self.setUp()
        let (status, error) = try await setup.json(
            #"{"model":"\#(Self.model)","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}"#
        )
        #expect(status == 400)
        #expect(error["error"]?["message"]?.stringValue?.contains("base64 data: URLs") == true)
        #expect(setup.log.all.isEmpty)
    }

    @Test func parallelToolCallsAndTheirResultsRoundTrip() async throws {
        let setup = try Self.setUp()
        let ask = #"{"role":"user","content":"What's the weather in SF and NYC?"}"#
        let (_, first) = try await setup.json(#"{"model":"\#(Self.model)","messages":[\#(ask)],"tools":\#(Self.tools)}"#)
        let calls = try #require(Self.message(first)?["tool_calls"]?.arrayValue)
        #expect(calls.count == 2)
        #expect(first["choices"]?.arrayValue?.first?["finish_reason"] == "tool_calls")
        #expect(try JSONValue(parsing: calls[1]["function"]?["arguments"]?.stringValue ?? "")["location"] == "New York, NY")
        #expect(try setup.sent()["toolConfig"]?["toolChoice"] == ["auto": [:]])

        let results = calls.map { #"{"role":"tool","tool_call_id":"\#($0["id"]!.stringValue!)","content":"sunny"}"# }
        let followUp =
            #"{"model":"\#(Self.model)","tools":\#(Self.tools),"messages":[\#(ask),{"role":"assistant","content":null,"tool_calls":\#(JSONValue.array(calls).serializedString)},"#
            + results.joined(separator: ",") + "]}"
        let (status, answer) = try await setup.json(followUp)
        #expect(status == 200, "the mock accepted both results as answers to the calls")
        #expect(Self.message(answer)?["content"] == "Mock Bedrock reply to: sunny sunny")
        let turns = try #require(try setup.sent()["messages"]?.arrayValue)
        #expect(turns.count == 3 && turns[2]["content"]?.arrayValue?.count == 2)
    }

    @Test func aForcedToolAndRequiredMapToConverseToolChoice() async throws {
        let setup = try Self.setUp()
        let forced = #"{"type":"function","function":{"name":"get_weather"}}"#
        let (_, named) = try await setup.json(
            #"{"model":"\#(Self.model)","messages":[{"role":"user","content":"hi"}],"tools":\#(Self.tools),"tool_choice":\#(forced)}"#)
        #expect(try setup.sent()["toolConfig"]?["toolChoice"] == ["tool": ["name": "get_weather"]])
        #expect(Self.message(named)?["tool_calls"]?.arrayValue?.count == 2)
        _ = try await setup.json(
            #"{"model":"\#(Self.model)","messages":[{"role":"user","content":"hi"}],"tools":\#(Self.tools),"tool_choice":"required"}"#)
        #expect(try setup.sent()["toolConfig"]?["toolChoice"] == ["any": [:]])
    }

    @Test func jsonModeStopSequencesAndMaxTokensFinish() async throws {
        let setup = try Self.setUp()
        _ = try await setup.json(
            #"{"model":"\#(Self.model)","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}"#)
        #expect(try setup.sent()["system"]?.arrayValue?.first?["text"]?.stringValue?.contains("valid JSON object") == true)

        let (_, stopped) = try await setup.json(
            #"{"model":"\#(Self.model)","messages":[{"role":"user","content":"one two STOP three"}],"stop":"STOP"}"#)
        #expect(Self.message(stopped)?["content"] == "Mock Bedrock reply to: one two ")
        #expect(try setup.sent()["inferenceConfig"]?["stopSequences"] == ["STOP"])

        let (_, cut) = try await setup.json(
            #"{"model":"\#(Self.model)","messages":[{"role":"user","content":"a b c d e f"}],"max_tokens":3}"#)
        #expect(cut["choices"]?.arrayValue?.first?["finish_reason"] == "length")
    }

    @Test func anUpstreamErrorKeepsItsStatusAndMessage() async throws {
        let setup = try Self.setUp()
        try await setup.behave(#"{"fail_status":400}"#)
        let (status, error) = try await setup.json(#"{"model":"\#(Self.model)","messages":[{"role":"user","content":"hi"}]}"#)
        #expect(status == 400)
        #expect(error["error"]?["message"] == "mock failure 400 from mock-bedrock")
    }

    @Test func streamedToolCallsAssembleAndTheStreamIsReplayedFromTheCache() async throws {
        let setup = try Self.setUp()
        let body =
            #"{"model":"\#(Self.model)","stream":true,"seed":3,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"weather in SF and NYC?"}],"tools":\#(Self.tools)}"#
        let first = try await setup.call(body)
        #expect(first.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        #expect(first.headers["x-bt-cached"] == "MISS")
        let transcript = try await first.body.text(upTo: 1 << 20)
        let events = Self.events(transcript)
        #expect(events.last == "[DONE]")
        let chunks = try events.dropLast().map { try JSONValue(parsing: $0) }
        let calls = InProcessProxy.assembledToolCalls(chunks)
        #expect(calls.keys.sorted() == [0, 1])
        #expect(try calls.values.map { try JSONValue(parsing: $0.arguments)["location"] }.contains("San Francisco, CA"))
        #expect(chunks.contains { $0["choices"]?.arrayValue?.first?["finish_reason"] == "tool_calls" })
        #expect(chunks.last?["usage"]?["total_tokens"] != nil)
        #expect(setup.log.all.last?.path.hasSuffix("/converse-stream") == true)

        await setup.background.idle()
        let replay = try await setup.call(body)
        #expect(replay.headers["x-bt-cached"] == "HIT")
        #expect(try await replay.body.text(upTo: 1 << 20) == transcript)
        #expect(setup.log.all.count == 1)
    }

    @Test func aStreamCutOffMidwayEndsWithOneErrorEventAndIsNotCached() async throws {
        let setup = try Self.setUp()
        try await setup.behave(#"{"fail_mid_stream_after":2}"#)
        let body = #"{"model":"\#(Self.model)","stream":true,"seed":4,"messages":[{"role":"user","content":"a long answer please"}]}"#
        let events = Self.events(try await setup.call(body).body.text(upTo: 1 << 20))
        #expect(!events.contains("[DONE]"))
        #expect(events.filter { $0.contains(#""error""#) }.count == 1)
        await setup.background.idle()
        try await setup.behave("{}")
        #expect(try await setup.call(body).headers["x-bt-cached"] == "MISS")
    }
}
