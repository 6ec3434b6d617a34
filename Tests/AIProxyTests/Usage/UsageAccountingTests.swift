import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// One usage event per call, with tokens and cost from every kind of reply; the usage chunk the
/// proxy asks upstreams for reaches only clients that asked for it.
@Suite struct UsageAccountingTests {
    struct Setup {
        let worker: ProxyWorker
        let env: Env
        let mock: MockOpenAIWorker
        let log: UsageLogFile
        let background = BackgroundWork()

        func call(_ body: String, headers: Headers = [:]) async throws -> (Response, String) {
            var all: Headers = ["authorization": "Bearer sk-raw-key", "x-bt-use-cache": "never"]
            for field in headers { all[field.name] = field.value }
            let request = Request(
                method: .post, url: "http://proxy/v1/chat/completions", headers: all, body: Body(string: body))
            let response = try await worker.fetch(
                request, env: env, ctx: ExecutionContext(requestID: UUID().uuidString, tracker: background))
            return (response, try await response.body.text(upTo: 1 << 20))
        }

        func events(_ count: Int) async throws -> [JSONValue] { try await log.events(count) }
    }

    static func setUp() throws -> Setup {
        let mock = MockOpenAIWorker()
        let log = UsageLogFile()
        let env = Env(
            bindings: ["OPENAI_BASE_URL": .text("http://mock/v1"), "USAGE_LOG": .text(log.path)],
            fetcher: InProcessFetchClient(routes: ["mock": mock]))
        return Setup(
            worker: try ProxyWorker(env: env, logger: Logger(label: "test", level: .error)), env: env, mock: mock,
            log: log)
    }

    static let plain = #"{"model":"gpt-4o","messages":[{"role":"user","content":"count these words please"}]}"#
    static let streamed =
        #"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"count these words please"}]}"#

    @Test func streamedAndPlainCallsOfTheSameReplyCostTheSame() async throws {
        let setup = try Self.setUp()
        let (plain, _) = try await setup.call(Self.plain)
        #expect(plain.status == 200)
        let (stream, transcript) = try await setup.call(Self.streamed)
        #expect(stream.status == 200)
        #expect(!transcript.contains(#""usage":{"#), "the client didn't ask for the usage chunk")
        // The proxy asked the upstream for it all the same.
        let sent = try JSONValue(parsing: try #require(setup.mock.log.all.last).body)
        #expect(sent["stream_options"]?["include_usage"] == true)
        let events = try await setup.events(2)
        #expect(events.count == 2)
        for field in ["input_tokens", "output_tokens", "cost_usd"] {
            #expect(events[0][field] != nil && events[0][field] != .null, "\(field)")
            #expect(events[0][field] == events[1][field], "\(field): plain and streamed agree")
        }
        #expect(events[0]["stream"] == false && events[1]["stream"] == true)
        #expect(events[1]["complete"] == true)
        #expect(events[0]["key_id"] == .null, "a provider's own key has no key id")
        #expect(events[0]["route"] == "/v1/chat/completions")
        let cost = try #require(events[0]["cost_usd"]?.doubleValue)
        #expect(cost > 0)
    }

    @Test func aClientThatAsksForTheUsageChunkStillGetsIt() async throws {
        let setup = try Self.setUp()
        let body =
            #"{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi there"}]}"#
        let (_, transcript) = try await setup.call(body)
        #expect(transcript.contains(#""usage":{"#))
        let events = try await setup.events(1)
        #expect(events.first?["output_tokens"]?.intValue ?? 0 > 0)
    }

    @Test func eventsHoldNoPromptReplyOrSecret() async throws {
        let setup = try Self.setUp()
        _ = try await setup.call(Self.plain)
        #expect(try await setup.events(1).count == 1)
        let text = try String(contentsOfFile: setup.log.path, encoding: .utf8)
        #expect(!text.contains("count these words"))
        #expect(!text.contains("sk-raw-key"))
        #expect(!text.contains("Mock reply"))
    }
}
