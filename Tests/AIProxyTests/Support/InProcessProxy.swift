import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// The whole proxy in-process in front of one mock provider: ProxyWorker → adapter →
/// InProcessFetchClient → the mock worker, with memory KVs, called with a raw provider key.
struct InProcessProxy {
    let worker: ProxyWorker
    let env: Env
    let mock: any Worker
    let log: MockRequestLog
    let key: String
    let background = BackgroundWork()

    /// - Parameters: `baseURL` is the provider's base URL variable (`GOOGLE_BASE_URL`) and its
    ///   value, whose host routes to `mock`.
    ///   `variables` are more `[vars]`.
    init(
        mock: any Worker, log: MockRequestLog, host: String, baseURL: (String, String), key: String,
        variables: [String: String] = [:]
    ) throws {
        var bindings: [String: Binding] = ["CACHE": .kv(MemoryKV()), "CONTROL": .kv(MemoryKV()), baseURL.0: .text(baseURL.1)]
        for (name, value) in variables { bindings[name] = .text(value) }
        env = Env(
            bindings: bindings,
            fetcher: InProcessFetchClient(routes: [host: mock]))
        worker = try ProxyWorker(env: env, logger: Logger(label: "test", level: .error))
        self.mock = mock
        self.log = log
        self.key = key
    }

    func call(_ body: String, path: String = "/v1/chat/completions") async throws -> Response {
        let request = Request(
            method: .post, url: "http://proxy\(path)", headers: ["authorization": "Bearer \(key)"], body: Body(string: body))
        return try await worker.fetch(request, env: env, ctx: ExecutionContext(requestID: "t", tracker: background))
    }

    /// Status and JSON body of a plain call.
    func json(_ body: String, path: String = "/v1/chat/completions") async throws -> (Int, JSONValue) {
        let response = try await call(body, path: path)
        return (response.status, try JSONValue(parsing: try await response.body.text(upTo: 1 << 20)))
    }

    /// Sets the mock's ``MockBehavior`` (`{"fail_status":500}`, `{}` to reset).
    func behave(_ json: String) async throws {
        let control = Request(method: .post, url: "http://mock/__mock/behavior", body: Body(string: json))
        _ = try await mock.fetch(control, env: env, ctx: ExecutionContext(requestID: "c", tracker: background))
    }

    /// The body the mock received last, as JSON.
    func sent() throws -> JSONValue { try JSONValue(parsing: try #require(log.all.last).body) }

    /// The `data:` payloads of an SSE body, `[DONE]` included.
    static func events(_ text: String) -> [String] {
        text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { String($0.dropFirst("data: ".count)) }
    }

    /// The first choice's message of a completion.
    static func message(_ completion: JSONValue) -> JSONValue? { completion["choices"]?.arrayValue?.first?["message"] }

    /// Tool-call deltas of streamed chunks, assembled per index into (id, name, arguments).
    static func assembledToolCalls(_ chunks: [JSONValue]) -> [Int: (id: String, name: String, arguments: String)] {
        var calls: [Int: (id: String, name: String, arguments: String)] = [:]
        for call in chunks.flatMap({ $0["choices"]?.arrayValue?.first?["delta"]?["tool_calls"]?.arrayValue ?? [] }) {
            let index = call["index"]?.intValue ?? -1
            var entry = calls[index] ?? ("", "", "")
            if let id = call["id"]?.stringValue { entry.id = id }
            if let name = call["function"]?["name"]?.stringValue { entry.name = name }
            entry.arguments += call["function"]?["arguments"]?.stringValue ?? ""
            calls[index] = entry
        }
        return calls
    }
}
