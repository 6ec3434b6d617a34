import EdgeRuntime
import Foundation
import MockUpstream

// mock-upstream [--port N] [--api-key KEY] [--name NAME] [--provider openai|anthropic|bedrock|google]: a fake provider API
// (OpenAI's by default) for tests and benchmarks.
let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

struct NoUpstream: FetchClient {
    func fetch(_ request: Request) async throws -> Response { .text("the mock has no upstream", status: 502) }
}

var configuration = ServerConfiguration()
configuration.port = option("--port").flatMap(Int.init) ?? 0
configuration.threads = option("--threads").flatMap(Int.init) ?? 1
let group = EventLoopGroup(threadCount: configuration.threads, name: "mock-loop")
let worker: any Worker =
    switch option("--provider") ?? "openai" {
    case "anthropic": MockAnthropicWorker(apiKey: option("--api-key"))
    case "bedrock": MockBedrockWorker(accessKeyID: option("--api-key"))
    case "google": MockGeminiWorker(apiKey: option("--api-key"))
    default: MockOpenAIWorker(name: option("--name") ?? "mock-openai", apiKey: option("--api-key"))
    }
let runtime = Runtime(worker: worker, env: Env(fetcher: NoUpstream()), group: group, configuration: configuration,
                      logger: Logger(label: "mock", level: .warning))
try await runtime.run {
    // Tests read the bound port from the first line of standard output (written unbuffered: it's a pipe).
    FileHandle.standardOutput.write(Data("listening on \(runtime.server.port ?? 0)\n".utf8))
}
group.shutdown()
