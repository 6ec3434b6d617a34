import Foundation
import Testing

/// The real binary: SIGTERM drains in-flight streams and exits 0; bad configuration exits 1.
@Suite(.serialized) struct AIProxyProcessTests {
    @Test func sigtermLetsAnInFlightStreamFinishRefusesNewConnectionsAndExitsZero() async throws {
        let harness = ProcessHarness()
        try await harness.start()
        // Each chunk takes 150 ms: the stream is still running when the signal arrives.
        try await harness.setMockBehavior(#"{"chunk_delay_ms":150}"#)
        let stream = Process()
        stream.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        stream.arguments = [
            "-sN", harness.url("/v1/chat/completions"), "-H", "authorization: Bearer sk-test", "-H", "content-type: application/json",
            "-d", #"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"one two three four five six"}]}"#,
        ]
        let pipe = Pipe()
        stream.standardOutput = pipe
        try stream.run()
        // Wait for the first event, then signal.
        let firstEvent = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            DispatchQueue.global().async {
                var seen = ""
                while !seen.contains("data: ") {
                    let data = pipe.fileHandleForReading.availableData
                    if data.isEmpty { break }
                    seen += String(decoding: data, as: UTF8.self)
                }
                continuation.resume(returning: seen)
            }
        }
        #expect(firstEvent.contains("data: "))
        kill(harness.proxy.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(100))
        let refused = try await harness.curl(["-s", "-o", "/dev/null", harness.url("/healthz")])
        #expect(refused.status == 7, "a new connection is refused while draining (curl exit 7)")

        let rest = await ProcessHarness.readAll(pipe)
        await ProcessHarness.wait(stream)
        #expect((firstEvent + rest).contains("data: [DONE]"), "the in-flight stream finished")
        #expect((firstEvent + rest).contains("six"))
        await ProcessHarness.wait(harness.proxy)
        #expect(harness.proxy.terminationReason == .exit)
        #expect(harness.proxy.terminationStatus == 0)
        await harness.stop()
    }

    /// Signals are watched before the port opens: a SIGTERM sent the moment `/healthz` answers
    /// drains and exits 0 (it was once lost about one time in thirty, and the proxy served on).
    @Test func sigtermAsSoonAsTheProxyAnswersIsNotLost() async throws {
        for _ in 0..<3 {
            let harness = ProcessHarness()
            try await harness.start()
            kill(harness.proxy.processIdentifier, SIGTERM)
            var exited = false
            for _ in 0..<1000 where !exited {
                try await Task.sleep(for: .milliseconds(10))
                exited = !harness.proxy.isRunning
            }
            #expect(exited, "the proxy exits within 10 s of SIGTERM")
            if !exited { kill(harness.proxy.processIdentifier, SIGKILL) }  // don't hang the run
            await ProcessHarness.wait(harness.proxy)
            #expect(harness.proxy.terminationReason == .exit)
            #expect(harness.proxy.terminationStatus == 0)
            await harness.stop()
        }
    }

    @Test func configurationErrorNamesFileLineAndKeyAndExitsOne() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aiproxy-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("wrangler.toml").path
        try "[dev]\nport = 8787\nprot = 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessHarness.binary)
        process.arguments = ["--config", path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = await ProcessHarness.readAll(errors)
        await ProcessHarness.wait(process)
        #expect(process.terminationStatus == 1)
        #expect(message.contains("wrangler.toml:3"))
        #expect(message.contains("prot"))
        try? FileManager.default.removeItem(at: directory)
    }
}
