/// Why an upstream `fetch` failed.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; a struct so new codes don't break exhaustive switches.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        /// No connection could be made (refused, unresolvable host, TLS handshake failed).
        public static let connectFailed = Code(description: "connectFailed")
        /// Connecting took too long, or no bytes arrived within the idle timeout.
        public static let timedOut = Code(description: "timedOut")
        /// The connection ended before the whole response body arrived.
        public static let resetMidBody = Code(description: "resetMidBody")
        /// The request can't be sent (bad URL, unsupported method).
        public static let invalidRequest = Code(description: "invalidRequest")
        /// The request body is larger than the client allows.
        public static let tooLarge = Code(description: "tooLarge")
        /// The caller cancelled.
        public static let cancelled = Code(description: "cancelled")
        /// Anything else the transport reported.
        public static let other = Code(description: "other")
    }

    public let code: Code
    public let message: String
    /// The transport's own error number (a CURLcode), when there is one.
    public let transportCode: Int?

    public init(code: Code, message: String, transportCode: Int? = nil) {
        self.code = code
        self.message = message
        self.transportCode = transportCode
    }

    public var description: String { "FetchError(\(code)): \(message)" }
}
