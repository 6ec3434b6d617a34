import EdgeRuntime

/// Builds the KV namespaces `[[kv_namespaces]]` entries describe.
struct KVFactory {
    let configPath: String
    let group: EventLoopGroup
    let logger: Logger
    /// One client per Redis server, shared by the namespaces on it: one connection per loop, one circuit breaker.
    private var redisClients: [RedisURL: RedisClient] = [:]

    init(configPath: String, group: EventLoopGroup, logger: Logger) {
        self.configPath = configPath
        self.group = group
        self.logger = logger
    }

    mutating func make(_ config: KVNamespaceConfig) throws -> any KVNamespace {
        switch config.backend {
        case .memory(let maxEntries):
            return MemoryKV(maxEntries: maxEntries ?? 100_000)
        case .file(let path):
            return try FileKV(directory: path)
        case .redis(let text, let timeout, let readTimeout):
            let url: RedisURL
            do {
                url = try RedisURL(text)
            } catch let error as KVError {
                throw ConfigError(
                    code: .invalidValue, message: error.message, file: configPath, line: config.line,
                    key: "kv_namespaces.url")
            }
            let client = redisClients[url] ?? RedisClient(url: url, group: group, logger: logger)
            redisClients[url] = client
            // One Redis database can hold every namespace: each gets its own key prefix.
            return RedisKV(
                client: client, prefix: "aiproxy:\(config.binding):", timeout: timeout ?? .seconds(2),
                readTimeout: readTimeout)
        }
    }

    /// Builds the limits binding a `[[limits]]` entry describes (on the same Redis client as the
    /// namespaces on that server).
    mutating func makeLimits(_ config: LimitsConfig) throws -> any LimitsNamespace {
        switch config.backend {
        case .memory:
            return MemoryLimits()
        case .redis(let text, let timeout):
            let url: RedisURL
            do {
                url = try RedisURL(text)
            } catch let error as KVError {
                throw ConfigError(
                    code: .invalidValue, message: error.message, file: configPath, line: config.line, key: "limits.url")
            }
            let client = redisClients[url] ?? RedisClient(url: url, group: group, logger: logger)
            redisClients[url] = client
            return RedisLimits(client: client, prefix: "aiproxy:\(config.binding):", timeout: timeout ?? .seconds(2))
        }
    }

    /// Secrets the proxy reads from the process environment even when `wrangler.toml` doesn't
    /// declare them, so `AIPROXY_MASTER_KEY=… make run` works without editing the file.
    static let environmentSecrets = ["AIPROXY_MASTER_KEY", "AIPROXY_ADMIN_TOKEN"]

    static func env(
        _ config: ResolvedConfig, group: EventLoopGroup, fetcher: any FetchClient, environment: [String: String],
        logger: Logger = Logger(label: "kv")
    ) throws -> Env {
        var bindings: [String: Binding] = [:]
        for (name, value) in config.vars { bindings[name] = .text(value) }
        for name in environmentSecrets {
            if let value = environment[name], !value.isEmpty { bindings[name] = .secret(value) }
        }
        for (name, value) in config.secrets { bindings[name] = .secret(value) }
        var factory = KVFactory(configPath: config.configPath, group: group, logger: logger)
        for namespace in config.kvNamespaces {
            bindings[namespace.binding] = .kv(try factory.make(namespace))
        }
        for entry in config.limits {
            bindings[entry.binding] = .limits(try factory.makeLimits(entry))
        }
        return Env(bindings: bindings, fetcher: fetcher)
    }
}
