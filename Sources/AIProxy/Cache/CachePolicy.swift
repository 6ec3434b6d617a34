public import EdgeRuntime

/// Whether a request may be answered from the cache and whether its response may be stored.
///
/// `x-bt-use-cache: auto|always|never|record|only` (auto caches when `temperature == 0` or a
/// `seed` is set, and always for embeddings and moderations; `record` is `always`; `only` answers
/// from the cache or fails, for reproducible CI), narrowed by `Cache-Control` (`no-cache`: don't
/// read, `no-store`: don't write, `max-age=N`: only entries younger than N seconds), with the
/// lifetime from `x-bt-cache-ttl` (1…604800 seconds) or the configured default, capped at a week.
public struct CachePolicy: Sendable, Equatable {
    /// Longest lifetime of an entry: one week (DESIGN §6).
    public static let maxTTL = 604_800

    public enum Mode: String, Sendable {
        case auto, always, never
        /// Fills the cache as `always` does (the first half of a record/replay CI run).
        case record
        /// Answers from the cache or fails with `cache_miss`; never calls upstream.
        case only
    }

    public var read: Bool
    public var write: Bool
    /// Lifetime of a written entry, in seconds.
    public var ttl: Int
    /// Oldest entry, in seconds, that a read may return (`Cache-Control: max-age`).
    public var maxAge: Int?
    /// `x-bt-use-cache: only`: a miss is an error, the call never goes upstream.
    public var cacheOnly = false

    public init(read: Bool, write: Bool, ttl: Int, maxAge: Int? = nil, cacheOnly: Bool = false) {
        self.read = read
        self.write = write
        self.ttl = ttl
        self.maxAge = maxAge
        self.cacheOnly = cacheOnly
    }

    /// Neither reads nor writes.
    public static let bypass = CachePolicy(read: false, write: false, ttl: 0)

    /// The policy for a request.
    /// - Parameters:
    ///   - alwaysCacheable: the endpoint's results depend only on the input (embeddings, moderations).
    ///   - body: the parsed JSON body, or `nil` when there is none.
    ///   - defaultTTL: `CACHE_TTL_SECONDS`.
    ///   - defaultMode: `CACHE_MODE`, the mode of a request without `x-bt-use-cache`.
    /// - Throws: ``ProxyError/invalidHeader(name:reason:)`` for a mode, TTL or max-age out of range.
    public static func evaluate(
        headers: Headers, body: JSONValue?, alwaysCacheable: Bool, defaultTTL: Int, defaultMode: Mode = .auto
    ) throws(ProxyError) -> CachePolicy {
        let mode: Mode
        if let text = headers["x-bt-use-cache"]?.trimmingSpacesAndTabs.lowercased() {
            guard let named = Mode(rawValue: text) else {
                throw .invalidHeader(
                    name: "x-bt-use-cache", reason: "expected auto, always, never, record or only, got \(text)")
            }
            mode = named
        } else {
            mode = defaultMode
        }
        var ttl = min(max(defaultTTL, 1), maxTTL)
        if let text = headers["x-bt-cache-ttl"] {
            guard let seconds = Int(text.trimmingSpacesAndTabs), (1...maxTTL).contains(seconds) else {
                throw .invalidHeader(name: "x-bt-cache-ttl", reason: "expected whole seconds from 1 to \(maxTTL)")
            }
            ttl = seconds
        }
        let cacheable: Bool
        switch mode {
        case .never: return .bypass
        case .always, .record, .only: cacheable = true
        case .auto: cacheable = alwaysCacheable || isDeterministic(body)
        }
        guard cacheable else { return .bypass }

        var policy = CachePolicy(read: true, write: mode != .only, ttl: ttl, cacheOnly: mode == .only)
        let directives = (headers.values(for: "cache-control")).flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpacesAndTabs.lowercased() }
        for directive in directives {
            if directive == "no-cache" {
                guard !policy.cacheOnly else {
                    throw .invalidHeader(name: "cache-control", reason: "no-cache contradicts x-bt-use-cache: only")
                }
                policy.read = false
            } else if directive == "no-store" {
                policy.write = false
            } else if directive.hasPrefix("max-age=") {
                guard let seconds = Int(directive.dropFirst("max-age=".count)), seconds >= 0 else {
                    throw .invalidHeader(name: "cache-control", reason: "max-age must be whole seconds")
                }
                policy.maxAge = seconds
                if seconds == 0 && !policy.cacheOnly { policy.read = false }
            }
        }
        return policy
    }

    /// `temperature == 0` or a `seed`: the caller asked for a repeatable answer.
    static func isDeterministic(_ body: JSONValue?) -> Bool {
        guard let body else { return false }
        if let seed = body["seed"], seed != .null { return true }
        return body["temperature"]?.doubleValue == 0
    }
}
