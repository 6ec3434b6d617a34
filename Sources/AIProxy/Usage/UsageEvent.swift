public import EdgeRuntime

/// One call, as the usage log records it: who, what, how it ended, tokens and cost — never a
/// prompt, a reply or a secret.
public struct UsageEvent: Sendable, Equatable {
    public var requestID: String
    /// Unix seconds.
    public var time: Double
    public var keyID: String?
    public var org: String?
    public var endpoint: String?
    public var provider: String?
    public var model: String?
    public var route: String
    public var status: Int
    /// OpenAI's error `type` for a refused or failed call.
    public var errorType: String?
    public var stream: Bool
    /// `HIT`, `MISS`, or `nil` when the cache was not consulted.
    public var cache: String?
    /// `leader` or `follower` for a coalesced call (`x-bt-coalesced`).
    public var coalesced: String?
    public var usage: TokenUsage?
    /// micro-USD at the catalog's prices; 0 for a cache hit or a coalesced follower.
    public var costMicroUSD: Int64?
    /// Whether the key's spend had passed its soft budget (`x-bt-soft-budget-exceeded`).
    public var softBudgetExceeded = false
    /// What a cache hit saved, in micro-USD.
    public var savedMicroUSD: Int64?
    /// Whether the reply ran to its end.
    public var complete: Bool
    public var latencyMilliseconds: Double
    /// From the call's arrival to the first byte of the reply's body.
    public var timeToFirstByteMilliseconds: Double?
    /// From the call's arrival to the reply's head (the upstream's, or the proxy's own answer).
    public var headMilliseconds: Double?

    /// One JSON line.
    public var json: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func count(_ value: Int?) -> JSONValue { value.map { JSONValue.number($0) } ?? .null }
        func milliseconds(_ value: Double?) -> JSONValue {
            value.map { JSONValue.number(($0 * 1000).rounded() / 1000) } ?? .null
        }
        func usd(_ micro: Int64?) -> JSONValue { micro.map(MicroUSD.json) ?? .null }
        var members: [(String, JSONValue)] = []
        members.append(("request_id", .string(requestID)))
        members.append(("time", .string(KeyRecord.timestamp(time))))
        members.append(("key_id", text(keyID)))
        members.append(("org", text(org)))
        members.append(("endpoint", text(endpoint)))
        members.append(("provider", text(provider)))
        members.append(("model", text(model)))
        members.append(("route", .string(route)))
        members.append(("status", .number(status)))
        members.append(("error_type", text(errorType)))
        members.append(("stream", .bool(stream)))
        members.append(("cache", text(cache)))
        members.append(("coalesced", text(coalesced)))
        members.append(("complete", .bool(complete)))
        members.append(("input_tokens", count(usage?.input)))
        members.append(("output_tokens", count(usage?.output)))
        members.append(("cached_tokens", count(usage?.cachedInput)))
        members.append(("cache_write_tokens", count(usage?.cacheWrite)))
        members.append(("cost_usd", usd(costMicroUSD)))
        members.append(("saved_usd", usd(savedMicroUSD)))
        members.append(("soft_budget_exceeded", .bool(softBudgetExceeded)))
        members.append(("latency_ms", milliseconds(latencyMilliseconds)))
        members.append(("ttfb_ms", milliseconds(timeToFirstByteMilliseconds)))
        members.append(("head_ms", milliseconds(headMilliseconds)))
        return .object(members)
    }
}
