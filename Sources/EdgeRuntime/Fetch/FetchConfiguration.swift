/// Limits and timeouts of ``CurlFetchClient``.
public struct FetchConfiguration: Sendable, Equatable {
    /// Time allowed to establish a connection (TCP and TLS).
    public var connectTimeout: Duration = .seconds(10)
    /// Longest silence from the upstream (no header or body bytes) before `.timedOut`.
    /// Time spent paused because our own reader is slow does not count.
    public var idleTimeout: Duration = .seconds(600)
    /// Request bodies larger than this are refused with `.tooLarge`.
    public var maxRequestBodyBytes = 32 * 1024 * 1024
    /// Response bytes buffered ahead of the reader before the transfer pauses.
    public var responseBufferBytes = 256 * 1024
    /// A CA bundle to trust instead of the system's (tests with a private CA).
    public var caBundlePath: String?

    public init() {}
}
