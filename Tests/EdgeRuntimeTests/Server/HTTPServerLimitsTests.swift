import EdgeRuntime
import Foundation
import Testing

/// Each bad input gets the right 4xx, the connection closes, and the server keeps serving.
@Suite struct HTTPServerLimitsTests {
    static func start() async throws -> ServerHarness {
        try await ServerHarness.start(configure: {
            $0.maxHeaderBytes = 1024
            $0.maxBodyBytes = 4096
            $0.headerTimeout = .milliseconds(300)
            $0.bodyTimeout = .milliseconds(300)
            $0.requestTimeout = .milliseconds(800)
            $0.idleTimeout = .milliseconds(500)
        }) { request, _, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            return .text("ok \(body.count)")
        }
    }

    /// Sends `bytes`, expects `status` with an OpenAI-style error body and a closed connection,
    /// then proves a fresh connection is still served.
    func expectRefusal(_ bytes: String, status: Int, server: ServerHarness) async throws {
        let client = try server.client()
        try await client.send(bytes)
        let response = try await client.readResponse()
        #expect(response.status == status, "\(bytes.prefix(60).debugDescription)")
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let error = json?["error"] as? [String: Any]
        #expect(error?["message"] is String)
        #expect(error?["type"] as? String == "invalid_request_error")
        // Errors the server makes itself are told apart by code and traced by request id.
        #expect((error?["code"] as? String)?.isEmpty == false)
        #expect(response.header("x-request-id")?.isEmpty == false)
        #expect(response.header("connection") == "close")
        #expect(try await client.isClosedByPeer())

        let next = try server.client()
        try await next.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await next.readResponse().text == "ok 0")
    }

    @Test func malformedRequestLine() async throws {
        let server = try await Self.start()
        try await expectRefusal("GARBAGE LINE\r\n\r\n", status: 400, server: server)
        await server.stop()
    }

    @Test func oversizedHeaders() async throws {
        let server = try await Self.start()
        let big = "GET / HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "b", count: 4000))\r\n\r\n"
        try await expectRefusal(big, status: 431, server: server)
        await server.stop()
    }

    @Test func oversizedBodyByContentLength() async throws {
        let server = try await Self.start()
        try await expectRefusal("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n", status: 413, server: server)
        await server.stop()
    }

    @Test func clientStillSendingAnOversizedBodyReadsThe413() async throws {
        let server = try await Self.start()
        let client = try server.client()
        try await client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4000000\r\n\r\n")
        // Keep sending like a client that doesn't look for an early answer (4 MB, more than socket
        // buffers hold). Without a lingering close the server's close resets the connection and
        // these sends fail before the client ever reads the 413.
        for _ in 0..<61 { try await client.send([UInt8](repeating: 0x7A, count: 64 * 1024)) }
        let response = try await client.readResponse()
        #expect(response.status == 413)
        await server.stop()
    }

    @Test func oversizedChunkedBody() async throws {
        let server = try await Self.start()
        let chunk = String(repeating: "c", count: 3000)
        let request = "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nbb8\r\n\(chunk)\r\nbb8\r\n\(chunk)\r\n0\r\n\r\n"
        try await expectRefusal(request, status: 413, server: server)
        await server.stop()
    }

    @Test func bothContentLengthAndTransferEncoding() async throws {
        let server = try await Self.start()
        let request = "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        try await expectRefusal(request, status: 400, server: server)
        await server.stop()
    }

    @Test func invalidChunkSize() async throws {
        let server = try await Self.start()
        try await expectRefusal("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\nabc\r\n", status: 400, server: server)
        await server.stop()
    }

    @Test func twoHostHeaders() async throws {
        let server = try await Self.start()
        try await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400, server: server)
        await server.stop()
    }

    @Test func slowHeadersTimeOut() async throws {
        let server = try await Self.start()
        let client = try server.client()
        try await client.send("GET / HTTP/1.1\r\nHo")
        // The client stalls; the 300 ms header deadline answers 408 and closes.
        let response = try await client.readResponse()
        #expect(response.status == 408)
        #expect(response.header("x-request-id") != nil)
        #expect(try await client.isClosedByPeer())
        let next = try server.client()
        try await next.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await next.readResponse().status == 200)
        await server.stop()
    }

    @Test func headerDeadlineCountsFromTheFirstByteNotTheLastRead() async throws {
        let server = try await Self.start()
        let client = try server.client()
        let started = ContinuousClock.now
        try await client.send("GET / HTTP/1.1\r\n")
        // Trickle a byte every 100 ms: an inactivity timer would never fire, the deadline must.
        let trickle = Task {
            for _ in 0..<20 {
                try await Task.sleep(for: .milliseconds(100))
                try await client.send("X")
            }
        }
        let response = try await client.readResponse()
        trickle.cancel()
        #expect(response.status == 408)
        #expect(ContinuousClock.now - started < .seconds(1.5))
        await server.stop()
    }

    @Test func trickledBodyIsCutOffAtTheRequestDeadline() async throws {
        let server = try await Self.start()
        let client = try server.client()
        let started = ContinuousClock.now
        try await client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n")
        // A byte every 100 ms keeps the 300 ms per-read body timeout from firing; the 800 ms
        // deadline for the whole request must.
        let trickle = Task {
            for _ in 0..<100 {
                try await Task.sleep(for: .milliseconds(100))
                try await client.send("z")
            }
        }
        let response = try await client.readResponse()
        trickle.cancel()
        #expect(response.status == 408)
        #expect(ContinuousClock.now - started < .seconds(5))
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect((json?["error"] as? [String: Any])?["code"] as? String == "request_timeout")
        await server.stop()
    }

    @Test func stalledBodyTimesOut() async throws {
        let server = try await Self.start()
        let client = try server.client()
        try await client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\npartial")
        #expect(try await client.readResponse().status == 408)
        await server.stop()
    }

    @Test func idleKeepAliveConnectionIsClosed() async throws {
        let server = try await Self.start()
        let client = try server.client()
        try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await client.readResponse().status == 200)
        #expect(try await client.isClosedByPeer())
        #expect(await eventually { server.runtime.server.openConnections == 0 })
        await server.stop()
    }
}
