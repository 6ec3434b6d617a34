import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// A proxy key's own rules, end to end in-process: expiry and blocks (401), allow-lists (403),
/// request rate, parallel requests and tokens per minute (429 with OpenAI's headers), budgets
/// (429 `insufficient_quota`) — none of which reach upstream.
@Suite struct KeyGovernanceTests {
    struct Setup {
        let worker: ProxyWorker
        let env: Env
        let store: ControlStore
        let mock: MockOpenAIWorker
        let clock: ManualWallClock
        let limits: MemoryLimits
        let control: MemoryKV
        let usage: UsageLogFile
        let background = BackgroundWork()

        func call(_ token: String, path: String = "/v1/chat/completions", body: String = KeyGovernanceTests.chat)
            async throws -> Response
        {
            let request = Request(
                method: .post, url: "http://proxy\(path)", headers: ["authorization": "Bearer \(token)"],
                body: Body(string: body))
            return try await worker.fetch(
                request, env: env, ctx: ExecutionContext(requestID: UUID().uuidString, tracker: background))
        }

        func key(_ changes: JSONValue) async throws -> String {
            try await store.createKey(name: "test", orgs: ["acme"], changes: changes).token
        }

        func behave(_ json: String) async throws {
            let control = Request(method: .post, url: "http://mock/__mock/behavior", body: Body(string: json))
            _ = try await mock.fetch(control, env: env, ctx: ExecutionContext(requestID: "c", tracker: background))
        }
    }

    static let chat = #"{"model":"gpt-4o","messages":[{"role":"user","content":"hello"}]}"#

    static func setUp() async throws -> Setup {
        let clock = ManualWallClock()
        let control = MemoryKV(clock: clock)
        let mock = MockOpenAIWorker()
        let limits = MemoryLimits(clock: clock)
        let usage = UsageLogFile()
        let env = Env(
            bindings: [
                "CONTROL": .kv(control), "AIPROXY_MASTER_KEY": .secret("governance-test-master-key"),
                "LIMITS": .limits(limits),
                "USAGE_LOG": .text(usage.path),
            ],
            fetcher: InProcessFetchClient(routes: ["mock": mock]))
        let store = try ControlStore(kv: control, masterKey: "governance-test-master-key", clock: clock)
        try await store.addEndpoint(
            Endpoint(name: "main", kind: .openai, baseURL: "http://mock/v1", secret: "sk-upstream"), org: "acme")
        let worker = try ProxyWorker(env: env, clock: clock, logger: Logger(label: "test", level: .error))
        return Setup(
            worker: worker, env: env, store: store, mock: mock, clock: clock, limits: limits, control: control,
            usage: usage)
    }

    static func errorCode(_ response: Response) async throws -> String? {
        try JSONValue(parsing: try await response.body.collect(upTo: 1 << 16))["error"]?["code"]?.stringValue
    }

    @Test func theRequestRateAdmitsItsLimitThenRefusesWithOpenAIsHeaders() async throws {
        let setup = try await Self.setUp()
        let token = try await setup.key(["rpm_limit": 2])
        for remaining in ["1", "0"] {
            let response = try await setup.call(token)
            #expect(response.status == 200)
            #expect(response.headers["x-ratelimit-limit-requests"] == "2")
            #expect(response.headers["x-ratelimit-remaining-requests"] == remaining)
        }
        let refused = try await setup.call(token)
        #expect(refused.status == 429)
        #expect(refused.headers["x-ratelimit-remaining-requests"] == "0")
        #expect(refused.headers["x-ratelimit-reset-requests"]?.hasSuffix("s") == true)
        #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 >= 1)
        #expect(try await Self.errorCode(refused) == "rate_limit_exceeded")
        #expect(setup.mock.log.all.count == 2, "the refused call never reached upstream")
        // A minute later the key has its allowance again.
        setup.clock.advance(by: 61)
        #expect(try await setup.call(token).status == 200)
    }

    @Test func aStreamHoldsItsParallelPlaceUntilItEnds() async throws {
        let setup = try await Self.setUp()
        let token = try await setup.key(["max_parallel_requests": 1])
        try await setup.behave(#"{"chunk_delay_ms":20}"#)
        let stream = try await setup.call(
            token, body: #"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"one two three"}]}"#)
        #expect(stream.status == 200)
        let second = try await setup.call(token)
        #expect(second.status == 429)
        #expect(try await Self.errorCode(second) == "concurrency_limit_exceeded")
        _ = try await stream.body.collect(upTo: 1 << 20)  // the stream runs to its end: its place frees
        #expect(await eventually { (try? await setup.call(token).status) == 200 })
    }

    @Test func expiredAndBlockedKeysAre401ForEveryRoute() async throws {
        let setup = try await Self.setUp()
        let expiring = try await setup.key(["ttl": 60])
        #expect(try await setup.call(expiring).status == 200)
        setup.clock.advance(by: 120)
        for path in ["/v1/chat/completions", "/v1/models"] {
            let response = try await setup.call(expiring, path: path)
            #expect(response.status == 401)
            #expect(try await Self.errorCode(response) == "key_expired")
        }
        let (token, record) = try await setup.store.createKey(name: "b", orgs: ["acme"])
        _ = try await setup.store.updateKey(id: record.id, changes: ["blocked": true])
        let blocked = try await setup.call(token)
        #expect(blocked.status == 401)
        #expect(try await Self.errorCode(blocked) == "key_blocked")
    }

    @Test func modelsAndRoutesOutsideTheAllowListsAre403() async throws {
        let setup = try await Self.setUp()
        let token = try await setup.key(["models": ["gpt-4o-mini"], "allowed_routes": ["/v1/chat/completions"]])
        let model = try await setup.call(token)  // gpt-4o
        #expect(model.status == 403)
        #expect(try await Self.errorCode(model) == "model_not_allowed")
        let route = try await setup.call(token, path: "/v1/embeddings", body: #"{"model":"gpt-4o-mini","input":"x"}"#)
        #expect(route.status == 403)
        #expect(try await Self.errorCode(route) == "route_not_allowed")
        #expect(
            try await setup.call(token, body: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#)
                .status == 200)
        #expect(setup.mock.log.all.count == 1)
    }

    @Test func anOrgsLimitsHoldAcrossItsKeysAsWellAsEachKeys() async throws {
        let setup = try await Self.setUp()
        _ = try await setup.store.updateOrg("acme", changes: ["rpm_limit": 3])
        let first = try await setup.key([:])
        let second = try await setup.key(["rpm_limit": 1])
        #expect(try await setup.call(first).status == 200)
        #expect(try await setup.call(second).status == 200)
        let keyLimited = try await setup.call(second)
        #expect(keyLimited.status == 429, "the key's own limit")
        let message = try JSONValue(parsing: try await keyLimited.body.collect(upTo: 1 << 16))["error"]?["message"]?
            .stringValue
        #expect(message?.contains("for this key:") == true)
        #expect(try await setup.call(first).status == 200, "the org's third")
        let orgLimited = try await setup.call(first)
        #expect(orgLimited.status == 429)
        let orgMessage = try JSONValue(parsing: try await orgLimited.body.collect(upTo: 1 << 16))["error"]?["message"]?
            .stringValue
        #expect(orgMessage?.contains("organization") == true)
        #expect(setup.mock.log.all.count == 3)
        // Cleared, the org is unlimited again (once the credential cache lets the old limits go).
        _ = try await setup.store.updateOrg("acme", changes: ["rpm_limit": nil])
        #expect(try await setup.store.orgLimits(org: "acme").isEmpty)
        setup.clock.advance(by: 61)
        #expect(try await setup.call(first).status == 200)
    }
}

/// Polls `condition` every 10 ms for up to `seconds`.
func eventually(within seconds: Double = 5, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
