/// Which KV backend a namespace uses and its one setting; a closed set, so each backend's options stay apart.
public enum KVBackendConfig: Sendable, Equatable {
    /// In-process, lost on exit; `maxEntries` caps it (`nil`: the backend's default).
    case memory(maxEntries: Int?)
    /// One file per key under `path` (relative paths are relative to the working directory).
    case file(path: String)
    /// A Redis server, e.g. `redis://127.0.0.1:6379/0`, with the longest wait for a command and
    /// for a read (`nil`: the backend's defaults, 2 s; a read waits as long as any command).
    case redis(url: String, timeout: Duration? = nil, readTimeout: Duration? = nil)
}
