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
        var members = JSONMemberList()
        write(to: &members)
        return .object(members.members)
    }

    /// The same object serialized (``json``'s compact bytes), written field by field with no
    /// intermediate object: this runs once per call.
    public var line: [UInt8] {
        var writer = JSONObjectWriter(reservingCapacity: 640)
        write(to: &writer)
        return writer.finished()
    }

    /// Every field, in the log's order, by its JSON name.
    private func write(to sink: inout some JSONObjectSink) {
        func milliseconds(_ name: StaticString, _ value: Double?) {
            // To the microsecond, in exact digits (`JSONValue.number(Double)` for what an Int64
            // of microseconds can't hold).
            let micro = value.map { ($0 * 1000).rounded() }
            if let micro, !micro.isFinite || abs(micro) >= 9e15 { return sink.add(name, .number(micro / 1000)) }
            sink.add(name, units: micro.map { Int64($0) }, scale: 3, minimumFractionDigits: 0)
        }
        // USD, exact to the micro-dollar (as `MicroUSD.json`).
        func usd(_ name: StaticString, _ micro: Int64?) {
            sink.add(name, units: micro, scale: MicroUSD.scale, minimumFractionDigits: MicroUSD.minimumFractionDigits)
        }
        sink.add("request_id", requestID)
        sink.add("time", KeyRecord.timestamp(time))
        sink.add("key_id", keyID)
        sink.add("org", org)
        sink.add("endpoint", endpoint)
        sink.add("provider", provider)
        sink.add("model", model)
        sink.add("route", route)
        sink.add("status", status)
        sink.add("error_type", errorType)
        sink.add("stream", stream)
        sink.add("cache", cache)
        sink.add("coalesced", coalesced)
        sink.add("complete", complete)
        sink.add("input_tokens", usage?.input)
        sink.add("output_tokens", usage?.output)
        sink.add("cached_tokens", usage?.cachedInput)
        sink.add("cache_write_tokens", usage?.cacheWrite)
        usd("cost_usd", costMicroUSD)
        usd("saved_usd", savedMicroUSD)
        sink.add("soft_budget_exceeded", softBudgetExceeded)
        milliseconds("latency_ms", latencyMilliseconds)
        milliseconds("ttfb_ms", timeToFirstByteMilliseconds)
        milliseconds("head_ms", headMilliseconds)
    }
}
