@testable import AIProxy
import Testing

/// The access log's line is written field by field; it must be exactly the event's JSON object.
@Suite struct UsageEventTests {
    @Test func theLineIsTheSerializedObject() throws {
        var full = UsageEvent(
            requestID: "req-1", time: 1_764_000_000.25, keyID: "key\"1", org: "acme", route: "/v1/chat/completions",
            status: 200, stream: true, complete: true, latencyMilliseconds: 12.3456)
        full.endpoint = "main"
        full.provider = "anthropic"
        full.model = "claude-3-5-sonnet-latest\n"
        full.cache = "MISS"
        full.coalesced = "leader"
        full.usage = TokenUsage(input: 10, output: 20)
        full.costMicroUSD = 1_500
        full.savedMicroUSD = 0
        full.softBudgetExceeded = true
        full.timeToFirstByteMilliseconds = 3
        full.headMilliseconds = 2.0004
        let minimal = UsageEvent(
            requestID: "req-2", time: 0, keyID: nil, org: nil, route: "/v1/embeddings", status: 429, stream: false,
            complete: false, latencyMilliseconds: 0)
        for event in [full, minimal] {
            #expect(event.line == event.json.serialized)
            let parsed = try JSONValue(parsing: event.line)
            #expect(parsed["request_id"]?.stringValue == event.requestID)
        }
        #expect(String(decoding: full.line, as: UTF8.self).contains(#""coalesced":"leader""#))
    }
}
