import EdgeRuntime
import Testing

@Suite struct WranglerConfigTests {
    static let designExample = """
        name = "aiproxy"
        secrets = ["OPENAI_API_KEY"]

        [vars]
        CACHE_TTL_SECONDS = "604800"       # one week, the cap
        CREDENTIALS_CACHE_SECONDS = 60
        DEBUG = false

        [[kv_namespaces]]
        binding = "CACHE"                  # encrypted responses
        backend = "file"                   # memory | file | redis
        path = "kv-data/cache"

        [[kv_namespaces]]
        binding = "CONTROL"
        backend = "redis"
        url = "redis://127.0.0.1:6379/0"

        [[kv_namespaces]]
        binding = "SCRATCH"
        backend = "memory"
        max_entries = 10000

        [dev]
        ip = "0.0.0.0"
        port = 8788

        [server]
        threads = 2
        max_header_bytes = 16384
        max_body_bytes = 1048576
        header_timeout_ms = 5000
        body_timeout_ms = 20000
        idle_timeout_ms = 30000
        write_timeout_ms = 40000
        drain_timeout_ms = 1500
        """

    @Test func parsesTheDesignExample() throws {
        let config = try WranglerConfig.parse(Self.designExample, file: "wrangler.toml")
        #expect(config.name == "aiproxy")
        #expect(config.secretNames == ["OPENAI_API_KEY"])
        #expect(config.vars == ["CACHE_TTL_SECONDS": "604800", "CREDENTIALS_CACHE_SECONDS": "60", "DEBUG": "false"])
        #expect(
            config.kvNamespaces == [
                KVNamespaceConfig(binding: "CACHE", backend: .file(path: "kv-data/cache"), line: 9),
                KVNamespaceConfig(binding: "CONTROL", backend: .redis(url: "redis://127.0.0.1:6379/0"), line: 14),
                KVNamespaceConfig(binding: "SCRATCH", backend: .memory(maxEntries: 10000), line: 19),
            ])
        var expected = ServerConfiguration()
        expected.host = "0.0.0.0"
        expected.port = 8788
        expected.threads = 2
        expected.maxHeaderBytes = 16384
        expected.maxBodyBytes = 1_048_576
        expected.headerTimeout = .milliseconds(5000)
        expected.bodyTimeout = .milliseconds(20000)
        expected.idleTimeout = .milliseconds(30000)
        expected.writeTimeout = .milliseconds(40000)
        expected.drainTimeout = .milliseconds(1500)
        #expect(config.server == expected)
    }

    @Test func everythingIsOptional() throws {
        let config = try WranglerConfig.parse("", file: "wrangler.toml")
        #expect(config == WranglerConfig())
        #expect(config.server == ServerConfiguration())
        let memory = try WranglerConfig.parse(
            "[[kv_namespaces]]\nbinding = \"CACHE\"\nbackend = \"memory\"\n", file: "w.toml")
        #expect(memory.kvNamespaces.first?.backend == .memory(maxEntries: nil))
    }

    struct BadConfig: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let line: Int
        let key: String
        let code: ConfigError.Code
        var testDescription: String { name }
    }

    static let badConfigs: [BadConfig] = [
        BadConfig(
            name: "unknown top-level key", text: "name = \"x\"\nmain = \"src/index.ts\"\n", line: 2,
            key: "main", code: .unknownKey),
        BadConfig(
            name: "typo in [server]", text: "[server]\nthreads = 2\nmax_body_byte = 10\n", line: 3,
            key: "server.max_body_byte", code: .unknownKey),
        BadConfig(
            name: "unknown key in [dev]", text: "[dev]\nhost = \"x\"\n", line: 2, key: "dev.host",
            code: .unknownKey),
        BadConfig(
            name: "port out of range", text: "[dev]\nport = 70000\n", line: 2, key: "dev.port",
            code: .invalidValue),
        BadConfig(
            name: "port as a string", text: "[dev]\nport = \"8787\"\n", line: 2, key: "dev.port",
            code: .invalidValue),
        BadConfig(
            name: "zero timeout", text: "\n[server]\nidle_timeout_ms = 0\n", line: 3,
            key: "server.idle_timeout_ms", code: .invalidValue),
        BadConfig(name: "float var", text: "[vars]\nRATIO = 0.5\n", line: 2, key: "vars.RATIO", code: .invalidValue),
        BadConfig(
            name: "kv key for another backend",
            text: "[[kv_namespaces]]\nbinding = \"C\"\nbackend = \"file\"\npath = \"p\"\nurl = \"redis://x\"\n",
            line: 5, key: "kv_namespaces[0].url", code: .unknownKey),
        BadConfig(
            name: "kv missing path", text: "[[kv_namespaces]]\nbinding = \"C\"\nbackend = \"file\"\n", line: 1,
            key: "kv_namespaces[0].path", code: .missingValue),
        BadConfig(
            name: "kv missing binding", text: "x = 1\n[[kv_namespaces]]\nbackend = \"memory\"\n", line: 1,
            key: "x", code: .unknownKey),
        BadConfig(
            name: "kv binding missing",
            text: "[[kv_namespaces]]\nbinding = \"A\"\nbackend = \"memory\"\n[[kv_namespaces]]\nbackend = \"memory\"\n",
            line: 4, key: "kv_namespaces[1].binding", code: .missingValue),
        BadConfig(
            name: "kv unknown backend",
            text: "[[kv_namespaces]]\nbinding = \"C\"\nbackend = \"s3\"\n", line: 3,
            key: "kv_namespaces[0].backend", code: .invalidValue),
        BadConfig(
            name: "redis url scheme",
            text: "[[kv_namespaces]]\nbinding = \"C\"\nbackend = \"redis\"\nurl = \"http://x\"\n", line: 4,
            key: "kv_namespaces[0].url", code: .invalidValue),
        BadConfig(
            name: "binding used twice",
            text: "[vars]\nCACHE = \"1\"\n[[kv_namespaces]]\nbinding = \"CACHE\"\nbackend = \"memory\"\n", line: 3,
            key: "kv_namespaces.binding", code: .duplicateKey),
        BadConfig(
            name: "secrets not strings", text: "secrets = [\"A\", 1]\n", line: 1, key: "secrets",
            code: .invalidValue),
        BadConfig(
            name: "kv_namespaces as a table", text: "[kv_namespaces]\nbinding = \"C\"\n", line: 1,
            key: "kv_namespaces", code: .invalidValue),
    ]

    @Test(arguments: badConfigs) func errorsNameFileLineAndKey(_ bad: BadConfig) {
        do {
            _ = try WranglerConfig.parse(bad.text, file: "wrangler.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == bad.code)
            #expect(error.file == "wrangler.toml")
            #expect(error.line == bad.line)
            #expect(error.key == bad.key)
            #expect(error.description.hasPrefix("wrangler.toml:\(bad.line): \(bad.key): "))
        }
    }
}
