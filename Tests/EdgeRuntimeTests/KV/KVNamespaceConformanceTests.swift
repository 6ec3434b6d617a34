import EdgeRuntime
import Foundation
import Testing

/// One suite, every backend: what any `KVNamespace` must do (STYLE §6).
@Suite struct KVNamespaceConformanceTests {
    enum Backend: String, CaseIterable, CustomStringConvertible, Sendable {
        case memory, file, redis
        var description: String { rawValue }

        func make(clock: ManualWallClock) throws -> any KVNamespace {
            switch self {
            case .memory: return MemoryKV(clock: clock)
            case .file:
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kv-\(UUID().uuidString)").path
                return try FileKV(directory: directory, clock: clock)
            case .redis:
                // A real redis-server on loopback; each test gets its own key prefix.
                guard let server = RedisServer.shared else { throw KVError(code: .backend, message: "redis-server did not start") }
                return RedisKV(url: try RedisURL(server.url), group: RedisServer.loops, prefix: "test-\(UUID().uuidString):", clock: clock)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func getPutOverwriteDelete(_ backend: Backend) async throws {
        let kv = try backend.make(clock: ManualWallClock())
        #expect(try await kv.get("missing") == nil)
        try await kv.put("k", Array("one".utf8))
        #expect(try await kv.get("k") == Array("one".utf8))
        try await kv.put("k", Array("two".utf8), expirationTTL: nil, metadata: #"{"v":2}"#)
        #expect(try await kv.getWithMetadata("k") == KVEntry(value: Array("two".utf8), metadata: #"{"v":2}"#))
        try await kv.delete("k")
        #expect(try await kv.get("k") == nil)
        try await kv.delete("k")  // deleting what isn't there succeeds
    }

    @Test(arguments: Backend.allCases)
    func entriesExpireAfterTheirTTL(_ backend: Backend) async throws {
        let clock = ManualWallClock()
        let kv = try backend.make(clock: clock)
        try await kv.put("short", [1], expirationTTL: .seconds(60))
        try await kv.put("forever", [2])
        clock.advance(by: 59)
        #expect(try await kv.get("short") == [1])
        #expect(try await kv.list(prefix: "").keys.map(\.name) == ["forever", "short"])
        #expect(try await kv.list(prefix: "short").keys.first?.expiration == clock.now() + 1)
        clock.advance(by: 2)
        #expect(try await kv.get("short") == nil)
        #expect(try await kv.list(prefix: "").keys.map(\.name) == ["forever"])
        #expect(try await kv.get("forever") == [2])
    }

    @Test(arguments: Backend.allCases)
    func listFiltersByPrefixAndPagesWithCursors(_ backend: Backend) async throws {
        let kv = try backend.make(clock: ManualWallClock())
        let names = (0..<25).map { String(format: "user/%02d", $0) } + ["other/1", "user"]
        for name in names.shuffled() { try await kv.put(name, Array(name.utf8)) }
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await kv.list(prefix: "user/", limit: 10, cursor: cursor)
            seen += page.keys.map(\.name)
            cursor = page.cursor
            pages += 1
            #expect(page.listComplete == (cursor == nil))
        } while cursor != nil
        #expect(pages == 3)
        #expect(seen == (0..<25).map { String(format: "user/%02d", $0) }, "every key once, in order")
        #expect(try await kv.list(prefix: "", limit: 1000).keys.count == 27)
    }

    @Test(arguments: Backend.allCases)
    func valuesAreBinarySafeAndLarge(_ backend: Backend) async throws {
        let kv = try backend.make(clock: ManualWallClock())
        let binary = (0...255).map(UInt8.init) + [0, 0, 0]
        try await kv.put("binary", binary)
        #expect(try await kv.get("binary") == binary)
        let big = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try await kv.put("big", big)
        #expect(try await kv.get("big") == big)
        try await kv.put("empty", [])
        #expect(try await kv.get("empty") == [])
    }

    @Test(arguments: Backend.allCases)
    func anyKeyTextWorksAndBadKeysAreRefused(_ backend: Backend) async throws {
        let kv = try backend.make(clock: ManualWallClock())
        let keys = ["a/b/c", "../../etc/passwd", "spaces in key", "ünïcødé 🔑", ".hidden", String(repeating: "x", count: 512), "nul\u{0}inside"]
        for key in keys { try await kv.put(key, Array(key.utf8)) }
        for key in keys { #expect(try await kv.get(key) == Array(key.utf8), "\(key.prefix(20))") }
        #expect(Set(try await kv.list(prefix: "").keys.map(\.name)) == Set(keys))
        for bad in ["", String(repeating: "y", count: 513)] {
            await #expect { try await kv.put(bad, [1]) } throws: { ($0 as? KVError)?.code == .invalidKey }
        }
        await #expect { try await kv.put("k", [1], expirationTTL: .seconds(0)) } throws: { ($0 as? KVError)?.code == .invalidArgument }
    }

    @Test(arguments: Backend.allCases)
    func canonicallyEquivalentKeysStayDistinct(_ backend: Backend) async throws {
        let kv = try backend.make(clock: ManualWallClock())
        let composed = "caf\u{E9}"  // NFC
        let decomposed = "cafe\u{301}"  // NFD: equal as Swift Strings, different bytes
        try await kv.put(composed, [1])
        try await kv.put(decomposed, [2])
        #expect(try await kv.get(composed) == [1])
        #expect(try await kv.get(decomposed) == [2])
        #expect(try await kv.list(prefix: "caf").keys.count == 2)
        #expect(try await kv.list(prefix: "cafe").keys.map { Array($0.name.utf8) } == [Array(decomposed.utf8)], "prefixes match bytes")
        try await kv.delete(composed)
        #expect(try await kv.get(decomposed) == [2])
    }

    @Test(arguments: Backend.allCases)
    func concurrentWritersToOneKeyLeaveOneWholeValue(_ backend: Backend) async throws {
        let kv = try backend.make(clock: ManualWallClock())
        let values = (0..<16).map { [UInt8](repeating: UInt8($0), count: 64 * 1024) }
        await withThrowingTaskGroup(of: Void.self) { group in
            for value in values { group.addTask { try await kv.put("contended", value) } }
        }
        let final = try #require(try await kv.get("contended"))
        #expect(values.contains(final), "the value is exactly one writer's, never a mix")
    }
}
