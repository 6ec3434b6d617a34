// [[kv_namespaces]], [dev] and [server].
extension WranglerConfig {
    static func kvNamespaces(_ root: ConfigTable) throws(ConfigError) -> [KVNamespaceConfig] {
        guard let value = root.table["kv_namespaces"] else { return [] }
        guard let elements = value.array else {
            throw root.wrongType("kv_namespaces", value, expected: "an array of tables ([[kv_namespaces]])")
        }
        var namespaces: [KVNamespaceConfig] = []
        for (index, element) in elements.enumerated() {
            guard let table = element.table else {
                throw root.wrongType("kv_namespaces", element, expected: "an array of tables ([[kv_namespaces]])")
            }
            let entry = ConfigTable(table: table, file: root.file, path: "kv_namespaces[\(index)]", line: element.line)
            namespaces.append(try kvNamespace(entry))
        }
        return namespaces
    }

    private static func kvNamespace(_ entry: ConfigTable) throws(ConfigError) -> KVNamespaceConfig {
        guard let binding = try entry.nonEmptyString("binding") else {
            throw entry.failure(.missingValue, "missing binding = \"NAME\"", key: "binding")
        }
        guard binding.unicodeScalars.allSatisfy(isIdentifierScalar),
            !("0"..."9").contains(binding.unicodeScalars.first!)
        else {
            throw entry.failure(
                .invalidValue, "binding must be an identifier (letters, digits, _)", key: "binding",
                line: entry.table["binding"]?.line)
        }
        guard let backendName = try entry.string("backend") else {
            throw entry.failure(.missingValue, "missing backend = \"memory\" | \"file\" | \"redis\"", key: "backend")
        }
        let backend: KVBackendConfig
        switch backendName {
        case "memory":
            try entry.rejectUnknownKeys(["binding", "backend", "max_entries"], context: "a memory KV namespace")
            backend = .memory(maxEntries: try entry.integer("max_entries", in: 1...Int.max))
        case "file":
            try entry.rejectUnknownKeys(["binding", "backend", "path"], context: "a file KV namespace")
            guard let path = try entry.nonEmptyString("path") else {
                throw entry.failure(.missingValue, "the file backend needs path = \"kv-data/NAME\"", key: "path")
            }
            backend = .file(path: path)
        case "redis":
            try entry.rejectUnknownKeys(
                ["binding", "backend", "url", "timeout_ms", "read_timeout_ms"], context: "a redis KV namespace")
            guard let url = try entry.nonEmptyString("url") else {
                throw entry.failure(.missingValue, "the redis backend needs url = \"redis://host:6379/0\"", key: "url")
            }
            // The URL is not echoed: it may carry a password.
            guard url.hasPrefix("redis://") || url.hasPrefix("rediss://") else {
                throw entry.failure(
                    .invalidValue, "must start with redis:// or rediss://", key: "url", line: entry.table["url"]?.line)
            }
            let timeout = try entry.integer("timeout_ms", in: 1...maximumTimeoutMilliseconds).map(Duration.milliseconds)
            let readTimeout = try entry.integer("read_timeout_ms", in: 1...maximumTimeoutMilliseconds).map(
                Duration.milliseconds)
            backend = .redis(url: url, timeout: timeout, readTimeout: readTimeout)
        default:
            throw entry.failure(
                .invalidValue, "unknown backend \"\(backendName)\" (expected memory, file or redis)", key: "backend",
                line: entry.table["backend"]?.line)
        }
        return KVNamespaceConfig(binding: binding, backend: backend, line: entry.line)
    }

    static func limits(_ root: ConfigTable) throws(ConfigError) -> [LimitsConfig] {
        guard let value = root.table["limits"] else { return [] }
        guard let elements = value.array else {
            throw root.wrongType("limits", value, expected: "an array of tables ([[limits]])")
        }
        var entries: [LimitsConfig] = []
        for (index, element) in elements.enumerated() {
            guard let table = element.table else {
                throw root.wrongType("limits", element, expected: "an array of tables ([[limits]])")
            }
            let entry = ConfigTable(table: table, file: root.file, path: "limits[\(index)]", line: element.line)
            guard let binding = try entry.nonEmptyString("binding"),
                binding.unicodeScalars.allSatisfy(isIdentifierScalar),
                !("0"..."9").contains(binding.unicodeScalars.first!)
            else {
                throw entry.failure(.missingValue, "needs binding = \"NAME\" (an identifier)", key: "binding")
            }
            switch try entry.string("backend") ?? "memory" {
            case "memory":
                try entry.rejectUnknownKeys(["binding", "backend"], context: "a memory limits binding")
                entries.append(LimitsConfig(binding: binding, backend: .memory, line: entry.line))
            case "redis":
                try entry.rejectUnknownKeys(
                    ["binding", "backend", "url", "timeout_ms"], context: "a redis limits binding")
                guard let url = try entry.nonEmptyString("url"), url.hasPrefix("redis://") else {
                    throw entry.failure(
                        .missingValue, "the redis backend needs url = \"redis://host:6379/0\"", key: "url")
                }
                let timeout = try entry.integer("timeout_ms", in: 1...maximumTimeoutMilliseconds).map(
                    Duration.milliseconds)
                entries.append(
                    LimitsConfig(binding: binding, backend: .redis(url: url, timeout: timeout), line: entry.line))
            case let other:
                throw entry.failure(
                    .invalidValue, "unknown backend \"\(other)\" (expected memory or redis)", key: "backend",
                    line: entry.table["backend"]?.line)
            }
        }
        return entries
    }

    private static func isIdentifierScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
    }

    /// Longest timeout accepted, one day: anything longer is almost certainly a unit mistake.
    static let maximumTimeoutMilliseconds = 86_400_000

    static func server(dev: ConfigTable?, server: ConfigTable?) throws(ConfigError) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if let dev {
            try dev.rejectUnknownKeys(["ip", "port"], context: "[dev]")
            if let ip = try dev.nonEmptyString("ip") { configuration.host = ip }
            if let port = try dev.integer("port", in: 0...65535) { configuration.port = port }
        }
        guard let server else { return configuration }
        let timeouts: [(String, WritableKeyPath<ServerConfiguration, Duration>)] = [
            ("header_timeout_ms", \.headerTimeout), ("body_timeout_ms", \.bodyTimeout),
            ("request_timeout_ms", \.requestTimeout),
            ("idle_timeout_ms", \.idleTimeout), ("write_timeout_ms", \.writeTimeout),
            ("drain_timeout_ms", \.drainTimeout), ("drain_delay_ms", \.drainDelay),
        ]
        let sizes: [(String, WritableKeyPath<ServerConfiguration, Int>)] = [
            ("max_header_bytes", \.maxHeaderBytes), ("max_body_bytes", \.maxBodyBytes),
            ("write_high_water_mark_bytes", \.writeHighWaterMark), ("large_request_bytes", \.largeRequestBytes),
        ]
        try server.rejectUnknownKeys(["threads"] + sizes.map(\.0) + timeouts.map(\.0), context: "[server]")
        if let threads = try server.integer("threads", in: 1...1024) { configuration.threads = threads }
        for (key, path) in sizes {
            if let bytes = try server.integer(key, in: 1...Int(Int32.max)) { configuration[keyPath: path] = bytes }
        }
        for (key, path) in timeouts {
            if let milliseconds = try server.integer(key, in: 1...maximumTimeoutMilliseconds) {
                configuration[keyPath: path] = .milliseconds(milliseconds)
            }
        }
        return configuration
    }
}
