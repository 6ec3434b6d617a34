@testable import AIProxy
import EdgeRuntime
import MockUpstream
import Testing

/// `STREAM_KEEPALIVE_SECONDS`: a slow stream's client gets the head and `: keep-alive` comments
/// until the first byte; errors after the head arrive as one error event in the client's format;
/// comments never reach the cache.
@Suite struct StreamKeepAliveTests {
    static let comment = ": keep-alive\n\n"
    static let chat = #"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"slow one"}],"seed":3}"#

    static func openAI(keepAlive: String = "0.1") throws -> InProcessProxy {
        let mock = MockOpenAIWorker()
        return try InProcessProxy(
            mock: mock, log: mock.log, host: "mock", baseURL: ("OPENAI_BASE_URL", "http://mock/v1"), key: "sk-raw-key",
            variables: ["STREAM_KEEPALIVE_SECONDS": keepAlive])
    }

    /// The body split into its leading comments and the rest.
    static func split(_ body: String) -> (comments: Int, rest: String) {
        var rest = Substring(body)
        var comments = 0
        while rest.hasPrefix(comment) {
            comments += 1
            rest = rest.dropFirst(comment.count)
        }
        return (comments, String(rest))
    }

    @Test func aSlowHeadIsKeptAliveThenTheWholeStreamFollowsAndIsCachedWithoutComments() async throws {
        let setup = try Self.openAI()
        try await setup.behave(#"{"latency_ms":600}"#)
        let response = try await setup.call(Self.chat)
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        #expect(response.headers["x-bt-used-endpoint"] == nil, "the head went out before any endpoint answered")
        let (comments, stream) = Self.split(try await response.body.text(upTo: 1 << 20))
        #expect(comments >= 2)
        #expect(!stream.contains("keep-alive"))
        #expect(stream.contains(#""content":"slow "#) && stream.hasSuffix("data: [DONE]\n\n"))

        try await setup.behave("{}")
        await setup.background.idle()
        let replay = try await setup.call(Self.chat)
        #expect(replay.headers["x-bt-cached"] == "HIT")
        #expect(try await replay.body.text(upTo: 1 << 20) == stream)
        #expect(setup.log.all.count == 1)
    }

    @Test func aSlowFirstEventAfterTheHeadIsKeptAliveToo() async throws {
        let setup = try Self.openAI(keepAlive: "0.5")  // the in-process head comes well within it
        try await setup.behave(#"{"first_event_delay_ms":1600}"#)
        let response = try await setup.call(Self.chat)
        let (comments, stream) = Self.split(try await response.body.text(upTo: 1 << 20))
        #expect(comments >= 2)
        #expect(!stream.contains("keep-alive") && stream.hasSuffix("data: [DONE]\n\n"))
        await setup.background.idle()
        let replay = try await setup.call(Self.chat)
        #expect(try await replay.body.text(upTo: 1 << 20) == stream, "the cached transcript holds no comment")
    }

    @Test func aStreamSilentAfterItsHeadGetsCommentsUntilItsFirstWriteOnly() async throws {
        let keepAlive = StreamKeepAlive(interval: .milliseconds(100))
        let slow = Body { output in
            try await Task.sleep(for: .milliseconds(600))
            try await output.write(Array("data: first\n\n".utf8))
            try await Task.sleep(for: .milliseconds(400))  // silence after the first write: no comment
            try await output.write(Array("data: second\n\n".utf8))
        }
        let (comments, rest) = Self.split(try await keepAlive.body(slow).text(upTo: 1 << 16))
        #expect(comments >= 2)
        #expect(rest == "data: first\n\ndata: second\n\n")
    }

    @Test func aQuickStreamGetsNoComment() async throws {
        let setup = try Self.openAI(keepAlive: "5")
        let body = try await setup.call(Self.chat).body.text(upTo: 1 << 20)
        #expect(!body.contains("keep-alive") && body.hasPrefix("data: "))
    }

    @Test func zeroTurnsItOff() async throws {
        let setup = try Self.openAI(keepAlive: "0")
        try await setup.behave(#"{"latency_ms":300}"#)
        let response = try await setup.call(Self.chat)
        #expect(response.headers["x-bt-used-endpoint"] == "openai")
        #expect(!(try await response.body.text(upTo: 1 << 20)).contains("keep-alive"))
    }

    @Test func anUpstreamErrorAfterTheHeadIsOneOpenAIErrorEventAndNothingIsCached() async throws {
        let setup = try Self.openAI()
        try await setup.behave(#"{"latency_ms":400,"fail_status":400}"#)
        let response = try await setup.call(Self.chat)
        #expect(response.status == 200)
        let (comments, rest) = Self.split(try await response.body.text(upTo: 1 << 20))
        #expect(comments >= 1)
        let events = InProcessProxy.events(rest)
        #expect(events.count == 1)
        let error = try JSONValue(parsing: try #require(events.first))["error"]
        #expect(error?["message"]?.stringValue?.contains("mock failure 400") == true, "the upstream's own error")

        try await setup.behave("{}")
        await setup.background.idle()
        let retry = try await setup.call(Self.chat)
        #expect(retry.headers["x-bt-cached"] == "MISS", "the failure was not cached")
    }

    @Test func anAnthropicNativeStreamGetsAnthropicsErrorEvent() async throws {
        let mock = MockAnthropicWorker(apiKey: "sk-ant-raw-key")
        let setup = try InProcessProxy(
            mock: mock, log: mock.log, host: "mock-anthropic",
            baseURL: ("ANTHROPIC_BASE_URL", "http://mock-anthropic/v1"), key: "sk-ant-raw-key",
            variables: ["STREAM_KEEPALIVE_SECONDS": "0.1"])
        try await setup.behave(#"{"latency_ms":400,"fail_status":529}"#)
        let message = #"{"model":"claude-3-5-sonnet-latest","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        let response = try await setup.call(message, path: "/v1/anthropic/messages")
        let (comments, rest) = Self.split(try await response.body.text(upTo: 1 << 20))
        #expect(comments >= 1)
        #expect(rest.hasPrefix("event: error\ndata: "))
        let data = try JSONValue(parsing: String(rest.dropFirst("event: error\ndata: ".count)))
        #expect(data["type"] == "error")
        #expect(data["error"]?["type"]?.stringValue?.hasSuffix("_error") == true)
    }

    @Test func errorEventsSpeakEachClientsFormat() throws {
        func event(_ status: Int, _ operation: ProxyCall.Operation) throws -> SSEEvent {
            let body: JSONValue = ["error": ["message": "upstream trouble", "type": "server_error", "code": "busy"]]
            return try #require(
                StreamErrorEvents.events(forReply: status, body: body.serialized, operation: operation).first)
        }
        let responses = try event(503, .responses)
        #expect(responses.event == "error")
        let json = try JSONValue(parsing: responses.data)
        #expect(json["type"] == "error" && json["sequence_number"] == 0 && json["code"] == "busy")
        let anthropic = try event(429, .anthropicMessages)
        #expect(anthropic.event == "error")
        #expect(try JSONValue(parsing: anthropic.data)["error"]?["type"] == "rate_limit_error")
        let chat = try event(500, .chatCompletions)
        #expect(chat.event == nil)
        #expect(try JSONValue(parsing: chat.data)["error"]?["message"] == "upstream trouble")
    }
}
