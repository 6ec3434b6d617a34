import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// A provider's own mid-stream `error` event reaches the client once, in the route's format.
@Suite struct AnthropicStreamErrorTests {
    /// An upstream that answers every call with the fixture's stream: `message_start`, then `error`.
    static func setUp() throws -> InProcessProxy {
        let fixture = try Fixture.bytes("anthropic", "error.upstream.sse")
        let upstream = ClosureWorker { _, _, _ in
            Response(status: 200, headers: ["content-type": "text/event-stream"], body: Body(bytes: fixture))
        }
        return try InProcessProxy(
            mock: upstream, log: MockRequestLog(), host: "erroring", baseURL: ("ANTHROPIC_BASE_URL", "http://erroring/v1"),
            key: "sk-ant-raw-key")
    }

    @Test func translatedStreamEndsWithExactlyOneOpenAIErrorEvent() async throws {
        let setup = try Self.setUp()
        let body = #"{"model":"claude-3-5-sonnet-latest","stream":true,"seed":5,"messages":[{"role":"user","content":"hi"}]}"#
        let events = InProcessProxy.events(try await setup.call(body).body.text(upTo: 1 << 20))
        let errors = events.filter { $0.contains(#""error""#) }
        #expect(errors == [#"{"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":null}}"#])
        #expect(!events.contains("[DONE]"))
        await setup.background.idle()
        #expect(try await setup.call(body).headers["x-bt-cached"] == "MISS", "a failed stream is never cached")
    }

    @Test func nativeStreamForwardsTheProvidersErrorEventOnce() async throws {
        let setup = try Self.setUp()
        let body = #"{"model":"claude-3-5-sonnet-latest","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        let text = try await setup.call(body, path: "/v1/anthropic/messages").body.text(upTo: 1 << 20)
        #expect(text.components(separatedBy: "event: error\n").count == 2)
        #expect(text.contains(#""type": "overloaded_error""#), "the provider's own event data")
    }
}
