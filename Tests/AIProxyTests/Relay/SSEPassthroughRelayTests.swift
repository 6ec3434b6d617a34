import AIProxy
import EdgeRuntime
import Foundation
import Testing

/// An OpenAI-format upstream's stream reaches the client byte for byte (whitespace, field order
/// and CRLFs as the upstream wrote them): scanned for event boundaries, never re-encoded.
@Suite struct SSEPassthroughRelayTests {
    static func worker(answer: ScriptedFetchClient.Answer) throws -> (ProxyWorker, Env) {
        let upstream = ScriptedFetchClient(["openai.test": [answer]])
        let env = Env(
            bindings: ["CACHE": .kv(MemoryKV()), "OPENAI_BASE_URL": .text("http://openai.test/v1")], fetcher: upstream)
        return (try ProxyWorker(env: env, logger: Logger(label: "test", level: .error)), env)
    }

    static func call(_ worker: ProxyWorker, env: Env, background: BackgroundWork) async throws -> String {
        let request = Request(
            method: .post, url: "http://proxy/v1/chat/completions", headers: ["authorization": "Bearer sk-raw"],
            body: Body(string: #"{"model":"gpt-4o","stream":true,"seed":1,"messages":[{"role":"user","content":"hi"}]}"#))
        let response = try await worker.fetch(request, env: env, ctx: ExecutionContext(requestID: "t", tracker: background))
        #expect(response.status == 200)
        return try await response.body.text(upTo: 1 << 20)
    }

    @Test func eventsArriveExactlyAsTheUpstreamWroteThem() async throws {
        let wire = "data: {\"id\" : \"x\",   \"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\r\n\r\n"
            + ": keep-alive\n\n" + "data:{\"id\":\"x\",\"choices\":[]}\n\n" + "data: [DONE]\n\n"
        let (worker, env) = try Self.worker(answer: .response(status: 200, headers: ["content-type": "text/event-stream"], body: wire))
        let background = BackgroundWork()
        #expect(try await Self.call(worker, env: env, background: background) == wire)
    }

    @Test func aStreamCutMidEventEndsWithOneErrorEventAfterTheLastWholeOne() async throws {
        // The upstream's body ends inside an event and then fails: the half event is not sent.
        struct Cut: Error {}
        let stream = Body { output in
            try await output.write(Array("data: {\"n\":1}\n\ndata: {\"n\"".utf8))
            throw Cut()
        }
        let upstream = UpstreamStub(response: Response(status: 200, headers: ["content-type": "text/event-stream"], body: stream))
        let env = Env(bindings: ["CACHE": .kv(MemoryKV()), "OPENAI_BASE_URL": .text("http://openai.test/v1")], fetcher: upstream)
        let worker = try ProxyWorker(env: env, logger: Logger(label: "test", level: .error))
        let background = BackgroundWork()
        let text = try await Self.call(worker, env: env, background: background)
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.count == 2)
        #expect(events[0] == "data: {\"n\":1}")
        #expect(events[1].contains("\"code\":\"upstream_stream_error\""))
        await background.idle()
        let cache = try #require(try env.kv("CACHE"))
        #expect(try await cache.list(prefix: "").keys.isEmpty, "a cut stream is never cached")
    }
}

/// A fetch client that answers every request with one response.
struct UpstreamStub: FetchClient {
    let response: Response
    func fetch(_ request: Request) async throws -> Response { response }
}
