import EdgeRuntime
import Testing

@Suite struct LaunchCommandTests {
    @Test func helpNeedsNoConfigFile() throws {
        let command = try LaunchCommand.resolve(arguments: ["--help"], environment: [:]) { _ throws(ConfigError) in
            Issue.record("--help must not read files")
            return nil
        }
        guard case .help(let usage) = command else { return #expect(Bool(false), "expected .help") }
        #expect(usage == LaunchOptions.usage)
    }

    @Test func runLoadsTheConfiguration() throws {
        let command = try LaunchCommand.resolve(arguments: ["--port", "0"], environment: [:]) {
            path throws(ConfigError) in
            path == "wrangler.toml" ? "name = \"aiproxy\"\n" : nil
        }
        guard case .run(let config) = command else { return #expect(Bool(false), "expected .run") }
        #expect(config.name == "aiproxy")
        #expect(config.server.port == 0)
    }
}
