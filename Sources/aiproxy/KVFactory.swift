import EdgeRuntime

/// Builds the KV namespace a `[[kv_namespaces]]` entry describes.
enum KVFactory {
    static func make(_ config: KVNamespaceConfig, configPath: String) throws -> any KVNamespace {
        switch config.backend {
        case .memory(let maxEntries):
            return MemoryKV(maxEntries: maxEntries ?? 100_000)
        case .file(let path):
            return try FileKV(directory: path)
        case .redis(let url):
            do {
                // One Redis database can hold every namespace: each gets its own key prefix.
                return RedisKV(url: try RedisURL(url), prefix: "aiproxy:\(config.binding):")
            } catch let error as KVError {
                throw ConfigError(code: .invalidValue, message: error.message, file: configPath, line: config.line, key: "kv_namespaces.url")
            }
        }
    }

    /// Secrets the proxy reads from the process environment even when `wrangler.toml` doesn't
    /// declare them, so `AIPROXY_MASTER_KEY=… make run` works without editing the file.
    static let environmentSecrets = ["AIPROXY_MASTER_KEY"]

    static func env(_ config: ResolvedConfig, fetcher: any FetchClient, environment: [String: String]) throws -> Env {
        var bindings: [String: Binding] = [:]
        for (name, value) in config.vars { bindings[name] = .text(value) }
        for name in environmentSecrets {
            if let value = environment[name], !value.isEmpty { bindings[name] = .secret(value) }
        }
        for (name, value) in config.secrets { bindings[name] = .secret(value) }
        for namespace in config.kvNamespaces {
            bindings[namespace.binding] = .kv(try make(namespace, configPath: config.configPath))
        }
        return Env(bindings: bindings, fetcher: fetcher)
    }
}
