import EdgeRuntime
import Foundation
import Testing

@Suite struct CurlFetchClientTests {
    static func client(_ configure: (inout FetchConfiguration) -> Void = { _ in }) -> (CurlFetchClient, EventLoopGroup)
    {
        var configuration = FetchConfiguration()
        configure(&configuration)
        let group = EventLoopGroup(threadCount: 1, name: "fetch-test")
        return (CurlFetchClient(group: group, configuration: configuration), group)
    }

    @Test func statusHeadersAndBodyPassThrough() async throws {
        let upstream = try await ServerHarness.start { request, _, _ in
            var response = Response.text("nothing at \(request.path)", status: 404)
            response.headers["x-upstream"] = "yes"
            return response
        }
        let (client, group) = Self.client()
        let response = try await client.fetch(Request(url: "http://127.0.0.1:\(upstream.port)/missing"))
        #expect(response.status == 404)
        #expect(response.headers["x-upstream"] == "yes")
        #expect(try await response.body.text(upTo: 1 << 16) == "nothing at /missing")
        group.shutdown()
        await upstream.stop()
    }

    @Test func postBodyArrivesIntactAndConnectionIsReused() async throws {
        let peers = LockedValue<[String]>([])
        let upstream = try await ServerHarness.start { request, _, _ in
            peers.withLock { $0.append(request.remoteAddress ?? "") }
            return Response(status: 200, body: Body(bytes: try await request.body.collect(upTo: 1 << 22)))
        }
        let (client, group) = Self.client()
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for _ in 0..<2 {
            let response = try await client.fetch(
                Request(
                    method: .post, url: "http://127.0.0.1:\(upstream.port)/echo",
                    headers: ["content-type": "application/octet-stream"], body: Body(bytes: payload)))
            #expect(try await response.body.collect(upTo: 1 << 22) == payload)
        }
        let seen = peers.withLock { $0 }
        #expect(seen.count == 2)
        #expect(seen[0] == seen[1], "the second request reused the first one's connection")
        group.shutdown()
        await upstream.stop()
    }

    @Test func aReusedHandleCarriesNothingOfTheLastRequest() async throws {
        let seen = LockedValue<[(method: String, secret: String?, body: Int)]>([])
        let upstream = try await ServerHarness.start { request, _, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            seen.withLock { $0.append((request.method.rawValue, request.headers["x-secret"], body.count)) }
            return .text("ok")
        }
        let (client, group) = Self.client()
        let url = "http://127.0.0.1:\(upstream.port)/"
        // Sequential transfers on one loop take the same pooled easy handle in turn.
        _ = try await client.fetch(
            Request(method: .post, url: url, headers: ["x-secret": "first"], body: Body(string: "payload"))
        ).body
            .collect(upTo: 1 << 16)
        _ = try await client.fetch(Request(url: url)).body.collect(upTo: 1 << 16)
        _ = try await client.fetch(Request(method: .put, url: url, body: Body(string: "xy"))).body.collect(
            upTo: 1 << 16)
        let requests = seen.withLock { $0 }
        #expect(requests.map(\.method) == ["POST", "GET", "PUT"])
        #expect(requests.map(\.secret) == ["first", nil, nil], "no header carried over")
        #expect(requests.map(\.body) == [7, 0, 2], "no body carried over")
        group.shutdown()
        await upstream.stop()
    }

    @Test func everyURLReachesItsOwnPathAndQuery() async throws {
        let targets = LockedValue<[String]>([])
        let upstream = try await ServerHarness.start { request, _, _ in
            targets.withLock { $0.append(String(request.url.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })) }
            return .text("ok")
        }
        let (client, group) = Self.client()
        // Repeats come from the loop's cache of parsed URLs; each must still go where it says.
        let paths = ["/a?x=1", "/a?x=2", "/b/c", "/a?x=1", "/p%20q?k=a%2Fb&k=2", "/b/c"]
        for path in paths {
            _ = try await client.fetch(Request(url: "http://127.0.0.1:\(upstream.port)\(path)")).body.collect(
                upTo: 1 << 16)
        }
        #expect(targets.withLock { $0 } == paths)
        group.shutdown()
        await upstream.stop()
    }

    @Test func firstChunkArrivesBeforeTheUpstreamFinishes() async throws {
        let release = Gate()
        let upstream = try await ServerHarness.start { _, _, _ in
            let (body, writer) = Body.makeStream()
            Task {
                try await writer.write("first,")
                await release.wait()
                try await writer.write("second")
                writer.finish()
            }
            return Response(status: 200, body: body)
        }
        let (client, group) = Self.client()
        let response = try await client.fetch(Request(url: "http://127.0.0.1:\(upstream.port)/stream"))
        var iterator = response.body.makeAsyncIterator()
        #expect(try await iterator.next() == Array("first,".utf8))
        #expect(!release.isOpen, "the first chunk came while the upstream still held back the second")
        release.open()
        var rest: [UInt8] = []
        while let chunk = try await iterator.next() { rest += chunk }
        #expect(rest == Array("second".utf8))
        group.shutdown()
        await upstream.stop()
    }

    @Test func refusedConnectionIsConnectFailed() async throws {
        let (client, group) = Self.client()
        await #expect {
            try await client.fetch(Request(url: "http://127.0.0.1:\(ScriptedTCPServer.closedPort())/"))
        } throws: {
            ($0 as? FetchError)?.code == .connectFailed
        }
        group.shutdown()
    }

    @Test func silentUpstreamTimesOut() async throws {
        let server = try ScriptedTCPServer { connection in
            connection.readHead()
            connection.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc")
            _ = connection.peerClosed(within: 10)
            connection.close()
        }
        let (client, group) = Self.client { $0.idleTimeout = .milliseconds(300) }
        let response = try await client.fetch(Request(url: "http://127.0.0.1:\(server.port)/"))
        await #expect { _ = try await response.body.collect(upTo: 1000) } throws: {
            ($0 as? FetchError)?.code == .timedOut
        }
        // Before the head, too.
        let mute = try ScriptedTCPServer { connection in
            connection.readHead()
            _ = connection.peerClosed(within: 10)
            connection.close()
        }
        await #expect { try await client.fetch(Request(url: "http://127.0.0.1:\(mute.port)/")) } throws: {
            ($0 as? FetchError)?.code == .timedOut
        }
        group.shutdown()
        server.stop()
        mute.stop()
    }

    /// The idle timeout counts from the last data, not from the start: a body that trickles in
    /// more often than the timeout, for several times its length, arrives whole.
    @Test func tricklingUpstreamDoesNotTimeOut() async throws {
        let server = try ScriptedTCPServer { connection in
            connection.readHead()
            connection.send("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n")
            for byte in "abcdefghijkl" {
                Thread.sleep(forTimeInterval: 0.1)
                connection.send(String(byte))
            }
            _ = connection.peerClosed(within: 10)
            connection.close()
        }
        let (client, group) = Self.client { $0.idleTimeout = .milliseconds(400) }
        let response = try await client.fetch(Request(url: "http://127.0.0.1:\(server.port)/"))
        #expect(try await response.body.collect(upTo: 1000) == Array("abcdefghijkl".utf8))
        group.shutdown()
        server.stop()
    }

    @Test func connectionClosedMidBodyIsResetMidBody() async throws {
        let server = try ScriptedTCPServer { connection in
            connection.readHead()
            connection.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789")
            connection.close()
        }
        let (client, group) = Self.client()
        let response = try await client.fetch(Request(url: "http://127.0.0.1:\(server.port)/"))
        #expect(response.status == 200)
        await #expect { _ = try await response.body.collect(upTo: 10_000) } throws: {
            ($0 as? FetchError)?.code == .resetMidBody
        }
        group.shutdown()
        server.stop()
    }

    @Test func chunkedUpstreamIsDecoded() async throws {
        let server = try ScriptedTCPServer { connection in
            connection.readHead()
            connection.send(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
            _ = connection.peerClosed(within: 5)
            connection.close()
        }
        let (client, group) = Self.client()
        let response = try await client.fetch(Request(url: "http://127.0.0.1:\(server.port)/"))
        #expect(try await response.body.text(upTo: 100) == "hello world")
        group.shutdown()
        server.stop()
    }

    @Test func cancellingTheBodyClosesTheUpstreamConnection() async throws {
        let closed = Gate()
        let server = try ScriptedTCPServer { connection in
            connection.readHead()
            connection.send("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n")
            connection.send([UInt8](repeating: 0x61, count: 1024))
            if connection.peerClosed(within: 10) { closed.open() }
            connection.close()
        }
        let (client, group) = Self.client()
        let response = try await client.fetch(Request(url: "http://127.0.0.1:\(server.port)/"))
        var iterator = response.body.makeAsyncIterator()
        _ = try await iterator.next()
        response.body.cancel()
        await closed.wait()
        #expect(closed.isOpen)
        group.shutdown()
        server.stop()
    }

    @Test func droppingAnUnreadResponseClosesTheUpstreamConnection() async throws {
        let closed = Gate()
        let server = try ScriptedTCPServer { connection in
            connection.readHead()
            connection.send("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n")
            // Far more than the client buffers: its transfer pauses, waiting for a reader that never comes.
            for _ in 0..<64 { connection.send([UInt8](repeating: 0x61, count: 64 * 1024)) }
            if connection.peerClosed(within: 10) { closed.open() }
            connection.close()
        }
        let (client, group) = Self.client()
        do {
            let response = try await client.fetch(Request(url: "http://127.0.0.1:\(server.port)/"))
            #expect(response.status == 200)
        }  // dropped here, unread and not cancelled
        #expect(await eventually(within: 8) { closed.isOpen }, "the upstream connection was closed")
        group.shutdown()
        server.stop()
    }

    @Test func cancellingTheTaskBeforeTheHeadThrowsPromptly() async throws {
        let server = try ScriptedTCPServer { connection in
            connection.readHead()
            _ = connection.peerClosed(within: 10)
            connection.close()
        }
        let (client, group) = Self.client()
        let started = ContinuousClock.now
        let task = Task { try await client.fetch(Request(url: "http://127.0.0.1:\(server.port)/")) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - started < .seconds(5))
        group.shutdown()
        server.stop()
    }

    @Test func slowReaderPausesTheTransferAndEverythingArrives() async throws {
        let total = 16 * 1024 * 1024
        let sent = Counter()
        let upstream = try await ServerHarness.start(configure: { $0.writeHighWaterMark = 64 * 1024 }) { _, _, _ in
            let (body, writer) = Body.makeStream(bufferLimit: 64 * 1024)
            Task {
                for index in 0..<(total / 65536) {
                    let chunk = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 65536)
                    try await writer.write(chunk)
                    sent.add(chunk.count)
                }
                writer.finish()
            }
            return Response(status: 200, body: body)
        }
        // The idle timeout is shorter than the reader's pause: a paused transfer must not time out.
        let (client, group) = Self.client {
            $0.responseBufferBytes = 64 * 1024
            // Long enough that a loaded machine (parallel tests) still gets the head in time.
            $0.idleTimeout = .seconds(1)
        }
        let response = try await client.fetch(Request(url: "http://127.0.0.1:\(upstream.port)/big"))
        var iterator = response.body.makeAsyncIterator()
        var received = try await iterator.next() ?? []
        try await Task.sleep(for: .milliseconds(2500))  // paused well past the idle timeout
        let aheadWhilePaused = sent.value
        #expect(aheadWhilePaused < 12 * 1024 * 1024, "the upstream was held back (\(aheadWhilePaused) bytes sent)")
        while let chunk = try await iterator.next() { received += chunk }
        #expect(received.count == total)
        let expected = (0..<(total / 65536)).flatMap { [UInt8](repeating: UInt8(truncatingIfNeeded: $0), count: 65536) }
        #expect(received == expected)
        group.shutdown()
        await upstream.stop()
    }

    @Test func badRequestsAreRefusedBeforeSending() async throws {
        let (client, group) = Self.client { $0.maxRequestBodyBytes = 10 }
        await #expect {
            try await client.fetch(
                Request(method: .post, url: "http://127.0.0.1:1/", body: Body(bytes: [UInt8](repeating: 0, count: 11))))
        } throws: {
            ($0 as? FetchError)?.code == .tooLarge
        }
        await #expect { try await client.fetch(Request(url: "notaurl://")) } throws: {
            ($0 as? FetchError)?.code == .invalidRequest
        }
        // A URL curl's parser refuses (no parsed handle is made for it) fails the same way.
        await #expect { try await client.fetch(Request(url: "http://127.0.0.1:99999/")) } throws: {
            ($0 as? FetchError)?.code == .invalidRequest
        }
        group.shutdown()
    }
}

/// HTTPS through libcurl + OpenSSL, against `openssl s_server` with a throwaway CA-less cert.
@Suite struct CurlFetchClientTLSTests {
    static func run(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func httpsWithATrustedCertificateWorksAndAnUntrustedOneIsConnectFailed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let generate = try Self.run([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", directory + "/key.pem", "-out",
            directory + "/cert.pem",
        ])
        generate.waitUntilExit()
        #expect(generate.terminationStatus == 0)
        let port = ScriptedTCPServer.closedPort()
        let server = try Self.run([
            "s_server", "-accept", "127.0.0.1:\(port)", "-cert", directory + "/cert.pem", "-key",
            directory + "/key.pem", "-www", "-quiet",
        ])
        // SIGKILL: started from a Dispatch thread, the server inherits a signal mask that blocks
        // SIGTERM, so terminate() never stopped it and every run left one behind (as RedisServer).
        defer { kill(server.processIdentifier, SIGKILL) }

        let (client, group) = CurlFetchClientTests.client { $0.caBundlePath = directory + "/cert.pem" }
        var response: Response?
        for _ in 0..<200 where response == nil {
            response = try? await client.fetch(Request(url: "https://localhost:\(port)/"))
            if response == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(response?.status == 200)
        #expect(try await response?.body.text(upTo: 1 << 20).contains("s_server") == true)

        let (untrusting, otherGroup) = CurlFetchClientTests.client()
        await #expect { try await untrusting.fetch(Request(url: "https://localhost:\(port)/")) } throws: {
            ($0 as? FetchError)?.code == .connectFailed
        }
        group.shutdown()
        otherGroup.shutdown()
    }
}
