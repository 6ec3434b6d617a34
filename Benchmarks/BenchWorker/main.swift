import EdgeRuntime

// The runtime benchmark's worker: a fixed 600-byte JSON reply, so `make bench` measures the
// server, the event loops and the worker hop, side by side with nginx serving the same bytes.

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
    let worker = ClosureWorker { _, _, _ in .json(bytes: body) }
    let runtime = Runtime(worker: worker, env: Env(fetcher: NoUpstream()), group: group, configuration: configuration)
    try await runtime.run()
    group.shutdown()
}
