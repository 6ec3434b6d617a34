/// What a name in ``Env`` is bound to, as in a `wrangler.toml` binding.
public enum Binding: Sendable {
    /// A plain-text variable from `[vars]`.
    case text(String)
    /// A secret from the environment or `.dev.vars`; never logged.
    case secret(String)
    /// A KV namespace from `[[kv_namespaces]]`.
    case kv(any KVNamespace)
    /// Fleet-wide limits from `[[limits]]`.
    case limits(any LimitsNamespace)
}
