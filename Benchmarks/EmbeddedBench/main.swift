import AIProxy
import EdgeRuntime
import Foundation

// bench-embedded --upstream URL --server URL [--key K] [--calls N] [--warmup W] [--rounds R]
//
// Latency per call, one call at a time, of the same OpenAI-format call made two ways from this
// process: in-process through an EmbeddedProxy, and over a loopback socket to an `aiproxy`
// server (the runtime's libcurl client). Both proxies send it to the same Anthropic-format
// upstream (`--upstream`, the server's ANTHROPIC_BASE_URL too) with the same raw provider key.
// Cases: a plain chat call and a streamed one that reach the upstream (x-bt-use-cache: never),
// and a plain call answered from each proxy's cache. Each case's N calls per way are split into
// R rounds that alternate which way goes first, after W warm-up calls each; a call is timed
// from the request to the last byte of its body. Prints a Markdown table (µs).
let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
guard let upstream = option("--upstream"), let server = option("--server") else {
    FileHandle.standardError.write(Data("usage: bench-embedded --upstream URL --server URL [--calls N]\n".utf8))
    exit(2)
}
let key = option("--key") ?? "sk-ant-bench"
let calls = max(1, min(option("--calls").flatMap(Int.init) ?? 2000, 100_000))
let warmup = max(0, min(option("--warmup").flatMap(Int.init) ?? 200, 10_000))
let rounds = max(1, min(option("--rounds").flatMap(Int.init) ?? 4, calls))

struct Case: Sendable {
    let name: String
    let body: String
    let cache: String
    /// The `x-bt-cached` every measured reply must carry (none when the cache is bypassed).
    let expectCached: String?
}
let cases = [
    Case(
        name: "chat, upstream call",
        body: #"{"model":"claude-3-5-sonnet-latest","messages":[{"role":"user","content":"Say hello."}]}"#,
        cache: "never", expectCached: nil),
    Case(
        name: "stream, upstream call",
        body:
            #"{"model":"claude-3-5-sonnet-latest","stream":true,"messages":[{"role":"user","content":"Say hello."}]}"#,
        cache: "never", expectCached: nil),
    Case(
        name: "chat, cache hit",
        body: #"{"model":"claude-3-5-sonnet-latest","messages":[{"role":"user","content":"Hit me."}]}"#,
        cache: "always", expectCached: "HIT"),
]

/// One way of making a call: a fetch client and the URL it is sent to.
struct Way: Sendable {
    let name: String
    let client: any FetchClient
    let url: String
    let key: String

    /// Microseconds from the request to the last byte of the reply.
    func call(_ testCase: Case) async throws -> Double {
        let request = Request(
            method: .post, url: url,
            headers: [
                "authorization": "Bearer \(key)", "content-type": "application/json", "x-bt-use-cache": testCase.cache,
            ], body: Body(string: testCase.body))
        let start = ContinuousClock.now
        let response = try await client.fetch(request)
        let body = try await response.body.collect(upTo: 1 << 20)
        let elapsed = ContinuousClock.now - start
        guard response.status == 200, response.headers["x-bt-cached"] == testCase.expectCached else {
            throw BenchFailure(
                message: "\(name) \(testCase.name): \(response.status) \(response.headers["x-bt-cached"] ?? "-") "
                    + String(decoding: body.prefix(300), as: UTF8.self))
        }
        let (seconds, attoseconds) = elapsed.components
        return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

let proxy = try EmbeddedProxy(
    vars: ["ANTHROPIC_BASE_URL": upstream], kv: ["CACHE": MemoryKV(), "CONTROL": MemoryKV()],
    logger: Logger(label: "bench", level: .error))
let clientGroup = EventLoopGroup(threadCount: 1, name: "bench-client")
let ways = [
    Way(name: "in-process", client: proxy, url: "http://proxy/v1/chat/completions", key: key),
    Way(name: "socket", client: CurlFetchClient(group: clientGroup), url: "\(server)/v1/chat/completions", key: key),
]

var samples: [String: [Double]] = [:]
do {
    for testCase in cases {
        for way in ways {
            // The cache-hit case's first call fills that proxy's cache (its write is in waitUntil).
            if testCase.cache == "always" {
                _ = try await way.call(
                    Case(name: testCase.name, body: testCase.body, cache: "always", expectCached: "MISS"))
                try await Task.sleep(for: .milliseconds(200))
            }
            for _ in 0..<warmup { _ = try await way.call(testCase) }
        }
        for round in 0..<rounds {
            let share = calls / rounds + (round < calls % rounds ? 1 : 0)
            for way in round % 2 == 0 ? ways : ways.reversed() {
                for _ in 0..<share {
                    samples["\(testCase.name)|\(way.name)", default: []].append(try await way.call(testCase))
                }
            }
        }
    }
} catch {
    FileHandle.standardError.write(Data("bench-embedded: \(error)\n".utf8))
    await proxy.shutdown()
    clientGroup.shutdown()
    exit(1)
}
await proxy.shutdown()
clientGroup.shutdown()

print("| case | in-process p50 | in-process p99 | socket p50 | socket p99 | socket − in-process (p50) |")
print("|---|---|---|---|---|---|")
for testCase in cases {
    let inProcess = samples["\(testCase.name)|in-process", default: []].sorted()
    let socket = samples["\(testCase.name)|socket", default: []].sorted()
    let cells = [
        percentile(inProcess, 0.5), percentile(inProcess, 0.99), percentile(socket, 0.5), percentile(socket, 0.99),
        percentile(socket, 0.5) - percentile(inProcess, 0.5),
    ].map { String(format: "%.0f", $0) }
    print("| \(testCase.name) | " + cells.joined(separator: " | ") + " |")
}
