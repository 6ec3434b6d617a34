import AIProxy
import EdgeRuntime
import MockUpstream
import Testing

/// Identical cacheable calls in flight at once go upstream once: in one instance (followers get
/// the leader's reply live) and across instances sharing a cache and a limits binding (followers
/// answer from the leader's entry).
@Suite struct CoalescingTests {
    /// `instances` workers in front of one mock, sharing the CACHE and CONTROL KVs and, when
    /// `fleet`, a LIMITS binding (coordination).
    struct Fleet {
        let workers: [ProxyWorker]
        let envs: [Env]
        let mock = MockOpenAIWorker()
        let background = BackgroundWork()

        let registry = MetricsRegistry()

        init(instances: Int = 1, fleet: Bool = false) throws {
            let (cache, control, limits) = (MemoryKV(), MemoryKV(), MemoryLimits())
            var bindings: [String: Binding] = [
                "CACHE": .kv(cache), "CONTROL": .kv(control), "OPENAI_BASE_URL": .text("http://mock/v1"),
            ]
            if fleet { bindings["LIMITS"] = .limits(limits) }
            let env = Env(bindings: bindings, fetcher: InProcessFetchClient(routes: ["mock": mock]))
            envs = Array(repeating: env, count: instances)
            let registry = self.registry
            workers = try (0..<instances).map { _ in
                try ProxyWorker(
                    env: env, logger: Logger(label: "test", level: .error), metrics: ProxyMetrics(registry: registry))
            }
        }

        func behave(_ json: String) async throws {
            let control = Request(method: .post, url: "http://mock/__mock/behavior", body: Body(string: json))
            _ = try await mock.fetch(control, env: envs[0], ctx: ExecutionContext(requestID: "c", tracker: background))
        }

        /// `count` identical calls at once, spread over the instances: (status, x-bt-coalesced, body) each.
        func calls(_ count: Int, body: String, headers: Headers = [:], key: String = "sk-raw-key") async throws
            -> [(status: Int, role: String?, body: String)]
        {
            try await withThrowingTaskGroup(of: (Int, String?, String).self) { group in
                for index in 0..<count {
                    let worker = workers[index % workers.count]
                    let env = envs[index % envs.count]
                    var all = headers
                    all["authorization"] = "Bearer \(key)"
                    let request = Request(
                        method: .post, url: "http://proxy/v1/chat/completions", headers: all, body: Body(string: body))
                    group.addTask {
                        let response = try await worker.fetch(
                            request, env: env, ctx: ExecutionContext(requestID: "r\(index)", tracker: background))
                        return (
                            response.status, response.headers["x-bt-coalesced"],
                            try await response.body.text(upTo: 1 << 20)
                        )
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
    }

    static let plain = #"{"model":"gpt-4o","messages":[{"role":"user","content":"same question"}],"temperature":0}"#
    static let stream =
        #"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"same stream"}],"seed":1}"#

    @Test func identicalPlainCallsInFlightGoUpstreamOnce() async throws {
        let setup = try Fleet()
        try await setup.behave(#"{"latency_ms":1000}"#)  // all 30 arrive while the first is upstream
        let replies = try await setup.calls(30, body: Self.plain)
        #expect(setup.mock.log.all.count == 1)
        #expect(replies.allSatisfy { $0.status == 200 && $0.body == replies[0].body })
        #expect(replies.filter { $0.role == "leader" }.count == 1)
        #expect(replies.filter { $0.role == "follower" }.count == 29)
        await setup.background.idle()
        let metrics = setup.registry.render()
        #expect(metrics.contains(#"aiproxy_coalesced_calls_total{role="follower"} 29"#))
        #expect(metrics.contains(#"aiproxy_coalesced_calls_total{role="leader"} 1"#))
    }

    @Test func identicalStreamsGoUpstreamOnceAndLateJoinersGetTheWholeStream() async throws {
        let setup = try Fleet()
        try await setup.behave(#"{"chunk_delay_ms":40}"#)  // the stream is still running as the others join
        let replies = try await setup.calls(30, body: Self.stream, headers: ["x-bt-coalesce": "auto"])
        #expect(setup.mock.log.all.count == 1)
        #expect(replies[0].body.hasSuffix("data: [DONE]\n\n"))
        #expect(replies.allSatisfy { $0.body == replies[0].body })
    }

    @Test func aLeadersErrorReachesItsFollowersOnceAndIsNotCached() async throws {
        let setup = try Fleet()
        try await setup.behave(#"{"latency_ms":1000,"fail_status":400}"#)
        let replies = try await setup.calls(20, body: Self.plain)
        #expect(replies.allSatisfy { $0.status == 400 && $0.body.contains("mock failure 400") })
        #expect(setup.mock.log.all.count == 1)
        try await setup.behave("{}")
        let retried = try await setup.calls(1, body: Self.plain)
        #expect(retried[0].status == 200 && setup.mock.log.all.count == 2, "the error was not cached")
    }

    @Test func optedOutCallsAndOtherKeysAreNotCoalesced() async throws {
        let setup = try Fleet()
        try await setup.behave(#"{"latency_ms":200}"#)
        let replies = try await setup.calls(
            5, body: Self.plain, headers: ["x-bt-coalesce": "never", "x-bt-use-cache": "never"])
        #expect(setup.mock.log.all.count == 5)
        #expect(replies.allSatisfy { $0.role == nil })
        async let first = setup.calls(3, body: Self.plain, key: "sk-key-one")
        async let second = setup.calls(3, body: Self.plain, key: "sk-key-two")
        _ = try await (first, second)
        #expect(setup.mock.log.all.count == 7, "one upstream call per scope")
    }

    @Test(arguments: [plain, stream])
    func instancesSharingACoordinationBindingCoalesceAcrossTheFleet(body: String) async throws {
        let setup = try Fleet(instances: 3, fleet: true)
        try await setup.behave(#"{"latency_ms":1000}"#)
        let replies = try await setup.calls(30, body: body)
        #expect(setup.mock.log.all.count == 1)
        #expect(replies.allSatisfy { $0.status == 200 && $0.body == replies[0].body })
        #expect(replies.filter { $0.role == "leader" }.count == 1)
    }
}
