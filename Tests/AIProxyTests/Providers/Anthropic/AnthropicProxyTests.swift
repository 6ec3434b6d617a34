import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// Claude through the whole proxy in-process: ProxyWorker → AnthropicAdapter →
/// InProcessFetchClient → MockAnthropicWorker, which refuses any malformed translation.
@Suite struct AnthropicProxyTests {
    struct Setup {
        let worker: ProxyWorker
        let env: Env
        let mock: MockAnthropicWorker
        let cacheKV: MemoryKV
        let background = BackgroundWork()

        func call(_ body: String, headers: Headers = ["authorization": "Bearer sk-ant-raw-key"]) async throws
            -> Response
        {
            let request = Request(
                method: .post, url: "http://proxy/v1/chat/completions", headers: headers, body: Body(string: body))
            return try await worker.fetch(request, env: env, ctx: ExecutionContext(requestID: "t", tracker: background))
        }

        func behave(_ json: String) async throws {
            let control = Request(method: .post, url: "http://mock-anthropic/__mock/behavior", body: Body(string: json))
            _ = try await mock.fetch(control, env: env, ctx: ExecutionContext(requestID: "c", tracker: background))
        }
    }

    static func setUp() throws -> Setup {
        let mock = MockAnthropicWorker(apiKey: "sk-ant-raw-key")
        let cacheKV = MemoryKV()
        let env = Env(
            bindings: [
                "CACHE": .kv(cacheKV), "CONTROL": .kv(MemoryKV()),
                "ANTHROPIC_BASE_URL": .text("http://mock-anthropic/v1"),
            ],
            fetcher: InProcessFetchClient(routes: ["mock-anthropic": mock]))
        return Setup(
            worker: try ProxyWorker(env: env, logger: Logger(label: "test", level: .error)), env: env, mock: mock,
            cacheKV: cacheKV)
    }

    static let chat = #"""
        {"model":"claude-3-5-sonnet-latest","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hello"}],"seed":7}
        """#

    /// The server-sent events of a response body, `[DONE]` included.
    static func events(_ text: String) -> [String] {
        text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { String($0.dropFirst("data: ".count)) }
    }

    @Test func plainCallIsTranslatedBothWaysAndTheSecondIdenticalCallIsACacheHit() async throws {
        let setup = try Self.setUp()
        let first = try await setup.call(Self.chat)
        #expect(first.status == 200)
        #expect(first.headers["x-bt-cached"] == "MISS")
        #expect(first.headers["x-bt-used-endpoint"] == "anthropic")
        let firstBody = try await first.body.text(upTo: 1 << 20)
        let completion = try JSONValue(parsing: firstBody)
        #expect(completion["object"] == "chat.completion")
        #expect(completion["choices"]?.arrayValue?.first?["message"]?["content"] == "Mock Claude reply to: hello")
        #expect(completion["choices"]?.arrayValue?.first?["finish_reason"] == "stop")
        #expect(completion["usage"]?["completion_tokens"]?.intValue ?? 0 > 0)

        let sent = try #require(setup.mock.log.all.first)
        #expect(sent.path == "/v1/messages")
        #expect(sent.headers.contains { $0.0.lowercased() == "x-api-key" && $0.1 == "sk-ant-raw-key" })
        #expect(sent.headers.contains { $0.0.lowercased() == "anthropic-version" && $0.1 == "2023-06-01" })
        #expect(!sent.headers.contains { $0.0.lowercased() == "authorization" })
        #expect(try JSONValue(parsing: sent.body)["system"] == "Be brief.")
        let limit = try #require(ModelCatalog.builtIn.model("claude-3-5-sonnet-latest")?.maxOutputTokens)
        #expect(try JSONValue(parsing: sent.body)["max_tokens"] == .number(limit), "the catalog's output limit is the default")

        await setup.background.idle()
        let second = try await setup.call(Self.chat)
        #expect(second.headers["x-bt-cached"] == "HIT")
        #expect(try await second.body.text(upTo: 1 << 20) == firstBody)
        #expect(setup.mock.log.all.count == 1, "the hit made no upstream request")
    }

    @Test func streamIsTranslatedToOpenAIChunksAndReplayedFromTheCache() async throws {
        let setup = try Self.setUp()
        let body = #"""
            {"model":"claude-3-5-sonnet-latest","stream":true,"stream_options":{"include_usage":true},"seed":1,
             "messages":[{"role":"user","content":"stream me"}]}
            """#
        let first = try await setup.call(body)
        #expect(first.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        let transcript = try await first.body.text(upTo: 1 << 20)
        let events = Self.events(transcript)
        #expect(events.last == "[DONE]")
        let chunks = try events.dropLast().map { try JSONValue(parsing: $0) }
        #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" })
        let content = chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined()
        #expect(content == "Mock Claude reply to: stream me")
        #expect(chunks.last?["choices"] == [] && chunks.last?["usage"]?["total_tokens"] != nil)

        await setup.background.idle()
        let replay = try await setup.call(body)
        #expect(replay.headers["x-bt-cached"] == "HIT")
        #expect(try await replay.body.text(upTo: 1 << 20) == transcript)
    }

    @Test func parallelToolCallsStreamAndTheirResultsRoundTrip() async throws {
        let setup = try Self.setUp()
        let tools =
            #"[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}]"#
        let ask = #"{"role":"user","content":"What's the weather in SF and NYC?"}"#
        let response = try await setup.call(
            #"{"model":"claude-3-5-sonnet-latest","stream":true,"messages":["# + ask + #"],"tools":"# + tools + "}")
        var calls: [Int: (id: String, name: String, arguments: String)] = [:]
        for event in Self.events(try await response.body.text(upTo: 1 << 20)).dropLast() {
            for call in try JSONValue(parsing: event)["choices"]?.arrayValue?.first?["delta"]?["tool_calls"]?.arrayValue
                ?? []
            {
                let index = try #require(call["index"]?.intValue)
                var entry = calls[index] ?? ("", "", "")
                if let id = call["id"]?.stringValue { entry.id = id }
                if let name = call["function"]?["name"]?.stringValue { entry.name = name }
                entry.arguments += call["function"]?["arguments"]?.stringValue ?? ""
                calls[index] = entry
            }
        }
        #expect(calls.keys.sorted() == [0, 1])
        #expect(try calls.values.map { try JSONValue(parsing: $0.arguments)["location"] }.contains("New York, NY"))

        // The client sends both calls and their results back; the mock checks each result answers a call.
        let toolCalls = calls.keys.sorted().map { index in
            let call = calls[index]!
            let arguments = JSONValue.string(call.arguments).serializedString
            return
                #"{"id":"\#(call.id)","type":"function","function":{"name":"\#(call.name)","arguments":\#(arguments)}}"#
        }
        let results = calls.keys.sorted().map {
            #"{"role":"tool","tool_call_id":"\#(calls[$0]!.id)","content":"sunny \#($0)"}"#
        }
        let followUp =
            #"{"model":"claude-3-5-sonnet-latest","messages":["# + ask
            + #",{"role":"assistant","content":null,"tool_calls":["#
            + toolCalls.joined(separator: ",") + "]}," + results.joined(separator: ",") + #"],"tools":"# + tools + "}"
        let answer = try await setup.call(followUp)
        let text = try await answer.body.text(upTo: 1 << 20)
        #expect(answer.status == 200, "\(text)")
        #expect(
            try JSONValue(parsing: text)["choices"]?.arrayValue?.first?["message"]?["content"]
                == "Mock Claude reply to: sunny 0 sunny 1")
    }

    @Test func upstreamErrorIsOpenAIShapedWithTheUpstreamMessageAndStatus() async throws {
        let setup = try Self.setUp()
        try await setup.behave(#"{"fail_status":400}"#)
        let response = try await setup.call(Self.chat)
        #expect(response.status == 400)
        let error = try JSONValue(parsing: try await response.body.collect(upTo: 1 << 16))["error"]
        #expect(error?["message"] == "mock failure 400 from mock-anthropic")
        #expect(error?["type"] == "api_error")
        #expect(error?["code"] == .null)
    }

    @Test func streamCutOffMidwayEndsWithAnErrorEventAndIsNotCached() async throws {
        let setup = try Self.setUp()
        try await setup.behave(#"{"fail_mid_stream_after":3}"#)
        let response = try await setup.call(
            #"{"model":"claude-3-5-sonnet-latest","stream":true,"seed":2,"messages":[{"role":"user","content":"one two three four"}]}"#
        )
        let events = Self.events(try await response.body.text(upTo: 1 << 20))
        #expect(!events.contains("[DONE]"))
        #expect(events.last?.contains(#""code":"upstream_stream_error""#) == true)
        await setup.background.idle()
        #expect(try await setup.cacheKV.list(prefix: "").keys.isEmpty)
    }

    @Test func theMockRefusesAMalformedMessagesRequest() async throws {
        let setup = try Self.setUp()
        let bad =
            #"{"model":"claude-3-5-sonnet-latest","max_tokens":10,"messages":[{"role":"system","content":"x"},{"role":"user","content":"hi"}]}"#
        let request = Request(
            method: .post, url: "http://mock-anthropic/v1/messages",
            headers: ["x-api-key": "sk-ant-raw-key", "anthropic-version": "2023-06-01"], body: Body(string: bad))
        let response = try await setup.mock.fetch(
            request, env: setup.env, ctx: ExecutionContext(requestID: "m", tracker: setup.background))
        #expect(response.status == 400)
        #expect(try await response.body.text(upTo: 1 << 16).contains("invalid_request_error"))
    }
}
