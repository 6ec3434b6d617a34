@testable import EdgeRuntime
import Synchronization
import Testing

@Suite struct HTTPServerStreamingTests {
    @Test func firstChunkArrivesWhileTheWorkerHoldsBackTheSecond() async throws {
        let release = Gate()
        let server = try await ServerHarness.start { _, _, _ in
            let (body, writer) = Body.makeStream()
            Task {
                try await writer.write("first;")
                await release.wait()
                try await writer.write("second;")
                writer.finish()
            }
            return Response(status: 200, headers: ["content-type": "text/event-stream"], body: body)
        }
        let client = try server.client()
        try await client.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try await client.read(until: "\r\n\r\n")
        #expect(head.contains("transfer-encoding: chunked"))
        let first = try await client.read(until: "first;\r\n")
        #expect(first.hasSuffix("first;\r\n"))
        // Only now may the worker produce the second chunk: had the server buffered, we'd never get here.
        #expect(!release.isOpen)
        release.open()
        let rest = try await client.read(until: "0\r\n\r\n")
        #expect(rest.contains("second;"))
        await server.stop()
    }

    @Test func aWriterBodyRunsOnTheConnectionsLoopAndStreams() async throws {
        let release = Gate()
        let onLoop = LockedValue<[Bool]>([])
        let server = try await ServerHarness.start { _, _, _ in
            Response(status: 200, body: Body { output in
                onLoop.withLock { $0.append(EventLoop.current != nil) }
                try await output.write(Array("first;".utf8))
                await release.wait()
                try await output.write(Array("second;".utf8))
                onLoop.withLock { $0.append(EventLoop.current != nil) }
            })
        }
        let client = try server.client()
        try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await client.read(until: "first;\r\n").contains("transfer-encoding: chunked"))
        #expect(!release.isOpen, "the first chunk went out while the writer still held the second")
        release.open()
        #expect(try await client.read(until: "0\r\n\r\n").contains("second;"))
        #expect(onLoop.withLock { $0 } == [true, true], "the connection ran the writer on its own loop, no task of its own")
        await server.stop()
    }

    @Test func aWritersOutputFailsOnceTheClientIsGone() async throws {
        let ended = Gate()
        let failure = LockedValue<String?>(nil)
        let server = try await ServerHarness.start { _, _, _ in
            Response(status: 200, body: Body { output in
                do {
                    while true {
                        try await output.write([UInt8](repeating: 0x61, count: 512))
                        try await Task.sleep(for: .milliseconds(5))
                    }
                } catch {
                    failure.withLock { $0 = "\(type(of: error))" }
                    ended.open()
                    throw error
                }
            })
        }
        do {
            let client = try server.client()
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.read(until: "aaaa")
        }  // the client closes its socket here
        await ended.wait()
        #expect(failure.withLock { $0 } == "CancellationError")
        #expect(await eventually { server.runtime.server.openConnections == 0 })
        await server.stop()
    }

    @Test func aWriterBodyReadAsASequenceYieldsItsChunks() async throws {
        let body = Body { output in
            for word in ["a", "b", "c"] { try await output.write(Array(word.utf8)) }
        }
        #expect(try await body.text(upTo: 100) == "abc")
    }

    @Test func bodyFailureAfterTheHeadStillDeliversWhatWasProducedThenCloses() async throws {
        struct Broken: Error {}
        let server = try await ServerHarness.start { _, _, _ in
            let (body, writer) = Body.makeStream()
            // All of it is produced before the loop flushes anything: nothing produced may be lost.
            try await writer.write("part one;")
            try await writer.write("part two;")
            writer.finish(throwing: Broken())
            return Response(status: 200, body: body)
        }
        let client = try server.client()
        try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        let received = try await client.read(until: "part two;\r\n")
        #expect(received.hasPrefix("HTTP/1.1 200"))
        #expect(try await client.isClosedByPeer(), "the message ends without its last chunk: the connection closes")
        await server.stop()
    }

    @Test func clientDisconnectMidStreamCancelsTheWorker() async throws {
        let produced = Counter()
        let stopped = Gate()
        let taskCancelled = Gate()
        let server = try await ServerHarness.start { _, _, _ in
            let (body, writer) = Body.makeStream(bufferLimit: 1024)
            Task {
                do {
                    while true {
                        try await writer.write([UInt8](repeating: 0x61, count: 512))
                        produced.add()
                        try await Task.sleep(for: .milliseconds(5))
                    }
                } catch {
                    stopped.open()
                }
            }
            writer.onCancel { taskCancelled.open() }
            return Response(status: 200, body: body)
        }
        do {
            let client = try server.client()
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.read(until: "aaaa")
        }  // client closes its socket here
        await stopped.wait()
        let wasCancelled = taskCancelled.isOpen
        #expect(wasCancelled)
        #expect(await eventually { server.runtime.server.openConnections == 0 })
        let before = produced.value
        try await Task.sleep(for: .milliseconds(50))
        let after = produced.value
        #expect(after == before, "the producer stopped")
        await server.stop()
    }

    @Test func disconnectCancelsTheWorkersOwnTask() async throws {
        let sawCancellation = Gate()
        let entered = Gate()
        let server = try await ServerHarness.start { _, _, _ in
            entered.open()
            // A worker awaiting something slow (an upstream) when the client leaves.
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                sawCancellation.open()
                throw error
            }
            return .text("late")
        }
        do {
            let client = try server.client()
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            await entered.wait()
        }
        await sawCancellation.wait()
        #expect(sawCancellation.isOpen)
        await server.stop()
    }

    @Test func slowClientDoesNotMakeTheServerBufferTheWholeReply() async throws {
        let producedBytes = Counter()
        let finished = Gate()
        let total = 256 * 1024 * 1024
        let server = try await ServerHarness.start(configure: {
            $0.writeHighWaterMark = 64 * 1024
            $0.drainTimeout = .milliseconds(100)
        }) { _, _, _ in
            let (body, writer) = Body.makeStream(bufferLimit: 64 * 1024)
            Task {
                let chunk = [UInt8](repeating: 0x62, count: 64 * 1024)
                do {
                    while producedBytes.value < total {
                        try await writer.write(chunk)
                        producedBytes.add(chunk.count)
                    }
                    writer.finish()
                } catch {}
                finished.open()
            }
            return Response(status: 200, body: body)
        }
        let client = try server.client()
        try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = try await client.read(until: "\r\n\r\n")
        // The client reads nothing more. Production must stall at socket buffers + high-water marks.
        var last = -1
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(20))
            let now = producedBytes.value
            if now == last { break }
            last = now
        }
        let stalledAt = producedBytes.value
        #expect(stalledAt < 32 * 1024 * 1024, "produced \(stalledAt) bytes for a client that reads nothing")
        #expect(!finished.isOpen)
        // Reading resumes production.
        _ = try await client.readRaw(atLeast: 8 * 1024 * 1024)
        #expect(await eventually { producedBytes.value > stalledAt })
        await server.stop()
    }
}
