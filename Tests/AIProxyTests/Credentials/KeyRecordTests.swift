import EdgeRuntime
import Testing

@testable import AIProxy

@Suite struct KeyRecordTests {
    @Test func changesApplyAndTheRecordRoundTripsThroughItsJSON() throws {
        let base = KeyRecord(id: "abc", name: "ci", orgs: ["acme"], createdAt: 1_800_000_000)
        let changed = try base.applying(
            [
                "rpm_limit": 60, "max_parallel_requests": 2, "models": ["gpt-4o"],
                "allowed_routes": ["/v1/chat/completions"],
                "tags": ["team-a"], "metadata": ["owner": "ops"], "expires": "2027-01-01T00:00:00Z", "blocked": true,
            ], now: 1_800_000_000)
        #expect(changed.limits.rpmLimit == 60)
        #expect(changed.limits.maxParallelRequests == 2)
        #expect(changed.models == ["gpt-4o"])
        #expect(changed.allowedRoutes == ["/v1/chat/completions"])
        #expect(changed.expires == 1_798_761_600)
        #expect(changed.blocked)
        #expect(changed.json["key_id"] == "abc")
        #expect(changed.json["expires"] == "2027-01-01T00:00:00Z")
        // What is stored reads back the same.
        let stored = try JSONValue(parsing: changed.json.serialized)
        let reread = try #require(try? base.applying([:], now: 0))  // the base itself applies cleanly
        #expect(reread == base)
        #expect(try changed.applying(["rpm_limit": nil, "expires": nil], now: 0).limits.rpmLimit == nil)
        #expect(stored["rpm_limit"] == 60)
    }

    @Test(arguments: [
        #"{"rpm_limit": 0}"#, #"{"rpm_limit": "ten"}"#, #"{"max_parallel_requests": -1}"#, #"{"expires": "tomorrow"}"#,
        #"{"models": "gpt-4o"}"#, #"{"allowed_routes": ["chat"]}"#, #"{"metadata": [1]}"#, #"{"spend_limit": 5}"#,
        #"{"ttl": 0}"#, #"{"tpm_limit": 0}"#, #"{"max_budget": -1}"#, #"{"soft_budget": "5"}"#,
        #"{"budget_duration": "2w"}"#, #"{"budget_duration": "2mo"}"#, #"{"budget_duration": "0d"}"#,
    ])
    func badChangesNameTheirField(json: String) throws {
        let base = KeyRecord(id: "abc", name: "ci", orgs: ["acme"], createdAt: 0)
        let changes = try JSONValue(parsing: json)
        let field = try #require(changes.objectValue?.first?.0)
        do {
            _ = try base.applying(changes, now: 0)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.message.contains(field))
        }
    }

    @Test func ttlSetsTheExpiryFromNow() throws {
        let record = try KeyRecord(id: "abc", name: "", orgs: ["acme"], createdAt: 0).applying(["ttl": 3600], now: 1000)
        #expect(record.expires == 4600)
    }

    @Test func budgetsKeepMicroDollarsExactlyAndTheirWindow() throws {
        let base = KeyRecord(id: "k", name: "n", orgs: ["o"], createdAt: 0)
        let changed = try base.applying(
            [
                "max_budget": .number("5.25"), "soft_budget": .number("0.000001"), "budget_duration": "1mo",
                "tpm_limit": 1000,
            ],
            now: 0)
        #expect(changed.limits.maxBudget == 5_250_000)
        #expect(changed.limits.softBudget == 1)
        #expect(changed.limits.budgetDuration?.window == nil, "1mo: the calendar month")
        #expect(changed.json["max_budget"]?.serializedString == "5.25")
        #expect(changed.json["soft_budget"]?.serializedString == "0.000001")
        #expect(changed.json["budget_duration"] == "1mo")
        #expect(KeyRecord(json: changed.json) == changed, "what is stored reads back the same")
        #expect(BudgetDuration("30d")?.window == .seconds(30 * 86_400))
        #expect(BudgetDuration("15m")?.window == .seconds(900))
    }
}
