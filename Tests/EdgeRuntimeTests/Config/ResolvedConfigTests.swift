import EdgeRuntime
import Testing

@Suite struct ResolvedConfigTests {
    static let wrangler = """
        name = "aiproxy"
        secrets = ["OPENAI_API_KEY"]

        [vars]
        CACHE_TTL_SECONDS = "604800"
        CREDENTIALS_CACHE_SECONDS = "60"
        LOG_LEVEL = "info"

        [[kv_namespaces]]
        binding = "CACHE"
        backend = "file"
        path = "kv-data/cache"

        [dev]
        ip = "127.0.0.1"
        port = 8787
        """

    /// An in-memory file system for `readFile`.
    static func files(_ files: [String: String]) -> (String) throws(ConfigError) -> String? {
        { path throws(ConfigError) in files[path] }
    }

    static func load(
        _ arguments: [String] = [], environment: [String: String] = [:], files: [String: String]
    ) throws(ConfigError) -> ResolvedConfig {
        try ResolvedConfig.load(
            options: LaunchOptions(arguments: arguments), environment: environment, readFile: Self.files(files))
    }

    @Test func fileAloneGivesItsValues() throws {
        let config = try Self.load(
            environment: ["OPENAI_API_KEY": "sk-env"], files: ["wrangler.toml": Self.wrangler])
        #expect(config.name == "aiproxy")
        #expect(config.configPath == "wrangler.toml")
        #expect(config.devVarsPath == nil)
        #expect(config.vars == ["CACHE_TTL_SECONDS": "604800", "CREDENTIALS_CACHE_SECONDS": "60", "LOG_LEVEL": "info"])
        #expect(config.secrets == ["OPENAI_API_KEY": "sk-env"])
        #expect(config.kvNamespaces.map(\.binding) == ["CACHE"])
        #expect(config.server.host == "127.0.0.1" && config.server.port == 8787)
    }

    @Test func precedenceIsFlagThenEnvironmentThenDevVarsThenFile() throws {
        let files = [
            "conf/wrangler.toml": Self.wrangler,
            "conf/.dev.vars": "OPENAI_API_KEY=sk-devvars\nCREDENTIALS_CACHE_SECONDS=30\nLOG_LEVEL=debug\nEXTRA=1\n",
        ]
        let environment = [
            "AIPROXY_CONFIG": "conf/wrangler.toml", "AIPROXY_PORT": "9000", "AIPROXY_IP": "0.0.0.0",
            "CACHE_TTL_SECONDS": "3600", "LOG_LEVEL": "warn", "OPENAI_API_KEY": "sk-env",
            "UNRELATED": "ignored",
        ]
        let config = try Self.load(
            ["--port", "9100", "--var", "LOG_LEVEL=error"], environment: environment, files: files)
        #expect(config.configPath == "conf/wrangler.toml")
        #expect(config.devVarsPath == "conf/.dev.vars")
        #expect(config.server.port == 9100, "flag over environment")
        #expect(config.server.host == "0.0.0.0", "environment over file")
        #expect(config.vars["CACHE_TTL_SECONDS"] == "3600", "environment over file")
        #expect(config.vars["LOG_LEVEL"] == "error", "flag over environment over .dev.vars")
        #expect(config.secrets["LOG_LEVEL"] == nil, "a --var is not a secret")
        #expect(config.vars["CREDENTIALS_CACHE_SECONDS"] == "30", ".dev.vars over file; a [vars] key stays a var")
        #expect(config.secrets["CREDENTIALS_CACHE_SECONDS"] == nil)
        #expect(config.secrets["OPENAI_API_KEY"] == "sk-env", "environment over .dev.vars for declared secrets")
        #expect(config.secrets["EXTRA"] == "1")
        #expect(config.vars["UNRELATED"] == nil && config.secrets["UNRELATED"] == nil)
    }

    @Test func configFlagBeatsEnvironmentAndDevVarsFlagIsUsed() throws {
        let files = [
            "a.toml": "[dev]\nport = 1\n", "b.toml": "[dev]\nport = 2\n", "s.env": "TOKEN=t\n",
        ]
        let config = try Self.load(
            ["--config", "a.toml", "--dev-vars", "s.env"], environment: ["AIPROXY_CONFIG": "b.toml"], files: files)
        #expect(config.server.port == 1)
        #expect(config.secrets == ["TOKEN": "t"])
    }

    @Test func missingDeclaredSecretNamesFileLineAndKey() {
        #expect {
            try Self.load(files: ["wrangler.toml": Self.wrangler])
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.code == .missingValue && error.file == "wrangler.toml" && error.line == 2
                && error.key == "OPENAI_API_KEY" && error.description.hasPrefix("wrangler.toml:2: OPENAI_API_KEY: ")
        }
    }

    @Test func missingFilesAreErrorsExceptTheDefaultDevVars() throws {
        #expect {
            try Self.load(files: [:])
        } throws: { ($0 as? ConfigError)?.code == .unreadableFile && ($0 as? ConfigError)?.file == "wrangler.toml" }
        #expect {
            try Self.load(["--dev-vars", "nope.env"], files: ["wrangler.toml": ""])
        } throws: { ($0 as? ConfigError)?.file == "nope.env" }
        #expect(try Self.load(files: ["wrangler.toml": ""]).secrets.isEmpty)
    }

    @Test func badEnvironmentPortNamesTheVariable() {
        #expect {
            try Self.load(environment: ["AIPROXY_PORT": "99999"], files: ["wrangler.toml": ""])
        } throws: { ($0 as? ConfigError)?.key == "AIPROXY_PORT" && ($0 as? ConfigError)?.code == .invalidValue }
    }

    @Test func fileErrorsSurfaceWithTheirLocation() {
        #expect {
            try Self.load(files: ["wrangler.toml": "[dev]\nport = 8787\nprot = 1\n"])
        } throws: { ($0 as? ConfigError)?.description.hasPrefix("wrangler.toml:3: dev.prot: ") == true }
        #expect {
            try Self.load(files: ["wrangler.toml": "", ".dev.vars": "OK=1\nbroken line\n"])
        } throws: { ($0 as? ConfigError)?.description.hasPrefix(".dev.vars:2: ") == true }
    }

    @Test func descriptionsNeverShowSecretValues() throws {
        let config = try Self.load(
            environment: ["OPENAI_API_KEY": "sk-very-secret"],
            files: ["wrangler.toml": Self.wrangler, ".dev.vars": "OTHER=also-secret\n"])
        for text in [
            String(describing: config), String(reflecting: config),
            {
                var s = ""
                dump(config, to: &s)
                return s
            }(),
        ] {
            #expect(text.contains("OPENAI_API_KEY"))
            #expect(!text.contains("sk-very-secret") && !text.contains("also-secret"))
        }
    }

    @Test func anAdminListenerComesFromItsSectionOrTheFlag() throws {
        let environment = ["OPENAI_API_KEY": "sk"]
        #expect(try Self.load(environment: environment, files: ["wrangler.toml": Self.wrangler]).admin == nil)
        let withSection = Self.wrangler + "\n[admin]\nport = 9001\n"
        #expect(
            try Self.load(environment: environment, files: ["wrangler.toml": withSection]).admin
                == AdminListenerConfig(port: 9001))
        let moved = try Self.load(
            ["--admin-port", "9002"], environment: environment, files: ["wrangler.toml": withSection])
        #expect(moved.admin == AdminListenerConfig(host: "127.0.0.1", port: 9002))
        let turnedOn = try Self.load(
            ["--admin-port", "9003"], environment: environment, files: ["wrangler.toml": Self.wrangler])
        #expect(turnedOn.admin?.port == 9003)
        #expect(throws: ConfigError.self) {
            try Self.load(
                environment: environment, files: ["wrangler.toml": Self.wrangler + "\n[admin]\nhost = \"x\"\n"])
        }
    }
}
