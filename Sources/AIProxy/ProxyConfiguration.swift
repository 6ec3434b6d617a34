public import EdgeRuntime
import FoundationEssentials

/// The worker's settings, read from `Env` vars and secrets once at start.
public struct ProxyConfiguration: Sendable {
    /// `CACHE_TTL_SECONDS`: lifetime of cache entries unless a request asks for less (≤ one week).
    public var cacheTTL = CachePolicy.maxTTL
    /// `CACHE_MODE`: the `x-bt-use-cache` mode of a request that doesn't send one (`auto`;
    /// `only` for a CI replay, `record` to fill the cache for one).
    public var cacheMode = CachePolicy.Mode.auto
    /// `CREDENTIALS_CACHE_SECONDS`: how long a resolved proxy key is reused in-process.
    public var credentialsCacheSeconds = 60.0
    /// `UPSTREAM_TIMEOUT_SECONDS`: longest upstream silence (before the head or between chunks)
    /// before failing over; the host gives it to its fetch client (`aiproxy` does).
    public var upstreamTimeout: Duration = .seconds(600)
    /// `STREAM_KEEPALIVE_SECONDS` (15; 0 = off): a streaming call's silence before its first
    /// byte after which the client gets the head and an SSE comment, then one every interval.
    public var streamKeepAlive: Duration? = .seconds(15)
    /// Request bodies the worker reads (the server's own limit applies first).
    public var maxBodyBytes = 10 * 1024 * 1024
    /// `MAX_BODY_JSON_VALUES`: values (scalars, arrays, objects and member names) a request body
    /// may hold. Parsing costs per value, not per byte: 10 MiB of `[[1],[1],…]` is 2.6M arrays
    /// and most of a second, so a body past this is refused as soon as the parser counts it. An
    /// embeddings call at OpenAI's 300k-token limit holds about 302k.
    public var maxBodyJSONValues = 500_000
    /// `<PROVIDER>_BASE_URL` overrides of where provider keys used directly are sent.
    public var providerBaseURLs: [ProviderKind: String] = [
        .anthropic: "https://api.anthropic.com/v1",
        .bedrock: "https://bedrock-runtime.{region}.amazonaws.com",
        .google: "https://generativelanguage.googleapis.com/v1beta",
        .openai: "https://api.openai.com/v1",
    ].merging(OpenAICompatibleHost.all.map { ($0.kind, $0.baseURL) }, uniquingKeysWith: { first, _ in first })
    /// `LIMITS_ON_STORE_FAILURE = "refuse" | "admit"`: what happens to a key with limits when
    /// the limits store can't decide. `refuse` (the default) answers 503: no surprise bills.
    public var limitsFailOpen = false
    /// `USAGE_LOG`: where one JSON line per call goes — `stdout` (fleets), a file path (local
    /// development), or unset / `off` for none.
    public var usageLog: String?
    /// `AIPROXY_MASTER_KEY`: seals endpoint secrets in the control store.
    public var masterKey: String?

    public init() {}

    /// Reads the settings from `env`.
    /// - Throws: ``ProxyError/invalidRequest(_:)`` naming a variable that isn't a number.
    public init(env: Env) throws {
        func number(_ name: String) throws -> Double? {
            guard let text = env.variable(name) ?? env.secret(name) else { return nil }
            guard let value = Double(text), value > 0 else {
                throw ConfigError(code: .invalidValue, message: "\(name) must be a positive number", key: name)
            }
            return value
        }
        if let ttl = try number("CACHE_TTL_SECONDS") { cacheTTL = min(Int(ttl), CachePolicy.maxTTL) }
        if let mode = env.variable("CACHE_MODE") {
            guard let named = CachePolicy.Mode(rawValue: mode.lowercased()) else {
                throw ConfigError(
                    code: .invalidValue, message: "CACHE_MODE must be auto, always, never, record or only, not \(mode)",
                    key: "CACHE_MODE")
            }
            cacheMode = named
        }
        if let seconds = try number("CREDENTIALS_CACHE_SECONDS") { credentialsCacheSeconds = seconds }
        if let seconds = try number("UPSTREAM_TIMEOUT_SECONDS") { upstreamTimeout = .milliseconds(Int(seconds * 1000)) }
        if env.variable("STREAM_KEEPALIVE_SECONDS") == "0" {
            streamKeepAlive = nil
        } else if let seconds = try number("STREAM_KEEPALIVE_SECONDS") {
            streamKeepAlive = .milliseconds(Int(seconds * 1000))
        }
        if let values = try number("MAX_BODY_JSON_VALUES") { maxBodyJSONValues = Int(values) }
        for (name, binding) in env.bindings where name.hasSuffix("_BASE_URL") {
            switch binding {
            case .text(let url), .secret(let url):
                // OPENAI_COMPATIBLE_BASE_URL names the `openai-compatible` kind: variables can't hold '-'.
                let kind = String(name.dropLast("_BASE_URL".count)).replacing("_", with: "-")
                providerBaseURLs[ProviderKind(rawValue: kind)] = url
            case .kv, .limits: continue
            }
        }
        masterKey = env.secret("AIPROXY_MASTER_KEY") ?? env.variable("AIPROXY_MASTER_KEY")
        if let log = env.variable("USAGE_LOG"), !log.isEmpty, log != "off" { usageLog = log }
        switch env.variable("LIMITS_ON_STORE_FAILURE") {
        case nil, "refuse": limitsFailOpen = false
        case "admit": limitsFailOpen = true
        case let other?:
            throw ConfigError(
                code: .invalidValue, message: "LIMITS_ON_STORE_FAILURE must be refuse or admit, not \(other)",
                key: "LIMITS_ON_STORE_FAILURE")
        }
    }
}
