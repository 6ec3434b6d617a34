import EdgeRuntime
import Foundation
import Synchronization
import Testing

@Suite struct HTTPServerTests {
    static let echo: @Sendable (Request, Env, ExecutionContext) async throws -> Response = { request, _, _ in
        if request.path == "/boom" { throw POSIXError(.EIO) }
        let body = try await request.body.collect(upTo: 1 << 24)
        return Response(
            status: 200, headers: ["x-method": request.method.rawValue, "x-path": request.path], body: Body(bytes: body)
        )
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let server = try await ServerHarness.start(worker: Self.echo)
        let client = try server.client()
        for i in 0..<3 {
            try await client.send("POST /r\(i) HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("x-path") == "/r\(i)")
            #expect(response.text == "hello")
        }
        await server.stop()
    }

    @Test func oneTaskServesEveryRequestOfAConnection() async throws {
        let tasks = LockedValue<[String: [Int]]>([:])
        let server = try await ServerHarness.start { request, _, _ in
            let task = withUnsafeCurrentTask { $0?.hashValue } ?? 0
            tasks.withLock { $0[request.path, default: []].append(task) }
            return .text("ok")
        }
        let first = try server.client()
        let second = try server.client()
        // The second connection's request comes between the first one's: a task per request
        // would be gone by then, and its memory could be the next one's.
        for client in [first, second, first, first] {
            try await client.send("GET /\(client === first ? "first" : "second") HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
        }
        let seen = tasks.withLock { $0 }
        #expect(seen["/first"]?.count == 3)
        #expect(Set(seen["/first"] ?? []).count == 1, "a keep-alive connection's requests share its task")
        #expect(seen["/second"]?.first != seen["/first"]?.first, "another connection has its own")
        await server.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try await ServerHarness.start(worker: Self.echo)
        let client = try server.client()
        try await client.send("GET /one HTTP/1.1\r\nHost: t\r\n\r\nGET /two HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await client.readResponse().header("x-path") == "/one")
        #expect(try await client.readResponse().header("x-path") == "/two")
        await server.stop()
    }

    @Test func chunkedRequestBodyIsDecoded() async throws {
        let server = try await ServerHarness.start(worker: Self.echo)
        let client = try server.client()
        try await client.send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
        try await client.send("4\r\ndefg\r\n0\r\n\r\n")
        let response = try await client.readResponse()
        #expect(response.text == "abcdefg")
        await server.stop()
    }

    @Test func expectContinueGets100BeforeTheBodyIsSent() async throws {
        let server = try await ServerHarness.start(worker: Self.echo)
        let client = try server.client()
        try await client.send("POST / HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        let interim = try await client.read(until: "\r\n\r\n")
        #expect(interim.hasPrefix("HTTP/1.1 100 Continue"))
        try await client.send("ok")
        #expect(try await client.readResponse().text == "ok")
        await server.stop()
    }

    @Test func http10ResponseClosesTheConnection() async throws {
        let server = try await ServerHarness.start(worker: Self.echo)
        let client = try server.client()
        try await client.send("GET /old HTTP/1.0\r\n\r\n")
        let response = try await client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("connection") == "close")
        #expect(try await client.isClosedByPeer())
        await server.stop()
    }

    @Test func headRequestGetsHeadersOnly() async throws {
        let server = try await ServerHarness.start { _, _, _ in .text("body that must not be sent") }
        let client = try server.client()
        try await client.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try await client.read(until: "\r\n\r\n")
        #expect(head.hasPrefix("HTTP/1.1 200"))
        #expect(try await client.readResponse().text == "body that must not be sent")
        await server.stop()
    }

    @Test func workerErrorBecomes500JSONAndServerKeepsServing() async throws {
        let server = try await ServerHarness.start(worker: Self.echo)
        let client = try server.client()
        try await client.send("GET /boom HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try await client.readResponse()
        #expect(response.status == 500)
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let error = json?["error"] as? [String: Any]
        #expect(error?["type"] as? String == "server_error")
        #expect((error?["message"] as? String)?.contains("request id") == true)
        #expect(response.header("x-request-id") != nil)
        try await client.send("GET /fine HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await client.readResponse().status == 200)
        await server.stop()
    }

    @Test func healthzIsServedByTheRuntime() async throws {
        let called = Atomic<Int>(0)
        let server = try await ServerHarness.start { _, _, _ in
            called.add(1, ordering: .relaxed)
            return .text("worker")
        }
        let client = try server.client()
        try await client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try await client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == #"{"status":"ok"}"#)
        let calls = called.load(ordering: .relaxed)
        #expect(calls == 0)
        await server.stop()
    }
}
