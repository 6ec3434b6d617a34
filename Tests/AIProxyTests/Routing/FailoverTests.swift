import AIProxy
import EdgeRuntime
import Testing

@Suite struct FailoverTests {
    let call = ProxyCall(operation: .chatCompletions, method: .post, path: "/chat/completions", rawBody: Array(#"{"model":"gpt-4o"}"#.utf8))

    @Test func skipsADeadAndA500ingEndpointAndReturnsTheHealthyOne() async throws {
        let fetcher = ScriptedFetchClient([
            "dead": [.failure(FetchError(code: .connectFailed, message: "refused"))],
            "broken": [.response(status: 500, body: #"{"error":{"message":"boom"}}"#)],
            "good": [.response(status: 200, body: "ok")],
        ])
        let failover = Failover(fetcher: fetcher)
        let (endpoint, response) = try await failover.send(call, to: [.test("dead"), .test("broken"), .test("good")])
        #expect(endpoint.name == "good")
        #expect(response.status == 200)
        #expect(try await response.body.text(upTo: 100) == "ok")
        #expect(fetcher.hosts == ["dead", "broken", "good"])
        #expect(fetcher.requests.last?.headers["authorization"] == "Bearer secret-good")
    }

    @Test func a400IsReturnedWithoutFailover() async throws {
        let fetcher = ScriptedFetchClient(["a": [.response(status: 400, body: "bad")], "b": [.response(status: 200, body: "ok")]])
        let (endpoint, response) = try await Failover(fetcher: fetcher).send(call, to: [.test("a"), .test("b")])
        #expect(endpoint.name == "a")
        #expect(response.status == 400)
        #expect(fetcher.hosts == ["a"])
    }

    @Test func allFailingWithHTTPErrorsReturnsTheLastErrorUnchanged() async throws {
        let fetcher = ScriptedFetchClient(["a": [.response(status: 503, body: "a down")], "b": [.response(status: 429, body: "b busy")]])
        let (_, response) = try await Failover(fetcher: fetcher).send(call, to: [.test("a"), .test("b")])
        #expect(response.status == 429)
        #expect(try await response.body.text(upTo: 100) == "b busy")
    }

    @Test func nobodyAnsweringIs502AndATimeoutIs504() async throws {
        let refused = ScriptedFetchClient(["a": [.failure(FetchError(code: .connectFailed, message: "refused"))]])
        await #expect(throws: ProxyError.upstreamUnreachable("a: connectFailed (refused)")) {
            try await Failover(fetcher: refused).send(call, to: [.test("a")])
        }
        let hanging = ScriptedFetchClient(["a": [.hang]])
        await #expect(throws: ProxyError.upstreamTimeout) {
            try await Failover(fetcher: hanging, headTimeout: .milliseconds(50)).send(call, to: [.test("a")])
        }
    }

    @Test func shortRetryAfterOnTheLastCandidateIsHonouredOnce() async throws {
        let fetcher = ScriptedFetchClient([
            "a": [.response(status: 429, headers: ["retry-after": "0"], body: "slow down"), .response(status: 200, body: "ok")]
        ])
        let (_, response) = try await Failover(fetcher: fetcher).send(call, to: [.test("a")])
        #expect(response.status == 200)
        #expect(fetcher.hosts == ["a", "a"])

        let long = ScriptedFetchClient(["a": [.response(status: 429, headers: ["retry-after": "30"], body: "later")]])
        let (_, later) = try await Failover(fetcher: long).send(call, to: [.test("a")])
        #expect(later.status == 429)
        #expect(long.hosts == ["a"])
    }
}
