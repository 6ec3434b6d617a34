import AIProxy
import EdgeRuntime
import Testing

@Suite struct CachePolicyTests {
    func policy(_ headers: Headers = [:], body: String? = nil, always: Bool = false) throws -> CachePolicy {
        let json = try body.map { try JSONValue(parsing: $0) }
        return try CachePolicy.evaluate(headers: headers, body: json, alwaysCacheable: always, defaultTTL: 604_800)
    }

    @Test func autoCachesOnlyDeterministicRequests() throws {
        #expect(try policy(body: #"{"temperature":0}"#).read)
        #expect(try policy(body: #"{"temperature":0.0,"seed":null}"#).write)
        #expect(try policy(body: #"{"seed":42,"temperature":1}"#).read)
        #expect(try policy(body: #"{"temperature":0.7}"#) == .bypass)
        #expect(try policy(body: #"{}"#) == .bypass)
        #expect(try policy(body: #"{"input":"x"}"#, always: true).read, "embeddings and moderations always cache")
    }

    @Test func modesAlwaysAndNever() throws {
        #expect(try policy(["x-bt-use-cache": "always"], body: #"{"temperature":1}"#).write)
        #expect(try policy(["x-bt-use-cache": "NEVER"], body: #"{"temperature":0}"#) == .bypass)
        #expect(try policy(["x-bt-use-cache": "never"], body: "{}", always: true) == .bypass)
    }

    @Test func recordWritesLikeAlwaysAndOnlyReadsWithoutWriting() throws {
        let record = try policy(["x-bt-use-cache": "record"], body: #"{"temperature":1}"#)
        #expect(record.read && record.write && !record.cacheOnly)
        let only = try policy(["x-bt-use-cache": "only"], body: #"{"temperature":1}"#)
        #expect(only.read && !only.write && only.cacheOnly)
        let maxAgeZero = try policy(["x-bt-use-cache": "only", "cache-control": "max-age=0"], body: "{}")
        #expect(maxAgeZero.cacheOnly && maxAgeZero.maxAge == 0, "still only: a miss, never upstream")
        #expect {
            _ = try policy(["x-bt-use-cache": "only", "cache-control": "no-cache"], body: "{}")
        } throws: { ($0 as? ProxyError)?.status == 400 }
    }

    @Test func defaultModeAppliesOnlyWithoutTheHeader() throws {
        let body = JSONValue.object([("temperature", 1)])
        let replay = try CachePolicy.evaluate(
            headers: [:], body: body, alwaysCacheable: false, defaultTTL: 60, defaultMode: .only)
        #expect(replay.cacheOnly)
        let overridden = try CachePolicy.evaluate(
            headers: ["x-bt-use-cache": "never"], body: body, alwaysCacheable: false, defaultTTL: 60, defaultMode: .only)
        #expect(overridden == .bypass)
    }

    @Test func cacheControlNarrowsReadAndWrite() throws {
        let noCache = try policy(["cache-control": "no-cache"], body: #"{"seed":1}"#)
        #expect(!noCache.read && noCache.write)
        let noStore = try policy(["cache-control": "no-store"], body: #"{"seed":1}"#)
        #expect(noStore.read && !noStore.write)
        let maxAge = try policy(["cache-control": "max-age=30"], body: #"{"seed":1}"#)
        #expect(maxAge.read && maxAge.maxAge == 30)
        #expect(try !policy(["cache-control": "max-age=0"], body: #"{"seed":1}"#).read)
    }

    @Test func ttlHeaderIsBoundedAndDefaultIsCapped() throws {
        #expect(try policy(["x-bt-cache-ttl": "60"], body: #"{"seed":1}"#).ttl == 60)
        #expect(try CachePolicy.evaluate(headers: [:], body: .object([("seed", 1)]), alwaysCacheable: false, defaultTTL: 10_000_000).ttl == 604_800)
    }

    @Test(arguments: [
        ("x-bt-use-cache", "sometimes"), ("x-bt-cache-ttl", "0"), ("x-bt-cache-ttl", "604801"), ("x-bt-cache-ttl", "abc"),
        ("x-bt-cache-ttl", "-5"), ("cache-control", "max-age=soon"),
    ])
    func badHeadersAre400(name: String, value: String) {
        #expect {
            _ = try policy([name: value], body: #"{"seed":1}"#)
        } throws: { error in
            (error as? ProxyError)?.status == 400
        }
    }
}
