import Foundation
import Testing

@testable import EdgeRuntime

/// Scripts run by `EVALSHA` are loaded once and loaded again when Redis forgets them.
@Suite struct RedisScriptTests {
    @Test func aScriptRedisForgotIsLoadedAgain() async throws {
        let server = try #require(RedisServer.shared)
        let client = RedisClient(
            url: try RedisURL(server.url), group: RedisServer.loops, logger: Logger(label: "t", level: .error))
        let kv = RedisKV(client: client, prefix: "script-test-\(UUID().uuidString):")
        try await kv.increment("c", by: [("n", 1)], expirationTTL: nil)
        #expect(client.loadedScripts.withLock { $0["kv-increment"] } != nil)
        _ = try await client.run([Array("SCRIPT".utf8), Array("FLUSH".utf8)], timeout: .seconds(2))
        try await kv.increment("c", by: [("n", 2)], expirationTTL: nil)
        #expect(try await kv.counters("c") == ["n": 3])
    }
}
