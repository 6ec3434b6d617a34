import EdgeRuntime
import Testing

@Suite struct RedisURLTests {
    @Test func credentialsArePercentDecodedOnceAndNeverPrinted() throws {
        let url = try RedisURL("redis://us%40er:p%40ss%2Fw%2541rd@cache.internal:6380/2")
        #expect(url.host == "cache.internal")
        #expect(url.port == 6380)
        #expect(url.database == 2)
        #expect(url.user == "us@er")
        #expect(url.password == "p@ss/w%41rd", "%2541 is a literal %41, not A")
        #expect(url.description == "redis://cache.internal:6380/2")
    }

    @Test func defaultsAndBadURLs() throws {
        let url = try RedisURL("redis://127.0.0.1")
        #expect(url.port == 6379 && url.database == 0 && url.user == nil && url.password == nil)
        #expect(throws: KVError.self) { try RedisURL("http://127.0.0.1:6379/0") }
        #expect(throws: KVError.self) { try RedisURL("redis://127.0.0.1:6379/zero") }
    }
}
