/// One `[[kv_namespaces]]` entry: the binding name the worker uses and the backend behind it.
public struct KVNamespaceConfig: Sendable, Equatable {
    /// The name in ``Env`` (`env.kv("CACHE")`).
    public var binding: String
    /// The backend and its setting.
    public var backend: KVBackendConfig
    /// Line of the `[[kv_namespaces]]` header, for errors found when the backend is built.
    public var line: Int

    /// A namespace bound to `binding`, backed by `backend`.
    public init(binding: String, backend: KVBackendConfig, line: Int) {
        self.binding = binding
        self.backend = backend
        self.line = line
    }
}
