import EdgeRuntime
import Foundation
import MockUpstream

/// Runs the built `aiproxy` binary against an in-process mock upstream, for tests that need a
/// real process: signals, exit codes, the command line.
final class ProcessHarness: @unchecked Sendable {
    // @unchecked: set up once in `start`, then only read.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The `aiproxy` built beside this test bundle, so a run with its own scratch path and
    /// sanitizer (`make sanitize`: `.build-asan`, `.build-tsan`) drives its own build of the proxy.
    static let binary: String = {
        let builtBeside = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("aiproxy").path
        if let builtBeside, FileManager.default.isExecutableFile(atPath: builtBeside) { return builtBeside }
        return packageRoot.appendingPathComponent(".build/debug/aiproxy").path
    }()

    let mock = MockOpenAIWorker()
    let mockGroup = EventLoopGroup(threadCount: 1, name: "mock")
    var mockRuntime: Runtime!
    var proxy: Process!
    var proxyPort = 0
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aiproxy-it-\(UUID().uuidString)")

    func start(drainMilliseconds: Int = 10_000) async throws {
        var mockConfiguration = ServerConfiguration()
        mockConfiguration.port = 0
        mockConfiguration.threads = 1
        mockRuntime = Runtime(worker: mock, env: Env(fetcher: InProcessFetchClient(routes: [:])), group: mockGroup,
                              configuration: mockConfiguration, logger: Logger(label: "mock", level: .error))
        try await mockRuntime.start()
        proxyPort = Self.freePort()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = """
            [vars]
            OPENAI_BASE_URL = "http://127.0.0.1:\(mockRuntime.server.port!)/v1"
            [[kv_namespaces]]
            binding = "CACHE"
            backend = "memory"
            [dev]
            port = \(proxyPort)
            [server]
            drain_timeout_ms = \(drainMilliseconds)
            """
        let configPath = directory.appendingPathComponent("wrangler.toml").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: Self.binary)
        proxy.arguments = ["--config", configPath]
        proxy.standardError = FileHandle.nullDevice
        try proxy.run()
        for _ in 0..<500 {
            if try await curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", url("/healthz")]).output == "200" { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "aiproxy did not answer /healthz"])
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(proxyPort)\(path)" }

    func setMockBehavior(_ json: String) async throws {
        let request = Request(method: .post, url: "http://mock/__mock/behavior", body: Body(string: json))
        _ = try await mock.fetch(request, env: Env(fetcher: InProcessFetchClient(routes: [:])), ctx: ExecutionContext(requestID: "t", tracker: BackgroundWork()))
    }

    /// Runs `curl` to completion: its exit status and standard output.
    func curl(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = await Self.readAll(pipe)
        await Self.wait(process)
        return (process.terminationStatus, output)
    }

    static func readAll(_ pipe: Pipe) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
    }

    static func wait(_ process: Process) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    func stop() async {
        if proxy?.isRunning == true { proxy.terminate() }
        if let proxy { await Self.wait(proxy) }
        await mockRuntime?.shutdown()
        mockGroup.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: bound.sin_port))
    }
}
