internal import FoundationEssentials

extension ResolvedConfig {
    /// Names of the environment variables that override the file (besides `[vars]` keys and declared secrets).
    public enum EnvironmentKey {
        /// Config file path, below `--config`.
        public static let config = "AIPROXY_CONFIG"
        /// Listen port, below `--port`.
        public static let port = "AIPROXY_PORT"
        /// Listen address, below `--ip`.
        public static let ip = "AIPROXY_IP"
    }

    /// Combines flags, environment, `.dev.vars` and `wrangler.toml` (highest precedence first).
    /// - Parameters:
    ///   - options: Parsed command-line flags.
    ///   - environment: The process environment (a dictionary, so tests never touch the real one).
    ///   - readFile: Returns a file's text, or `nil` when it does not exist.
    /// - Throws: ``ConfigError`` naming the file, line and key (or the flag / variable) at fault.
    public static func load(
        options: LaunchOptions, environment: [String: String],
        readFile: (String) throws(ConfigError) -> String? = ResolvedConfig.readFileFromDisk
    ) throws(ConfigError) -> ResolvedConfig {
        let configPath = options.configPath ?? environment[EnvironmentKey.config] ?? "wrangler.toml"
        guard let text = try readFile(configPath) else {
            throw ConfigError(
                code: .unreadableFile, message: "config file not found (use --config PATH or \(EnvironmentKey.config))",
                file: configPath)
        }
        let file = try WranglerConfig.parse(text, file: configPath)
        let bindings = Set(file.kvNamespaces.map(\.binding) + file.limits.map(\.binding))

        let devVarsPath = options.devVarsPath ?? siblingPath(".dev.vars", of: configPath)
        let devVarsText = try readFile(devVarsPath)
        if devVarsText == nil && options.devVarsPath != nil {
            throw ConfigError(code: .unreadableFile, message: "file not found (from --dev-vars)", file: devVarsPath)
        }
        let devVars = try devVarsText.map { text throws(ConfigError) in try DevVars.parse(text, file: devVarsPath) }

        var config = ResolvedConfig(
            name: file.name, server: file.server, vars: file.vars, kvNamespaces: file.kvNamespaces,
            configPath: configPath,
            devVarsPath: devVarsText == nil ? nil : devVarsPath)
        config.limits = file.limits
        config.admin = file.admin
        if let port = options.adminPort {
            config.admin = AdminListenerConfig(host: file.admin?.host ?? "127.0.0.1", port: port)
        }
        // .dev.vars over the file. An entry named like a [vars] key overrides that var and stays plain text
        // (so `env.variable` still finds it); every other entry is a secret.
        for (name, value) in devVars ?? [:] {
            if bindings.contains(name) {
                throw ConfigError(
                    code: .duplicateKey, message: "is a KV namespace binding in \(configPath)", file: devVarsPath,
                    key: name)
            }
            if file.vars[name] != nil { config.vars[name] = value } else { config.secrets[name] = value }
        }
        // Environment over .dev.vars: declared secrets, and [vars] keys.
        for name in file.secretNames {
            if let value = environment[name] { config.secrets[name] = value }
            if config.secrets[name] == nil {
                throw ConfigError(
                    code: .missingValue, message: "declared secret is not set (environment or \(devVarsPath))",
                    file: configPath, line: file.secretsLine, key: name)
            }
        }
        for name in file.vars.keys {
            if let value = environment[name] { config.vars[name] = value }
        }
        // Flags over everything.
        for (name, value) in options.vars {
            if bindings.contains(name) {
                throw ConfigError(code: .usage, message: "\(name) is a KV namespace binding, not a var", key: "--var")
            }
            config.vars[name] = value
            config.secrets[name] = nil
        }
        try applyListenAddress(to: &config.server, options: options, environment: environment)
        return config
    }

    private static func applyListenAddress(
        to server: inout ServerConfiguration, options: LaunchOptions, environment: [String: String]
    ) throws(ConfigError) {
        if let ip = environment[EnvironmentKey.ip], !ip.isEmpty { server.host = ip }
        if let port = environment[EnvironmentKey.port] {
            server.port = try LaunchOptions.port(port, key: EnvironmentKey.port)
        }
        if let ip = options.ip {
            guard !ip.isEmpty else { throw ConfigError(code: .usage, message: "needs an address", key: "--ip") }
            server.host = ip
        }
        if let port = options.port { server.port = port }
    }

    /// `name` in the directory of `path` (`.dev.vars` beside `config/wrangler.toml` is `config/.dev.vars`).
    static func siblingPath(_ name: String, of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return name }
        return String(path[...slash]) + name
    }

    /// Reads a UTF-8 file, or returns `nil` when nothing exists at `path`.
    /// - Throws: ``ConfigError`` `.unreadableFile` when it exists but cannot be read.
    public static func readFileFromDisk(_ path: String) throws(ConfigError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(code: .unreadableFile, message: "cannot read: \(error)", file: path)
        }
    }
}
