import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// `LIMITS_ON_STORE_FAILURE` when the limits store can't answer (the fleet test kills a real
/// Redis for `refuse`; this covers both settings in-process with a store that always fails).
@Suite struct LimitsStoreFailureTests {
    /// A limits store that is down: every call fails as a dead Redis's would.
    struct UnreachableLimits: LimitsNamespace {
        func admit(_ rules: [LimitRule], holder: String) async throws -> LimitDecision { throw Self.down }
        func release(_ rules: [LimitRule], holder: String) async throws { throw Self.down }
        func renew(_ rules: [LimitRule], holder: String) async throws { throw Self.down }
        func settle(_ settlements: [QuotaSettlement], holder: String) async throws { throw Self.down }
        func used(_ rule: LimitRule) async throws -> Int { throw Self.down }
        static let down = LimitsError(message: "redis: connection refused")
    }

    static func statuses(onFailure: String?) async throws -> (limited: Int, free: Int, upstreamCalls: Int) {
        let control = MemoryKV()
        let mock = MockOpenAIWorker()
        var bindings: [String: Binding] = [
            "CONTROL": .kv(control), "AIPROXY_MASTER_KEY": .secret("store-failure-test"),
            "LIMITS": .limits(UnreachableLimits()),
        ]
        if let onFailure { bindings["LIMITS_ON_STORE_FAILURE"] = .text(onFailure) }
        let env = Env(bindings: bindings, fetcher: InProcessFetchClient(routes: ["mock": mock]))
        let store = try ControlStore(kv: control, masterKey: "store-failure-test")
        try await store.addEndpoint(
            Endpoint(name: "main", kind: .openai, baseURL: "http://mock/v1", secret: "sk-up"), org: "acme")
        let limited = try await store.createKey(name: "l", orgs: ["acme"], changes: ["rpm_limit": 10]).token
        let free = try await store.createKey(name: "f", orgs: ["acme"]).token
        let registry = MetricsRegistry()
        let worker = try ProxyWorker(
            env: env, logger: Logger(label: "test", level: .error), metrics: ProxyMetrics(registry: registry))
        func call(_ token: String) async throws -> Int {
            let request = Request(
                method: .post, url: "http://proxy/v1/chat/completions", headers: ["authorization": "Bearer \(token)"],
                body: Body(string: KeyGovernanceTests.chat))
            let response = try await worker.fetch(
                request, env: env, ctx: ExecutionContext(requestID: UUID().uuidString, tracker: BackgroundWork()))
            _ = try await response.body.collect(upTo: 1 << 20)
            return response.status
        }
        let result = (try await call(limited), try await call(free), mock.log.all.count)
        let decision = onFailure == "admit" ? "admitted" : "refused"
        #expect(
            registry.render().contains("aiproxy_limits_store_failures_total{decision=\"\(decision)\"} 1\n"),
            "never silent")
        return result
    }

    @Test func refuseIsTheDefaultForKeysWithLimitsOnly() async throws {
        let result = try await Self.statuses(onFailure: nil)
        #expect(result.limited == 503)
        #expect(result.free == 200)
        #expect(result.upstreamCalls == 1)
    }

    @Test func admitLetsKeysWithLimitsThrough() async throws {
        let result = try await Self.statuses(onFailure: "admit")
        #expect(result.limited == 200)
        #expect(result.free == 200)
    }
}
