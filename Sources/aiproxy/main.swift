import EdgeRuntime

struct NoFetch: FetchClient {
    func fetch(_ request: Request) async throws -> Response { .text("no fetch", status: 501) }
}

let payload = Array(String(repeating: "x", count: 600).utf8)
var configuration = ServerConfiguration()
configuration.port = 8787
let group = EventLoopGroup(threadCount: configuration.threads)
let worker = ClosureWorker { request, env, ctx in
    if request.path == "/stream" {
        let (body, writer) = Body.makeStream()
        Task {
            for i in 0..<5 {
                try await writer.write("chunk \(i)\n")
                try await Task.sleep(for: .milliseconds(200))
            }
            writer.finish()
        }
        return Response(status: 200, headers: ["content-type": "text/plain"], body: body)
    }
    if request.path == "/echo" {
        return Response(status: 200, body: Body(bytes: try await request.body.collect(upTo: 1 << 24)))
    }
    return .json(bytes: payload)
}
let runtime = Runtime(worker: worker, env: Env(fetcher: NoFetch()), group: group, configuration: configuration)
try await runtime.start()
await runtime.runUntilSignalled()
group.shutdown()
