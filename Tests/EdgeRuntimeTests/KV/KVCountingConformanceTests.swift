import EdgeRuntime
import Foundation
import Testing

/// Counters on every backend: concurrent increments all count, and listing finds them.
@Suite struct KVCountingConformanceTests {
    typealias Backend = KVNamespaceConformanceTests.Backend

    @Test(arguments: Backend.allCases)
    func concurrentIncrementsAllCount(_ backend: Backend) async throws {
        let kv = try #require(try backend.make(clock: ManualWallClock()) as? any KVCounting)
        #expect(try await kv.counters("usage:a") == [:])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await kv.increment(
                        "usage:a", by: [("requests", 1), ("tokens", Int64(index))], expirationTTL: .seconds(3600))
                }
            }
            try await group.waitForAll()
        }
        try await kv.increment("usage:b", by: [("requests", 2)], expirationTTL: nil)
        try await kv.increment("other", by: [("requests", 1)], expirationTTL: nil)
        #expect(try await kv.counters("usage:a") == ["requests": 50, "tokens": 49 * 50 / 2])
        #expect(try await kv.counterKeys(prefix: "usage:") == ["usage:a", "usage:b"])
    }
}
