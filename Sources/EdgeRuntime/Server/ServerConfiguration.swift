import Glibc

/// Where the server listens and the limits it enforces on every connection.
public struct ServerConfiguration: Sendable, Equatable {
    /// Address to bind, e.g. `127.0.0.1` or `0.0.0.0`.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free one (see ``HTTPServer/port``).
    public var port: Int = 8787
    /// Event-loop threads, each accepting on the same port (SO_REUSEPORT); defaults to the core count.
    public var threads: Int = System.coreCount
    /// Request line plus headers, in bytes; past it the answer is 431.
    public var maxHeaderBytes: Int = 32 * 1024
    /// Request body, in bytes; past it the answer is 413.
    public var maxBodyBytes: Int = 10 * 1024 * 1024
    /// Time allowed from a request's first byte to the end of its headers (slow clients get 408).
    public var headerTimeout: Duration = .seconds(10)
    /// Time allowed between two reads of a request body.
    public var bodyTimeout: Duration = .seconds(30)
    /// Time allowed from a request's first byte to its last, however steadily it trickles in
    /// (past it: 408). Bounds what a slow sender can hold; a 10 MiB body needs ~1.4 Mbit/s.
    public var requestTimeout: Duration = .seconds(60)
    /// How long an idle keep-alive connection stays open.
    public var idleTimeout: Duration = .seconds(60)
    /// How long a response write may stall (client not reading) before the connection is dropped.
    public var writeTimeout: Duration = .seconds(60)
    /// On SIGTERM/SIGINT, how long in-flight requests and `waitUntil` work get before exit
    /// (counted from the signal, so it includes `drainDelay`).
    public var drainTimeout: Duration = .seconds(30)
    /// On SIGTERM/SIGINT, how long `/readyz` reports draining while the listener still accepts,
    /// so a load balancer's health check takes the instance out before connections are refused.
    public var drainDelay: Duration = .zero
    /// Bytes of response queued for a socket before the writer waits for the client to read.
    public var writeHighWaterMark: Int = 256 * 1024
    /// Requests with a body at least this large are handled on the global concurrent executor
    /// instead of their connection's loop: parsing megabytes is CPU work that would otherwise
    /// hold every other connection of that loop.
    public var largeRequestBytes: Int = 64 * 1024

    public init() {}
}

/// Facts about the machine the runtime runs on.
public enum System {
    /// Online processor cores (at least 1).
    public static var coreCount: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}
