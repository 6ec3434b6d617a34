import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// `/v1/responses` through the whole proxy in-process: bridged to Claude (ProxyWorker →
/// ResponsesBridge → AnthropicAdapter → MockAnthropicWorker) and passed through to an
/// OpenAI-format upstream (MockOpenAIWorker), with usage accounted from either reply.
@Suite struct ResponsesProxyTests {
    struct Setup {
        let worker: ProxyWorker
        let env: Env
        let anthropic: MockAnthropicWorker
        let openai: MockOpenAIWorker
        let log: UsageLogFile
        let background = BackgroundWork()

        func call(_ body: String, key: String) async throws -> (Response, String) {
            let request = Request(
                method: .post, url: "http://proxy/v1/responses",
                headers: ["authorization": "Bearer \(key)", "x-bt-use-cache": "never"], body: Body(string: body))
            let response = try await worker.fetch(
                request, env: env, ctx: ExecutionContext(requestID: UUID().uuidString, tracker: background))
            return (response, try await response.body.text(upTo: 1 << 20))
        }
    }

    static func setUp() throws -> Setup {
        let anthropic = MockAnthropicWorker(apiKey: "sk-ant-raw-key")
        let openai = MockOpenAIWorker(apiKey: "sk-raw-key")
        let log = UsageLogFile()
        let env = Env(
            bindings: [
                "CACHE": .kv(MemoryKV()), "CONTROL": .kv(MemoryKV()), "USAGE_LOG": .text(log.path),
                "ANTHROPIC_BASE_URL": .text("http://mock-anthropic/v1"),
                "OPENAI_BASE_URL": .text("http://mock-openai/v1"),
            ],
            fetcher: InProcessFetchClient(routes: ["mock-anthropic": anthropic, "mock-openai": openai]))
        return Setup(
            worker: try ProxyWorker(env: env, logger: Logger(label: "test", level: .error)), env: env,
            anthropic: anthropic,
            openai: openai, log: log)
    }

    /// The `data:` objects of a Responses stream.
    static func events(_ transcript: String) throws -> [JSONValue] {
        try transcript.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }.map {
            try JSONValue(parsing: Array($0.dropFirst("data: ".count).utf8))
        }
    }

    @Test(arguments: [("claude-3-5-sonnet-latest", "sk-ant-raw-key"), ("gpt-4o", "sk-raw-key")])
    func plainAndStreamedCallsReportTheSameUsage(model: String, key: String) async throws {
        let setup = try Self.setUp()
        let body = #"{"model":"\#(model)","input":"count these words please","store":false}"#
        let (plain, text) = try await setup.call(body, key: key)
        #expect(plain.status == 200, "\(text)")
        let response = try JSONValue(parsing: Array(text.utf8))
        #expect(response["object"] == "response")
        let (stream, transcript) = try await setup.call(
            #"{"model":"\#(model)","input":"count these words please","stream":true}"#, key: key)
        #expect(stream.status == 200)
        #expect(stream.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        let events = try Self.events(transcript)
        #expect(events.last?["type"] == "response.completed")
        #expect(!transcript.contains("[DONE]"))
        #expect(events.last?["response"]?["usage"] == response["usage"])
        let logged = try await setup.log.events(2)
        #expect(logged.count == 2)
        for field in ["input_tokens", "output_tokens"] {
            #expect(logged[0][field]?.intValue ?? 0 > 0, "\(field)")
            #expect(logged[0][field] == logged[1][field], "\(field): plain and streamed agree")
        }
        #expect(logged.allSatisfy { $0["route"] == "/v1/responses" && $0["complete"] == true })
    }

    @Test func theBridgeSendsTheProviderAChatTranslation() async throws {
        let setup = try Self.setUp()
        let (response, text) = try await setup.call(
            #"{"model":"claude-3-5-sonnet-latest","instructions":"Be brief.","input":"hello","max_output_tokens":64}"#,
            key: "sk-ant-raw-key")
        #expect(response.status == 200, "\(text)")
        let sent = try JSONValue(parsing: try #require(setup.anthropic.log.all.last).body)
        #expect(sent["system"] != nil)
        #expect(sent["max_tokens"] == 64)
        #expect(sent["messages"]?.arrayValue?.first?["role"] == "user")
        let reply = try JSONValue(parsing: Array(text.utf8))
        #expect(
            reply["output"]?.arrayValue?.first?["content"]?.arrayValue?.first?["text"] == "Mock Claude reply to: hello")
    }

    @Test func anOpenAIEndpointGetsTheCallAsIs() async throws {
        let setup = try Self.setUp()
        let body = #"{"model":"gpt-4o","input":"as is","stream":true,"store":false}"#
        let (response, _) = try await setup.call(body, key: "sk-raw-key")
        #expect(response.status == 200)
        let sent = try #require(setup.openai.log.all.last)
        #expect(sent.path.hasSuffix("/v1/responses"))
        #expect(try JSONValue(parsing: sent.body) == JSONValue(parsing: Array(body.utf8)), "no stream_options added")
    }
}

/// An OpenAI-compatible host (Groq here) gets `/v1/responses` as a chat call, bridged, without
/// the `stream_options` such hosts may refuse; the client still gets a Responses stream.
@Suite struct ResponsesOpenAICompatibleTests {
    @Test func aCompatibleHostGetsAChatCallWithoutStreamOptions() async throws {
        let mock = MockOpenAIWorker(name: "groq", apiKey: "gsk_raw-key")
        let env = Env(
            bindings: [
                "CACHE": .kv(MemoryKV()), "CONTROL": .kv(MemoryKV()),
                "GROQ_BASE_URL": .text("http://mock-groq/openai/v1"),
            ],
            fetcher: InProcessFetchClient(routes: ["mock-groq": mock]))
        let worker = try ProxyWorker(env: env, logger: Logger(label: "test", level: .error))
        let request = Request(
            method: .post, url: "http://proxy/v1/responses", headers: ["authorization": "Bearer gsk_raw-key"],
            body: Body(string: #"{"model":"llama-3.3-70b-versatile","input":"hi groq","stream":true}"#))
        let response = try await worker.fetch(
            request, env: env, ctx: ExecutionContext(requestID: "t", tracker: BackgroundWork()))
        let transcript = try await response.body.text(upTo: 1 << 20)
        #expect(response.status == 200, "\(transcript)")
        let sent = try #require(mock.log.all.last)
        #expect(sent.path == "/openai/v1/chat/completions")
        let body = try JSONValue(parsing: sent.body)
        #expect(body["stream_options"] == nil && body["messages"] != nil && body["input"] == nil)
        #expect(transcript.contains("event: response.completed"))
        #expect(transcript.contains("Mock reply to: hi groq"))
    }
}
