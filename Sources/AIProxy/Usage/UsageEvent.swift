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

    /// One JSON object, as the access log and the admin events log hold it.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(Self.fieldCount)
        forEachMember { members.append((String(describing: $0), $1)) }
        return .object(members)
    }

    /// The same object serialized (``json``'s compact bytes), written field by field with no
    /// intermediate object: this runs once per call.
    public var line: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(640)
        out.append(UInt8(ascii: "{"))
        var first = true
        forEachMember { name, value in
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            value.write(to: &out, sortKeys: false)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static let fieldCount = 25

    /// Every field, in the log's order, by its JSON name (plain ASCII: written without escaping).
    private func forEachMember(_ body: (StaticString, JSONValue) -> Void) {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func count(_ value: Int?) -> JSONValue { value.map { JSONValue.number($0) } ?? .null }
        func milliseconds(_ value: Double?) -> JSONValue {
            guard let value else { return .null }
            // To the microsecond, in exact digits (`JSONValue.number(Double)` for what an Int64
            // of microseconds can't hold).
            let micro = (value * 1000).rounded()
            guard micro.isFinite, abs(micro) < 9e15 else { return .number(micro / 1000) }
            return .decimal(Int64(micro), scale: 3)
        }
        func usd(_ micro: Int64?) -> JSONValue { micro.map(MicroUSD.json) ?? .null }
        body("request_id", .string(requestID))
        body("time", .string(KeyRecord.timestamp(time)))
        body("key_id", text(keyID))
        body("org", text(org))
        body("endpoint", text(endpoint))
        body("provider", text(provider))
        body("model", text(model))
        body("route", .string(route))
        body("status", .number(status))
        body("error_type", text(errorType))
        body("stream", .bool(stream))
        body("cache", text(cache))
        body("coalesced", text(coalesced))
        body("complete", .bool(complete))
        body("input_tokens", count(usage?.input))
        body("output_tokens", count(usage?.output))
        body("cached_tokens", count(usage?.cachedInput))
        body("cache_write_tokens", count(usage?.cacheWrite))
        body("cost_usd", usd(costMicroUSD))
        body("saved_usd", usd(savedMicroUSD))
        body("soft_budget_exceeded", .bool(softBudgetExceeded))
        body("latency_ms", milliseconds(latencyMilliseconds))
        body("ttfb_ms", milliseconds(timeToFirstByteMilliseconds))
        body("head_ms", milliseconds(headMilliseconds))
    }
}
