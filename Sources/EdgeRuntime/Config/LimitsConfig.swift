/// One `[[limits]]` entry: a ``LimitsNamespace`` binding and where its counts live.
///
/// ```toml
/// [[limits]]
/// binding = "LIMITS"
/// backend = "redis"                    # or "memory": exact for one instance only
/// url = "redis://127.0.0.1:6379/0"
/// ```
public struct LimitsConfig: Sendable, Equatable {
    public enum Backend: Sendable, Equatable {
        /// In this process: exact for one instance.
        case memory
        /// A Redis server shared by the fleet, with the longest wait for a decision.
        case redis(url: String, timeout: Duration?)
    }

    /// The name in ``Env`` (`env.limits("LIMITS")`).
    public var binding: String
    public var backend: Backend
    /// Line of the `[[limits]]` header, for errors found when the backend is built.
    public var line: Int

    public init(binding: String, backend: Backend, line: Int) {
        self.binding = binding
        self.backend = backend
        self.line = line
    }
}
