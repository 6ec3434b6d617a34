import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// The worker end to end in-process: ProxyWorker → InProcessFetchClient → MockOpenAIWorker.
@Suite struct ProxyWorkerTests {
    struct Setup {
        let worker: ProxyWorker
        let env: Env
        let mock: MockOpenAIWorker
        let cacheKV: MemoryKV
        let background = BackgroundWork()

        func call(_ path: String, body: String? = nil, headers: Headers = ["authorization": "Bearer sk-raw-key"]) async throws -> Response {
            var request = Request(method: body == nil ? .get : .post, url: "http://proxy\(path)", headers: headers)
            if let body { request.body = Body(string: body) }
            return try await worker.fetch(request, env: env, ctx: ExecutionContext(requestID: "t", tracker: background))
        }
    }

    static func setUp() throws -> Setup {
        let mock = MockOpenAIWorker()
        let cacheKV = MemoryKV()
        let env = Env(
            bindings: ["CACHE": .kv(cacheKV), "CONTROL": .kv(MemoryKV()), "OPENAI_BASE_URL": .text("http://mock/v1")],
            fetcher: InProcessFetchClient(routes: ["mock": mock]))
        return Setup(worker: try ProxyWorker(env: env, logger: Logger(label: "test", level: .error)), env: env, mock: mock, cacheKV: cacheKV)
    }

    static let chat = #"{"model":"gpt-4o","messages":[{"role":"user","content":"hello"}],"seed":7}"#

    @Test func chatIsRelayedAndTheSecondIdenticalCallIsACacheHit() async throws {
        let setup = try Self.setUp()
        let first = try await setup.call("/v1/chat/completions", body: Self.chat)
        #expect(first.status == 200)
        #expect(first.headers["x-bt-cached"] == "MISS")
        #expect(first.headers["x-bt-used-endpoint"] == "openai")
        let firstBody = try await first.body.text(upTo: 1 << 20)
        #expect(firstBody.contains("Mock reply to: hello"))
        await setup.background.idle()  // the cache write happens in waitUntil

        let second = try await setup.call("/v1/chat/completions", body: Self.chat)
        #expect(second.headers["x-bt-cached"] == "HIT")
        #expect(try await second.body.text(upTo: 1 << 20) == firstBody)
        #expect(setup.mock.log.all.count == 1, "the hit made no upstream request")
    }

    @Test func upstreamGetsTheProviderKeyNotTheClientsOtherHeaders() async throws {
        let setup = try Self.setUp()
        _ = try await setup.call("/v1/proxy/chat/completions", body: Self.chat, headers: ["authorization": "Bearer sk-raw-key", "cookie": "a=b", "x-bt-use-cache": "never"])
        let sent = try #require(setup.mock.log.all.first)
        #expect(sent.path == "/v1/chat/completions", "/v1/proxy/* is an alias of /v1/*")
        #expect(sent.headers.contains { $0.0.lowercased() == "authorization" && $0.1 == "Bearer sk-raw-key" })
        #expect(!sent.headers.contains { $0.0.lowercased() == "cookie" })
    }

    @Test func streamIsRelayedAsSSEAndReplayedFromTheCache() async throws {
        let setup = try Self.setUp()
        let body = #"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"stream me"}],"temperature":0}"#
        let first = try await setup.call("/v1/chat/completions", body: body)
        #expect(first.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        let transcript = try await first.body.text(upTo: 1 << 20)
        #expect(transcript.hasSuffix("data: [DONE]\n\n"))
        #expect(transcript.contains(#""content":"stream ""#))
        await setup.background.idle()
        let replay = try await setup.call("/v1/chat/completions", body: body)
        #expect(replay.headers["x-bt-cached"] == "HIT")
        #expect(replay.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        #expect(try await replay.body.text(upTo: 1 << 20) == transcript)
    }

    @Test func midStreamFailureEndsWithAnSSEErrorEventAndIsNotCached() async throws {
        let setup = try Self.setUp()
        let control = Request(method: .post, url: "http://mock/__mock/behavior", body: Body(string: #"{"fail_mid_stream_after":2}"#))
        _ = try await setup.mock.fetch(control, env: setup.env, ctx: ExecutionContext(requestID: "c", tracker: setup.background))
        let body = #"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"one two three four"}],"seed":1}"#
        let response = try await setup.call("/v1/chat/completions", body: body)
        let text = try await response.body.text(upTo: 1 << 20)
        let lastEvent = try #require(text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.last)
        #expect(lastEvent.contains(#""code":"upstream_stream_error""#))
        #expect(!text.contains("[DONE]"))
        await setup.background.idle()
        #expect(try await setup.cacheKV.list(prefix: "").keys.isEmpty, "an incomplete stream is never cached")
    }

    @Test func errorsAreOpenAIShapedWithTheRightStatus() async throws {
        let setup = try Self.setUp()
        func check(_ response: Response, _ status: Int, code: String) async throws {
            #expect(response.status == status)
            let json = try JSONValue(parsing: try await response.body.collect(upTo: 1 << 16))
            #expect(json["error"]?["code"]?.stringValue == code)
            #expect(json["error"]?["message"]?.stringValue?.isEmpty == false)
        }
        try await check(try await setup.call("/v1/chat/completions", body: Self.chat, headers: [:]), 401, code: "missing_api_key")
        try await check(try await setup.call("/v1/chat/completions", body: "{not json"), 400, code: "invalid_json")
        try await check(try await setup.call("/v1/chat/completions", body: #"{"model":"nope","messages":[]}"#), 404, code: "model_not_found")
        try await check(try await setup.call("/v2/anything", body: "{}"), 404, code: "not_found")
        try await check(
            try await setup.call("/v1/chat/completions", body: Self.chat, headers: ["authorization": "Bearer k", "x-bt-cache-ttl": "0"]), 400,
            code: "invalid_header")
        try await check(try await setup.call("/v1/chat/completions", body: Self.chat, headers: ["authorization": "Bearer sk-aip-unknown"]), 401, code: "invalid_api_key")
    }

    @Test func upstreamErrorBodiesPassThroughWithTheirStatus() async throws {
        let setup = try Self.setUp()
        let control = Request(method: .post, url: "http://mock/__mock/behavior", body: Body(string: #"{"fail_status":429}"#))
        _ = try await setup.mock.fetch(control, env: setup.env, ctx: ExecutionContext(requestID: "c", tracker: setup.background))
        let response = try await setup.call("/v1/chat/completions", body: Self.chat)
        #expect(response.status == 429)
        #expect(try await response.body.text(upTo: 1 << 16).contains("mock failure 429"))
    }

    @Test func modelsListAndPassthrough() async throws {
        let setup = try Self.setUp()
        let models = try JSONValue(parsing: try await setup.call("/v1/models").body.collect(upTo: 1 << 20))
        #expect(models["object"] == "list")
        #expect(models["data"]?.arrayValue?.contains { $0["id"] == "gpt-4o" } == true)
        // Any other /v1 path goes to the OpenAI-format upstream with method and query intact.
        let response = try await setup.call("/v1/files?purpose=batch")
        #expect(response.status == 404, "the mock has no /files; its 404 comes back unchanged")
        #expect(setup.mock.log.all.last?.path == "/v1/files")
    }

    @Test func anUnreachableControlStoreIsAClear503ForProxyKeys() async throws {
        // A CONTROL namespace on a Redis nobody listens on: proxy keys get a clear 503.
        let group = EventLoopGroup(threadCount: 1, name: "dead-redis")
        defer { group.shutdown() }
        let deadRedis = RedisKV(url: try RedisURL("redis://127.0.0.1:1/0"), group: group, prefix: "x:", timeout: .milliseconds(200))
        let env = Env(bindings: ["CONTROL": .kv(deadRedis)], fetcher: InProcessFetchClient(routes: [:]))
        let worker = try ProxyWorker(env: env, logger: Logger(label: "test", level: .error))
        let request = Request(method: .post, url: "http://proxy/v1/chat/completions", headers: ["authorization": "Bearer sk-aip-whatever"], body: Body(string: Self.chat))
        let response = try await worker.fetch(request, env: env, ctx: ExecutionContext(requestID: "t", tracker: BackgroundWork()))
        #expect(response.status == 503)
    }

    @Test(arguments: ["{}", "{not json", "[]", #"{"model":"gpt-4o"}"#])
    func anUnknownProxyKeyIs401WhateverTheBody(body: String) async throws {
        let setup = try Self.setUp()
        let response = try await setup.call("/v1/chat/completions", body: body, headers: ["authorization": "Bearer sk-aip-never-issued"])
        #expect(response.status == 401)
        let json = try JSONValue(parsing: try await response.body.collect(upTo: 1 << 16))
        #expect(json["error"]?["code"]?.stringValue == "invalid_api_key")
    }
}
