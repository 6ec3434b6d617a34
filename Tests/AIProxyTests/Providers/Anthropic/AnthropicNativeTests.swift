import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// `/v1/anthropic/messages`: Anthropic's own API through the proxy, untranslated, with the same
/// credential and cache rules as the OpenAI routes.
@Suite struct AnthropicNativeTests {
    static func setUp() throws -> InProcessProxy {
        let mock = MockAnthropicWorker(apiKey: "sk-ant-raw-key")
        return try InProcessProxy(
            mock: mock, log: mock.log, host: "mock-anthropic", baseURL: ("ANTHROPIC_BASE_URL", "http://mock-anthropic/v1"),
            key: "sk-ant-raw-key")
    }

    static let message = #"""
        {"model":"claude-3-5-sonnet-latest","max_tokens":100,"temperature":0,"system":"Be brief.","messages":[{"role":"user","content":"hello"}]}
        """#

    @Test(arguments: ["/v1/anthropic/messages", "/v1/anthropic/v1/messages"])
    func messagesRelayUntranslatedAndADeterministicCallIsCached(path: String) async throws {
        let setup = try Self.setUp()
        let first = try await setup.call(Self.message, path: path)
        #expect(first.status == 200)
        #expect(first.headers["x-bt-cached"] == "MISS")
        let body = try await first.body.text(upTo: 1 << 20)
        let reply = try JSONValue(parsing: body)
        #expect(reply["type"] == "message")
        #expect(reply["content"]?.arrayValue?.first?["text"] == "Mock Claude reply to: hello")
        let sent = try #require(setup.log.all.last)
        #expect(sent.path == "/v1/messages")
        #expect(try JSONValue(parsing: sent.body) == (try JSONValue(parsing: Self.message)), "the body went upstream unchanged")

        await setup.background.idle()
        let second = try await setup.call(Self.message, path: path)
        #expect(second.headers["x-bt-cached"] == "HIT")
        #expect(try await second.body.text(upTo: 1 << 20) == body)
        #expect(setup.log.all.count == 1)
    }

    @Test func streamsRelayAnthropicEventsAndACutStreamEndsWithOneAnthropicErrorEvent() async throws {
        let setup = try Self.setUp()
        let body = #"{"model":"claude-3-5-sonnet-latest","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"one two three"}]}"#
        let text = try await setup.call(body, path: "/v1/anthropic/messages").body.text(upTo: 1 << 20)
        #expect(text.hasPrefix("event: message_start\n"))
        #expect(text.contains("event: message_stop\n"))

        try await setup.behave(#"{"fail_mid_stream_after":3}"#)
        let cut = try await setup.call(body, path: "/v1/anthropic/messages").body.text(upTo: 1 << 20)
        #expect(!cut.contains("message_stop"))
        #expect(cut.components(separatedBy: "event: error\n").count == 2, "exactly one error event")
        #expect(cut.contains(#""type":"error""#))
    }

    @Test func upstreamErrorsComeBackInAnthropicsShape() async throws {
        let setup = try Self.setUp()
        try await setup.behave(#"{"fail_status":529}"#)
        let (status, error) = try await setup.json(Self.message, path: "/v1/anthropic/messages")
        #expect(status == 529)
        #expect(error["type"] == "error" && error["error"]?["type"] == "overloaded_error")
    }

    @Test func onlyAnthropicEndpointsServeTheNativeRoute() async throws {
        let setup = try Self.setUp()
        let (status, error) = try await setup.json(#"{"model":"gpt-4o","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#, path: "/v1/anthropic/messages")
        #expect(status == 400)
        #expect(error["error"]?["code"] == "no_endpoint")
    }
}
