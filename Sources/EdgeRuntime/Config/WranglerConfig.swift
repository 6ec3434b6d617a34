/// The typed contents of `wrangler.toml` (DESIGN §4): name, `[vars]`, declared secrets, KV namespaces and
/// the server settings from `[dev]` and `[server]`.
///
/// Unknown keys are errors naming file, line and key. This only describes the KV backends; building
/// them is the runtime's job.
public struct WranglerConfig: Sendable, Equatable {
    /// The worker's name (`name = "aiproxy"`).
    public var name: String?
    /// `[vars]`, with integer and boolean values turned into their text.
    public var vars: [String: String]
    /// Names listed in `secrets = [...]`: secrets that must come from the environment or `.dev.vars`.
    public var secretNames: [String]
    /// `[[kv_namespaces]]`, in file order.
    public var kvNamespaces: [KVNamespaceConfig]
    /// `[[limits]]`, in file order.
    public var limits: [LimitsConfig] = []
    /// `[admin]`: the operators' listener, when the file has the section.
    public var admin: AdminListenerConfig?
    /// Listen address from `[dev]`, limits from `[server]`; unset keys keep ``ServerConfiguration``'s defaults.
    public var server: ServerConfiguration
    /// Line of `secrets = [...]`, for the error when one is missing.
    var secretsLine: Int?

    /// An empty configuration: no vars, secrets or namespaces, default server settings.
    public init(
        name: String? = nil, vars: [String: String] = [:], secretNames: [String] = [],
        kvNamespaces: [KVNamespaceConfig] = [], server: ServerConfiguration = ServerConfiguration()
    ) {
        self.name = name
        self.vars = vars
        self.secretNames = secretNames
        self.kvNamespaces = kvNamespaces
        self.server = server
    }

    /// Parses and checks the TOML text of a `wrangler.toml`; `file` names it in errors.
    /// - Throws: ``ConfigError`` naming file, line and key.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> WranglerConfig {
        try WranglerConfig(table: TOMLParser.parse(text, file: file), file: file)
    }

    /// Checks an already parsed document.
    /// - Throws: ``ConfigError`` naming file, line and key.
    public init(table: TOMLTable, file: String) throws(ConfigError) {
        let root = ConfigTable(table: table, file: file, path: "", line: 1)
        try root.rejectUnknownKeys(
            ["name", "secrets", "vars", "kv_namespaces", "limits", "dev", "server", "admin"], context: "wrangler.toml")
        self.init(name: try root.nonEmptyString("name"))
        vars = try Self.vars(root.subtable("vars"))
        (secretNames, secretsLine) = try Self.secretNames(root)
        kvNamespaces = try Self.kvNamespaces(root)
        limits = try Self.limits(root)
        server = try Self.server(dev: root.subtable("dev"), server: root.subtable("server"))
        if let table = try root.subtable("admin") {
            try table.rejectUnknownKeys(["ip", "port"], context: "[admin]")
            var admin = AdminListenerConfig()
            if let ip = try table.nonEmptyString("ip") { admin.host = ip }
            if let port = try table.integer("port", in: 0...65535) { admin.port = port }
            self.admin = admin
        }
        try checkNamesAreUnique(root)
    }

    private static func vars(_ table: ConfigTable?) throws(ConfigError) -> [String: String] {
        guard let table else { return [:] }
        var vars: [String: String] = [:]
        for (name, value) in table.table.entries {
            switch value.kind {
            case .string(let string): vars[name] = string
            case .integer(let integer): vars[name] = String(integer)
            case .boolean(let boolean): vars[name] = String(boolean)
            default: throw table.wrongType(name, value, expected: "a string, integer or boolean")
            }
        }
        return vars
    }

    private static func secretNames(_ root: ConfigTable) throws(ConfigError) -> ([String], Int?) {
        guard let value = root.table["secrets"] else { return ([], nil) }
        guard let array = value.array else { throw root.wrongType("secrets", value, expected: "an array of names") }
        var names: [String] = []
        for element in array {
            guard let name = element.string, !name.isEmpty else {
                throw root.wrongType("secrets", element, expected: "an array of non-empty strings")
            }
            names.append(name)
        }
        return (names, value.line)
    }

    /// A name bound twice (as a var, a secret or a KV namespace) would make ``Env`` lookups ambiguous.
    private func checkNamesAreUnique(_ root: ConfigTable) throws(ConfigError) {
        var seen = Set(vars.keys)
        for name in secretNames {
            guard seen.insert(name).inserted else {
                throw root.failure(
                    .duplicateKey, "bound twice (as a var and/or a secret)", key: "secrets",
                    line: secretsLine)
            }
        }
        for namespace in kvNamespaces {
            guard seen.insert(namespace.binding).inserted else {
                throw ConfigError(
                    code: .duplicateKey, message: "binding \(namespace.binding) is already used", file: root.file,
                    line: namespace.line, key: "kv_namespaces.binding")
            }
        }
        for entry in limits {
            guard seen.insert(entry.binding).inserted else {
                throw ConfigError(
                    code: .duplicateKey, message: "binding \(entry.binding) is already used", file: root.file,
                    line: entry.line,
                    key: "limits.binding")
            }
        }
    }
}
