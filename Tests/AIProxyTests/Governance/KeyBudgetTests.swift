import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// Token and spend limits in-process: reserve a worst-case estimate at admission, settle to the
/// reply's usage when it ends (the mock's usage: its words; gpt-4o at $2.50/$10 per million).
@Suite struct KeyBudgetTests {
    /// 13 input tokens by the estimate (3 strings, 2 objects), 10 output: 133 micro-USD reserved;
    /// the mock reports 1 in and 4 out ("Mock reply to: hello"): 43 micro-USD charged.
    static let small = #"{"model":"gpt-4o","max_tokens":10,"messages":[{"role":"user","content":"hello"}]}"#

    static func spend(_ setup: KeyGovernanceTests.Setup, keyID: String) async throws -> Int {
        let record = try #require(try await setup.store.key(id: keyID))
        return try await setup.limits.used(KeySpend.budgetRule(for: .key(record)))
    }

    @Test func aBudgetAdmitsWhileTheEstimateFitsAndChargesWhatWasUsed() async throws {
        let setup = try await KeyGovernanceTests.setUp()
        let (token, record) = try await setup.store.createKey(
            name: "b", orgs: ["acme"], changes: ["max_budget": .number("0.0005"), "budget_duration": "1d"])
        var admitted = 0
        var refusal: Response?
        for _ in 0..<20 {
            let response = try await setup.call(token, body: Self.small)
            if response.status == 200 {
                admitted += 1
                _ = try await response.body.collect(upTo: 1 << 16)
                await setup.background.idle()  // settled after the reply
            } else {
                refusal = response
                break
            }
        }
        // 43 × k + 133 ≤ 500 while k ≤ 8: the ninth call is the last admitted.
        #expect(admitted == 9)
        let refused = try #require(refusal)
        #expect(refused.status == 429)
        #expect(refused.headers["x-should-retry"] == "false")
        let body = try JSONValue(parsing: try await refused.body.collect(upTo: 1 << 16))
        #expect(body["error"]?["code"]?.stringValue == "insufficient_quota")
        #expect(body["error"]?["type"]?.stringValue == "insufficient_quota")
        #expect(try await Self.spend(setup, keyID: record.id) == 9 * 43)
        let events = try await setup.usage.events(10)
        let costs = events.compactMap { $0["cost_usd"]?.doubleValue }.map { Int(($0 * 1_000_000).rounded()) }
        #expect(costs.reduce(0, +) == 9 * 43, "the events add up to the spend")
        #expect(
            events.last?["status"]?.intValue == 429 && events.last?["error_type"]?.stringValue == "insufficient_quota")
        #expect(setup.mock.log.all.count == 9, "the refused call never reached upstream")
        // The next day (windows align to 00:00 UTC) the budget starts over.
        setup.clock.advance(by: 86_400)
        #expect(try await setup.call(token, body: Self.small).status == 200)
    }

    @Test func concurrentCallsNeverSpendPastTheBudget() async throws {
        let setup = try await KeyGovernanceTests.setUp()
        let (token, record) = try await setup.store.createKey(
            name: "b", orgs: ["acme"], changes: ["max_budget": .number("0.0005")])
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    let response = try await setup.call(token, body: Self.small)
                    _ = try await response.body.collect(upTo: 1 << 16)
                    return response.status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        await setup.background.idle()
        let admitted = statuses.filter { $0 == 200 }.count
        #expect(statuses.allSatisfy { $0 == 200 || $0 == 429 })
        #expect(admitted >= 3, "at least the calls whose reservations fit at once")
        let spent = try await Self.spend(setup, keyID: record.id)
        #expect(spent == admitted * 43)
        #expect(spent <= 500)
    }

    @Test func tokensPerMinuteReserveTheEstimateAndCountWhatWasUsed() async throws {
        let setup = try await KeyGovernanceTests.setUp()
        let token = try await setup.key(["tpm_limit": 40])
        // 13 + 10 reserved; 1 + 4 used.
        let first = try await setup.call(token, body: Self.small)
        #expect(first.status == 200)
        #expect(first.headers["x-ratelimit-limit-tokens"] == "40")
        #expect(first.headers["x-ratelimit-remaining-tokens"] == "17")
        _ = try await first.body.collect(upTo: 1 << 16)
        await setup.background.idle()
        let second = try await setup.call(token, body: Self.small)
        #expect(second.headers["x-ratelimit-remaining-tokens"] == "12", "40 − 5 used − 23 reserved")
        _ = try await second.body.collect(upTo: 1 << 16)
        await setup.background.idle()
        // A call that may use more than the minute has left is refused as a rate limit.
        let big = #"{"model":"gpt-4o","max_tokens":100,"messages":[{"role":"user","content":"hello"}]}"#
        let refused = try await setup.call(token, body: big)
        #expect(refused.status == 429)
        #expect(refused.headers["x-should-retry"] == nil)
        #expect(try await KeyGovernanceTests.errorCode(refused) == "rate_limit_exceeded")
        #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 >= 1)
        setup.clock.advance(by: 60)
        #expect(try await setup.call(token, body: Self.small).status == 200, "a new minute")
    }

    @Test func pastTheSoftBudgetRepliesAreFlaggedNotRefused() async throws {
        let setup = try await KeyGovernanceTests.setUp()
        let token = try await setup.key(["soft_budget": .number("0.0001")])
        var flags: [String?] = []
        for _ in 0..<4 {
            let response = try await setup.call(token, body: Self.small)
            #expect(response.status == 200)
            flags.append(response.headers["x-bt-soft-budget-exceeded"])
            _ = try await response.body.collect(upTo: 1 << 16)
            await setup.background.idle()
        }
        // 0, 43, 86 spent before calls 1-3 (under 100), 129 before the fourth.
        #expect(flags == [nil, nil, nil, "true"])
        let events = try await setup.usage.events(4)
        #expect(events.map { $0["soft_budget_exceeded"]?.boolValue } == [false, false, false, true])
    }

    @Test func aCancelledStreamIsChargedItsInputAndWhatWasSent() async throws {
        let setup = try await KeyGovernanceTests.setUp()
        let (token, record) = try await setup.store.createKey(name: "s", orgs: ["acme"], changes: ["max_budget": 1])
        try await setup.behave(#"{"chunk_delay_ms":30}"#)
        let words = Array(repeating: "word", count: 40).joined(separator: " ")
        let body =
            #"{"model":"gpt-4o","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"\#(words)"}]}"#
        let response = try await setup.call(token, body: body)
        #expect(response.status == 200)
        var received = 0
        for try await chunk in response.body {
            received += chunk.count
            if received > 600 { break }  // the client leaves mid-stream
        }
        // Reserved: 1,153 (61 in, 100 out); settled once the relay sees the client gone.
        #expect(await eventually { ((try? await Self.spend(setup, keyID: record.id)) ?? 0) < 1000 })
        let charged = try await Self.spend(setup, keyID: record.id)
        // Input estimate: 40 × "word" (200 bytes → 50) + model + role + 2 objects ≈ 61 tokens
        // at $2.50/M ≈ 153 micro-USD; output: a few words at $10/M. Not the 100-token reservation.
        // The whole reply would be 40 in and 43 out by the mock's count (530).
        #expect(charged > 150 && charged < 400, "charged \(charged)")
    }
}
