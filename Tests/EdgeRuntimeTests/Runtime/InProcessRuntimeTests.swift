import EdgeRuntime
import Testing

@Suite struct InProcessRuntimeTests {
    @Test func requestsReachTheWorkerAndAnswerWithARequestID() async throws {
        let runtime = InProcessRuntime(
            worker: ClosureWorker { request, _, ctx in
                .text("\(request.method) \(request.path) \(request.query ?? "") \(ctx.requestID.isEmpty)")
            }, env: Env(fetcher: UnusedFetchClient()))
        let response = try await runtime.fetch(Request(method: .post, url: "/echo?x=1", body: Body(string: "hi")))
        #expect(response.status == 200)
        #expect(try await response.body.text(upTo: 1024) == "POST /echo x=1 false")
        #expect(response.headers["x-request-id"] != nil)
        #expect(await runtime.shutdown())
    }

    @Test func shutdownWaitsForInFlightRequestsAndBackgroundWorkThenRefuses() async throws {
        let entered = Gate()
        let release = Gate()
        let backgroundDone = Gate()
        let runtime = InProcessRuntime(
            worker: ClosureWorker { request, _, ctx in
                guard request.path == "/slow" else { return .text("quick") }
                entered.open()
                await release.wait()
                ctx.waitUntil {
                    try? await Task.sleep(for: .milliseconds(50))
                    backgroundDone.open()
                }
                return .text("done")
            }, env: Env(fetcher: UnusedFetchClient()))
        let call = Task { try await runtime.fetch(Request(url: "/slow")) }
        await entered.wait()
        let shutdownReturned = Gate()
        let shutdown = Task {
            defer { shutdownReturned.open() }
            return await runtime.shutdown(timeout: .seconds(10))
        }
        // Refused once the shutdown task has begun (answered until then).
        var refused = false
        for _ in 0..<500 where !refused {
            do {
                _ = try await runtime.fetch(Request(url: "/late"))
                try await Task.sleep(for: .milliseconds(10))
            } catch let error as FetchError {
                refused = error.code == .connectFailed
            }
        }
        #expect(refused)
        #expect(!shutdownReturned.isOpen, "shutdown waits for the call in flight")
        release.open()
        #expect(try await call.value.body.text(upTo: 64) == "done")
        #expect(await shutdown.value)
        #expect(backgroundDone.isOpen, "shutdown returned after the waitUntil work")
    }

    @Test func shutdownGivesUpAfterItsTimeout() async throws {
        let runtime = InProcessRuntime(
            worker: ClosureWorker { _, _, ctx in
                ctx.waitUntil { try? await Task.sleep(for: .seconds(60)) }
                return .text("ok")
            }, env: Env(fetcher: UnusedFetchClient()))
        _ = try await runtime.fetch(Request(url: "/"))
        #expect(await runtime.shutdown(timeout: .milliseconds(50)) == false)
    }

    @Test func aThrownErrorReachesTheCaller() async throws {
        struct Refused: Error {}
        let runtime = InProcessRuntime(
            worker: ClosureWorker { _, _, _ in throw Refused() }, env: Env(fetcher: UnusedFetchClient()))
        await #expect(throws: Refused.self) { try await runtime.fetch(Request(url: "/")) }
    }
}
