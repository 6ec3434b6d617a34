/// Everything `aiproxy` needs to start, after flags, environment, `.dev.vars` and `wrangler.toml` are combined.
///
/// Precedence: flag > environment > `.dev.vars` > file. Its descriptions name secrets but never show them.
public struct ResolvedConfig: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The worker's name from the file.
    public var name: String?
    /// Where to listen and the limits to enforce.
    public var server: ServerConfiguration
    /// Plain-text variables (become ``Binding/text(_:)``).
    public var vars: [String: String]
    /// Secrets (become ``Binding/secret(_:)``); never log these values.
    public var secrets: [String: String]
    /// KV namespaces to build, in file order.
    public var kvNamespaces: [KVNamespaceConfig]
    /// Limits bindings to build, in file order.
    public var limits: [LimitsConfig] = []
    /// The admin listener, when `[admin]` or `--admin-port` asks for one.
    public var admin: AdminListenerConfig?
    /// The config file that was read.
    public var configPath: String
    /// The `.dev.vars` file that was read, or `nil` when there was none.
    public var devVarsPath: String?

    /// A resolved configuration from its parts, for tests and embedders.
    ///
    /// `aiproxy` gets one from ``load(options:environment:readFile:)`` instead.
    public init(
        name: String? = nil, server: ServerConfiguration = ServerConfiguration(), vars: [String: String] = [:],
        secrets: [String: String] = [:], kvNamespaces: [KVNamespaceConfig] = [], configPath: String,
        devVarsPath: String? = nil
    ) {
        self.name = name
        self.server = server
        self.vars = vars
        self.secrets = secrets
        self.kvNamespaces = kvNamespaces
        self.configPath = configPath
        self.devVarsPath = devVarsPath
    }

    /// Names only for secrets, so printing the configuration at startup is safe.
    public var description: String {
        let namespaces = kvNamespaces.map { "\($0.binding)=\(Self.describe($0.backend))" }
        return "ResolvedConfig(config: \(configPath), listen: \(server.host):\(server.port), "
            + "vars: [\(vars.keys.sorted().joined(separator: ", "))], "
            + "secrets: [\(secrets.keys.sorted().joined(separator: ", "))], "
            + "kv: [\(namespaces.joined(separator: ", "))])"
    }

    /// Same as ``description``: secrets stay hidden in `debugPrint` too.
    public var debugDescription: String { description }

    /// Hides secret values from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "name": name as Any, "server": server, "vars": vars,
                "secrets": secrets.keys.sorted().map { "\($0)=<redacted>" }, "kvNamespaces": kvNamespaces,
                "configPath": configPath, "devVarsPath": devVarsPath as Any,
            ])
    }

    private static func describe(_ backend: KVBackendConfig) -> String {
        switch backend {
        case .memory: "memory"
        case .file(let path): "file:\(path)"
        case .redis: "redis"  // the URL may hold a password
        }
    }
}
