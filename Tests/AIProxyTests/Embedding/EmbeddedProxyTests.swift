import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// The proxy embedded as a library: the test calls `EmbeddedProxy.fetch` in OpenAI's format, with
/// no socket between test and proxy; upstream, the proxy's libcurl client reaches
/// `MockAnthropicWorker` served on a loopback port in this process (the translated path a real
/// Claude call takes).
@Suite struct EmbeddedProxyTests {
    /// The Anthropic mock on a free loopback port, and a proxy whose `ANTHROPIC_BASE_URL` is it.
    struct Setup {
        let mock = MockAnthropicWorker(apiKey: "sk-ant-embedded")
        let mockGroup = EventLoopGroup(threadCount: 1, name: "mock")
        let mockRuntime: Runtime
        let cacheKV = MemoryKV()
        let proxy: EmbeddedProxy

        init() async throws {
            var configuration = ServerConfiguration()
            configuration.port = 0
            configuration.threads = 1
            mockRuntime = Runtime(
                worker: mock, env: Env(fetcher: InProcessFetchClient(routes: [:])), group: mockGroup,
                configuration: configuration, logger: Logger(label: "mock", level: .error))
            try await mockRuntime.start()
            let port = try #require(mockRuntime.server.port)
            proxy = try EmbeddedProxy(
                vars: ["ANTHROPIC_BASE_URL": "http://127.0.0.1:\(port)/v1"],
                kv: ["CACHE": cacheKV, "CONTROL": MemoryKV()], logger: Logger(label: "test", level: .error))
        }

        func call(_ body: String, cache: String = "auto") async throws -> Response {
            try await proxy.fetch(
                Request(
                    method: .post, url: "http://proxy/v1/chat/completions",
                    headers: ["authorization": "Bearer sk-ant-embedded", "x-bt-use-cache": cache],
                    body: Body(string: body)))
        }

        func stop() async {
            await proxy.shutdown()
            await mockRuntime.shutdown()
            mockGroup.shutdown()
        }
    }

    static let chat = #"""
        {"model":"claude-3-5-sonnet-latest","messages":[{"role":"user","content":"hello"}]}
        """#
    static let stream = #"""
        {"model":"claude-3-5-sonnet-latest","stream":true,"stream_options":{"include_usage":true},
         "messages":[{"role":"user","content":"stream me"}]}
        """#

    @Test func plainCallIsTranslatedAndTheSecondIsACacheHit() async throws {
        let setup = try await Setup()
        let first = try await setup.call(Self.chat, cache: "always")
        #expect(first.status == 200)
        #expect(first.headers["x-bt-cached"] == "MISS")
        #expect(first.headers["x-request-id"] != nil)
        let text = try await first.body.text(upTo: 1 << 20)
        let completion = try JSONValue(parsing: text)
        #expect(completion["object"] == "chat.completion")
        #expect(completion["choices"]?.arrayValue?.first?["message"]?["content"] == "Mock Claude reply to: hello")
        let usage = try #require(completion["usage"])
        let prompt = try #require(usage["prompt_tokens"]?.intValue)
        let completionTokens = try #require(usage["completion_tokens"]?.intValue)
        #expect(prompt > 0 && completionTokens > 0)
        #expect(usage["total_tokens"]?.intValue == prompt + completionTokens)
        #expect(setup.mock.log.all.first?.path == "/v1/messages", "sent upstream in Anthropic's format")

        await setup.proxy.background.idle()
        let second = try await setup.call(Self.chat, cache: "always")
        #expect(second.headers["x-bt-cached"] == "HIT")
        #expect(try await second.body.text(upTo: 1 << 20) == text)
        #expect(setup.mock.log.all.count == 1, "the hit made no upstream request")
        await setup.stop()
    }

    @Test func streamedCallIsTranslatedToChunksAndReplayedFromTheCache() async throws {
        let setup = try await Setup()
        let first = try await setup.call(Self.stream, cache: "always")
        #expect(first.status == 200)
        #expect(first.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        var transcript = ""
        var chunkCount = 0
        for try await chunk in first.body {
            transcript += String(decoding: chunk, as: UTF8.self)
            chunkCount += 1
        }
        #expect(chunkCount > 1, "the reply streamed rather than arriving whole")
        let events = transcript.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            .map { String($0.dropFirst("data: ".count)) }
        #expect(events.last == "[DONE]")
        let chunks = try events.dropLast().map { try JSONValue(parsing: $0) }
        #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" })
        let content = chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }
            .joined()
        #expect(content == "Mock Claude reply to: stream me")
        let usage = try #require(chunks.last?["usage"])
        #expect(usage["completion_tokens"]?.intValue ?? 0 > 0)
        #expect(usage["total_tokens"]?.intValue ?? 0 > 0)

        await setup.proxy.background.idle()
        let replay = try await setup.call(Self.stream, cache: "always")
        #expect(replay.headers["x-bt-cached"] == "HIT")
        #expect(try await replay.body.text(upTo: 1 << 20) == transcript)
        #expect(setup.mock.log.all.count == 1)
        await setup.stop()
    }

    @Test func shutdownWaitsForTheCacheWriteThenRefusesCalls() async throws {
        let setup = try await Setup()
        let reply = try await setup.call(Self.chat, cache: "always")
        _ = try await reply.body.collect(upTo: 1 << 20)
        #expect(await setup.proxy.shutdown())
        #expect(try await setup.cacheKV.list(prefix: "").keys.count == 1, "the waitUntil cache write finished")
        await #expect(throws: FetchError.self) { try await setup.call(Self.chat) }
        await setup.stop()
    }
}
