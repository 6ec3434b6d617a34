/// `[admin]`: a second listener of the same process for operators (an admin API, metrics), kept
/// apart from the worker's own port. `--admin-port N` turns it on or moves it.
public struct AdminListenerConfig: Sendable, Equatable {
    /// Defaults to loopback: an admin port is not for the open network.
    public var host = "127.0.0.1"
    public var port = 8001

    public init(host: String = "127.0.0.1", port: Int = 8001) {
        self.host = host
        self.port = port
    }
}
