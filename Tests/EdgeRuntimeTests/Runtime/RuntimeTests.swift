import EdgeRuntime
import Testing

@Suite struct RuntimeTests {
    /// The responder reaches the server only weakly: a stopped runtime frees its server, its
    /// per-loop contexts and the worker (a reference cycle once leaked all three; LeakSanitizer).
    @Test func aStoppedRuntimeFreesItsServer() async throws {
        weak var server: HTTPServer?
        do {
            let harness = try await ServerHarness.start { _, _, _ in .text("ok") }
            server = harness.runtime.server
            let client = try harness.client()
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "ok")
            await harness.stop()
        }
        #expect(server == nil)
    }
}
