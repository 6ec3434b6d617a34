import AIProxy
import EdgeRuntime
import Foundation
import Synchronization
import Testing

/// Claude through the whole proxy in-process: OpenAI request in, Messages API out to a mock that
/// validates it, OpenAI response (and stream) back, cached like any other.
@Suite struct AnthropicProxyTests {
    /// A minimal Anthropic: refuses requests a real one would refuse, answers in its wire format.
    static func mock(calls: Counter) -> ClosureWorker {
        ClosureWorker { request, _, _ in
            calls.add()
            let body = try JSONValue(parsing: try await request.body.collect(upTo: 1 << 20))
            let roles = body["messages"]?.arrayValue?.compactMap { $0["role"]?.stringValue } ?? []
            let alternates = !roles.isEmpty && roles.first == "user" && zip(roles, roles.dropFirst()).allSatisfy { $0 != $1 }
            guard request.headers["x-api-key"] == "sk-ant-key", request.headers["anthropic-version"] != nil,
                body["max_tokens"]?.intValue != nil, alternates
            else {
                return .json(bytes: Array(#"{"type":"error","error":{"type":"invalid_request_error","message":"malformed request"}}"#.utf8), status: 400)
            }
            if body["stream"]?.boolValue == true {
                let wire = try Data(contentsOf: AnthropicAdapterTests.fixtures.appendingPathComponent("tool_use.stream.sse"))
                return Response(status: 200, headers: ["content-type": "text/event-stream"], body: Body(bytes: Array(wire)))
            }
            let reply = #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-3-5-sonnet-latest","content":[{"type":"text","text":"Hello from Claude"}],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":4}}"#
            return .json(bytes: Array(reply.utf8))
        }
    }

    static func proxy(calls: Counter) throws -> (ProxyWorker, Env, BackgroundWork) {
        let env = Env(
            bindings: ["CACHE": .kv(MemoryKV()), "ANTHROPIC_BASE_URL": .text("http://mock-anthropic/v1")],
            fetcher: InProcessFetchClient(routes: ["mock-anthropic": mock(calls: calls)]))
        return (try ProxyWorker(env: env, logger: Logger(label: "test", level: .error)), env, BackgroundWork())
    }

    static func send(_ worker: ProxyWorker, _ env: Env, _ background: BackgroundWork, _ body: String) async throws -> Response {
        let request = Request(method: .post, url: "http://proxy/v1/chat/completions", headers: ["authorization": "Bearer sk-ant-key"], body: Body(string: body))
        return try await worker.fetch(request, env: env, ctx: ExecutionContext(requestID: "t", tracker: background))
    }

    @Test func plainCallIsTranslatedBothWaysAndCached() async throws {
        let calls = Counter()
        let (worker, env, background) = try Self.proxy(calls: calls)
        let body = #"{"model":"claude-3-5-sonnet-latest","seed":1,"messages":[{"role":"system","content":"s"},{"role":"user","content":"hi"}]}"#
        let first = try await Self.send(worker, env, background, body)
        #expect(first.status == 200)
        let json = try JSONValue(parsing: try await first.body.collect(upTo: 1 << 20))
        #expect(json["object"] == "chat.completion")
        #expect(json["choices"]?.arrayValue?.first?["message"]?["content"] == "Hello from Claude")
        await background.idle()
        let second = try await Self.send(worker, env, background, body)
        #expect(second.headers["x-bt-cached"] == "HIT")
        #expect(calls.value == 1)
    }

    @Test func streamingCallAssemblesAndReplaysFromTheCache() async throws {
        let calls = Counter()
        let (worker, env, background) = try Self.proxy(calls: calls)
        let body = #"{"model":"claude-3-5-sonnet-latest","stream":true,"seed":2,"messages":[{"role":"user","content":"weather?"}]}"#
        let first = try await Self.send(worker, env, background, body)
        let transcript = try await first.body.text(upTo: 1 << 20)
        #expect(transcript.contains(#""object":"chat.completion.chunk""#))
        #expect(transcript.hasSuffix("data: [DONE]\n\n"))
        await background.idle()
        let replay = try await Self.send(worker, env, background, body)
        #expect(replay.headers["x-bt-cached"] == "HIT")
        #expect(try await replay.body.text(upTo: 1 << 20) == transcript)
        #expect(calls.value == 1)
    }

    @Test func upstreamErrorComesBackInOpenAIShape() async throws {
        let calls = Counter()
        let (worker, env, background) = try Self.proxy(calls: calls)
        // An assistant turn first: Anthropic would refuse it, and the mock does.
        let response = try await Self.send(worker, env, background, #"{"model":"claude-3-5-sonnet-latest","messages":[{"role":"assistant","content":"x"}]}"#)
        #expect(response.status == 400)
        let json = try JSONValue(parsing: try await response.body.collect(upTo: 1 << 16))
        #expect(json["error"]?["message"] == "malformed request")
    }
}

/// A counter shared with a mock worker.
final class Counter: Sendable {
    private let storage = Atomic<Int>(0)
    var value: Int { storage.load(ordering: .relaxed) }
    func add() { storage.add(1, ordering: .relaxed) }
}
