import AIProxy
import EdgeRuntime
import MockUpstream
import Testing

/// `x-bt-use-cache: record` then `only`: a CI run replays what a recording run stored, and a
/// miss is a clear 404 `cache_miss` that never reaches upstream.
@Suite struct CacheOnlyModeTests {
    static let body = #"{"model":"gpt-4o","messages":[{"role":"user","content":"replay me"}],"temperature":0.9}"#
    static let stream = #"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"replay me"}]}"#

    @Test func recordThenOnlyReplaysPlainAndStreamedRepliesWithoutUpstream() async throws {
        let setup = try ProxyWorkerTests.setUp()
        let record: Headers = ["authorization": "Bearer sk-raw-key", "x-bt-use-cache": "record"]
        let recorded = try await setup.call("/v1/chat/completions", body: Self.body, headers: record).body.text(
            upTo: 1 << 20)
        let recordedStream = try await setup.call("/v1/chat/completions", body: Self.stream, headers: record).body.text(
            upTo: 1 << 20)
        await setup.background.idle()
        #expect(setup.mock.log.all.count == 2)

        let only: Headers = ["authorization": "Bearer sk-raw-key", "x-bt-use-cache": "only"]
        let replay = try await setup.call("/v1/chat/completions", body: Self.body, headers: only)
        #expect(replay.headers["x-bt-cached"] == "HIT")
        #expect(try await replay.body.text(upTo: 1 << 20) == recorded)
        let replayedStream = try await setup.call("/v1/chat/completions", body: Self.stream, headers: only)
        #expect(try await replayedStream.body.text(upTo: 1 << 20) == recordedStream)
        #expect(setup.mock.log.all.count == 2, "only-mode never calls upstream")
    }

    @Test func aMissIsA404NamingTheModelAndTheKeysHashPrefix() async throws {
        let setup = try ProxyWorkerTests.setUp()
        let response = try await setup.call(
            "/v1/chat/completions", body: Self.body,
            headers: ["authorization": "Bearer sk-raw-key", "x-bt-use-cache": "only"])
        #expect(response.status == 404)
        let error = try JSONValue(parsing: try await response.body.text(upTo: 1 << 16))["error"]
        #expect(error?["code"]?.stringValue == "cache_miss")
        #expect(error?["type"]?.stringValue == "invalid_request_error")
        let message = try #require(error?["message"]?.stringValue)
        #expect(message.contains("`gpt-4o`"))
        let key = try CacheKey(
            scopeSecret: "sk-raw-key", path: "/chat/completions",
            canonicalBody: try JSONValue(parsing: Self.body).canonical, org: nil, endpointName: nil)
        #expect(message.contains(key.hashPrefix) && key.hashPrefix.count == 12)
        #expect(!message.contains("sk-raw-key"))
        #expect(setup.mock.log.all.isEmpty)
    }

    @Test func onlyModeRefusesWhatItCannotAnswerFromTheCache() async throws {
        let setup = try ProxyWorkerTests.setUp()
        let files = try await setup.call(
            "/v1/files", headers: ["authorization": "Bearer sk-raw-key", "x-bt-use-cache": "only"])
        #expect(files.status == 404)
        #expect(try await files.body.text(upTo: 1 << 16).contains("cache_miss"))

        let mock = MockOpenAIWorker()
        let env = Env(
            bindings: ["OPENAI_BASE_URL": .text("http://mock/v1"), "CACHE_MODE": .text("only")],
            fetcher: InProcessFetchClient(routes: ["mock": mock]))
        let uncached = try ProxyWorker(env: env, logger: Logger(label: "test", level: .error))
        let request = Request(
            method: .post, url: "http://proxy/v1/chat/completions", headers: ["authorization": "Bearer sk-raw-key"],
            body: Body(string: Self.body))
        let response = try await uncached.fetch(
            request, env: env, ctx: ExecutionContext(requestID: "t", tracker: setup.background))
        #expect(response.status == 404, "CACHE_MODE=only with no CACHE binding can answer nothing")
        #expect(mock.log.all.isEmpty)
    }

    @Test func aBadCacheModeVariableIsAConfigurationError() {
        let env = Env(bindings: ["CACHE_MODE": .text("sometimes")], fetcher: InProcessFetchClient(routes: [:]))
        #expect(throws: ConfigError.self) { _ = try ProxyConfiguration(env: env) }
    }
}
