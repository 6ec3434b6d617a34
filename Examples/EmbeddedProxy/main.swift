import AIProxy
import EdgeRuntime
import Foundation

// embedded-proxy [BASE_URL]: a Swift app with the proxy inside it. No proxy server, no socket
// between the app and the proxy: calls go through the same worker as `aiproxy`'s (proxy key,
// endpoint, limits, cache, translation), and only the provider call leaves the process.
//
// The provider is an Anthropic-format API at BASE_URL (argument, or UPSTREAM_BASE_URL), by
// default a local mock, so nothing reaches the internet unless you point it there:
//   swift run mock-upstream --provider anthropic --port 8788 --api-key sk-ant-example &
//   swift run embedded-proxy
let environment = ProcessInfo.processInfo.environment
let baseURL =
    CommandLine.arguments.dropFirst().first ?? environment["UPSTREAM_BASE_URL"] ?? "http://127.0.0.1:8788/v1"
let providerKey = environment["UPSTREAM_API_KEY"] ?? "sk-ant-example"
let model = environment["MODEL"] ?? "claude-3-5-sonnet-latest"

// Seals endpoint secrets in CONTROL; an app keeps its own in its keychain or secret store.
let masterKey = "example-master-key"
let control = MemoryKV()
let proxy = try EmbeddedProxy(
    secrets: ["AIPROXY_MASTER_KEY": masterKey], kv: ["CACHE": MemoryKV(), "CONTROL": control],
    logger: Logger(label: "embedded-proxy", level: .warning))

// One org whose only endpoint is the provider at baseURL, and a proxy key for it: what
// `aiproxy endpoints add` and `aiproxy keys create` do for a server.
let store = try ControlStore(kv: control, masterKey: masterKey)
try await store.addEndpoint(
    Endpoint(name: "claude", kind: .anthropic, baseURL: baseURL, secret: providerKey), org: "example")
let (proxyKey, _) = try await store.createKey(name: "example-app", orgs: ["example"])

func chatRequest(_ prompt: String, stream: Bool, model: String, key: String) -> Request {
    let body = #"{"model":"\#(model)","stream":\#(stream),"messages":[{"role":"user","content":"\#(prompt)"}]}"#
    return Request(
        method: .post, url: "http://proxy/v1/chat/completions",
        headers: ["authorization": "Bearer \(key)", "content-type": "application/json"], body: Body(string: body))
}

do {
    // A chat call, answered in OpenAI's format whatever the provider's is.
    let reply = try await proxy.fetch(chatRequest("Say hello.", stream: false, model: model, key: proxyKey))
    print("chat: \(reply.status) from endpoint \(reply.headers["x-bt-used-endpoint"] ?? "-")")
    print(try await reply.body.text(upTo: 1 << 20))

    // A streamed call: OpenAI chunks as server-sent events, read as they arrive.
    let stream = try await proxy.fetch(chatRequest("Stream a greeting.", stream: true, model: model, key: proxyKey))
    print("\nstream: \(stream.status)")
    for try await chunk in stream.body {
        print(String(decoding: chunk, as: UTF8.self), terminator: "")
    }
    print()
} catch {
    FileHandle.standardError.write(Data("embedded-proxy: \(error)\n".utf8))
}
// Waits for the calls' cache writes and usage events, then stops the proxy's event loop.
await proxy.shutdown()
