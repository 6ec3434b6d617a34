/// The `aiproxy` command-line flags, parsed but not yet combined with the environment and files.
public struct LaunchOptions: Sendable, Equatable {
    /// `--config PATH`.
    public var configPath: String?
    /// `--dev-vars PATH`; when given, the file must exist.
    public var devVarsPath: String?
    /// `--ip ADDR`.
    public var ip: String?
    /// `--port N` (0...65535).
    public var port: Int?
    /// `--admin-port N`: the admin listener's port (turns it on without `[admin]`).
    public var adminPort: Int?
    /// `--var KEY=VALUE`, repeatable; a later flag for the same key wins.
    public var vars: [String: String] = [:]
    /// `--help` / `-h`.
    public var showHelp = false

    /// No flags.
    public init() {}

    /// Parses `arguments` (without the program name). Flags take `--flag VALUE` or `--flag=VALUE`.
    /// - Throws: ``ConfigError`` `.usage` for an unknown flag or a missing value, `.invalidValue` for a bad port.
    public init(arguments: [String]) throws(ConfigError) {
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            var flag = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws(ConfigError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst() else {
                    throw ConfigError(code: .usage, message: "needs a value (see --help)", key: flag)
                }
                return next
            }
            switch flag {
            case "-h", "--help": showHelp = true
            case "--config": configPath = try value()
            case "--dev-vars": devVarsPath = try value()
            case "--ip": ip = try value()
            case "--port": port = try Self.port(try value(), key: flag)
            case "--admin-port": adminPort = try Self.port(try value(), key: flag)
            case "--var":
                let assignment = try value()
                guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                    throw ConfigError(code: .usage, message: "expects KEY=VALUE", key: flag)
                }
                vars[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
            default:
                throw ConfigError(code: .usage, message: "unknown option (see --help)", key: argument)
            }
        }
    }

    /// A listen port from a flag or environment variable named `key`.
    static func port(_ text: String, key: String) throws(ConfigError) -> Int {
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ConfigError(code: .invalidValue, message: "\"\(text)\" is not a port number (0...65535)", key: key)
        }
        return port
    }

    /// The `--help` text.
    public static let usage = """
        Usage: aiproxy [options]

        Runs the AI proxy with the bindings and server settings from wrangler.toml.

        Options:
          --config PATH     config file (default: wrangler.toml, or $AIPROXY_CONFIG)
          --dev-vars PATH   secrets file, KEY=value lines (default: .dev.vars next to the config, if present)
          --ip ADDR         address to listen on (overrides [dev] ip and $AIPROXY_IP)
          --port N          port to listen on, 0-65535 (overrides [dev] port and $AIPROXY_PORT)
          --admin-port N    the admin listener's port (overrides [admin] port; turns it on)
          --var KEY=VALUE   set a [vars] value (repeatable)
          -h, --help        show this help

        Precedence: flag > environment > .dev.vars > wrangler.toml. An environment variable or .dev.vars
        entry named like a [vars] key overrides it. Every other .dev.vars entry is a secret, and so is each
        environment variable named in wrangler.toml's secrets = [...] list; secret values are never printed.
        """
}
