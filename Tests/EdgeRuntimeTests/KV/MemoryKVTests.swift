import EdgeRuntime
import Testing

@Suite struct MemoryKVTests {
    @Test func leastRecentlyUsedEntryIsEvictedFirst() async throws {
        let kv = MemoryKV(maxEntries: 3)
        try await kv.put("a", [1])
        try await kv.put("b", [2])
        try await kv.put("c", [3])
        _ = try await kv.get("a")  // a is now more recent than b
        try await kv.put("d", [4])
        #expect(try await kv.get("b") == nil)
        #expect(try await kv.get("a") == [1])
        #expect(try await kv.get("d") == [4])
    }

    @Test func byteBoundHolds() async throws {
        let kv = MemoryKV(maxEntries: 1000, maxBytes: 1000)
        for i in 0..<20 { try await kv.put("k\(i)", [UInt8](repeating: 0, count: 100)) }
        let kept = try await kv.list(prefix: "").keys.count
        #expect(kept <= 10)
        #expect(try await kv.get("k19") != nil, "the newest entry is kept")
        await #expect(throws: KVError.self) { try await kv.put("huge", [UInt8](repeating: 0, count: 2000)) }
    }
}
