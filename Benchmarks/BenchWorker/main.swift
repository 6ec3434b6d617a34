import EdgeRuntime

// The runtime benchmark's worker: a fixed 600-byte JSON reply, so `make bench` measures the
// server, the event loops and the worker hop, side by side with nginx serving the same bytes.
// With `--upstream URL` it is instead a bare reverse proxy on the runtime (the request's path
// appended to URL, through `fetch`, the reply returned as it comes): the floor under the AI
// proxy's miss path, the server and libcurl with no AI logic (`Benchmarks/miss-path.sh`).

let payload = Array(
    #"{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","#.utf8)
let padding = 600 - payload.count - #","choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"stop"}]}"#.utf8.count
let body =
    payload
    + Array(#","choices":[{"index":0,"message":{"role":"assistant","content":""#.utf8)
    + [UInt8](repeating: UInt8(ascii: "x"), count: padding)
    + Array(#""},"finish_reason":"stop"}]}"#.utf8)
precondition(body.count == 600, "bench payload must be 600 bytes, is \(body.count)")

struct NoUpstream: FetchClient {
    func fetch(_ request: Request) async throws -> Response { .text("no upstream", status: 502) }
}

var configuration = ServerConfiguration()
let arguments = CommandLine.arguments
if let index = arguments.firstIndex(of: "--port"), index + 1 < arguments.count, let port = Int(arguments[index + 1]) {
    configuration.port = port
}
if arguments.contains("--print-payload") {
    print(String(decoding: body, as: UTF8.self), terminator: "")
} else {
    let group = EventLoopGroup(threadCount: configuration.threads)
    let worker: ClosureWorker
    let fetcher: any FetchClient
    if let index = arguments.firstIndex(of: "--upstream"), index + 1 < arguments.count {
        let upstream = arguments[index + 1]
        fetcher = CurlFetchClient(group: group)
        worker = ClosureWorker { request, env, _ in
            // What a reverse proxy forwards: the method, body and end-to-end fields.
            let forwarded = request.headers.selecting(["content-type", "authorization", "accept"])
            return try await env.fetch(
                Request(method: request.method, url: upstream + request.path, headers: forwarded, body: request.body))
        }
    } else {
        fetcher = NoUpstream()
        worker = ClosureWorker { _, _, _ in .json(bytes: body) }
    }
    let runtime = Runtime(worker: worker, env: Env(fetcher: fetcher), group: group, configuration: configuration)
    try await runtime.run()
    group.shutdown()
}
