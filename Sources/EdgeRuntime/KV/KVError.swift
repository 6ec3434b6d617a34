/// Why a KV operation failed (not absence: a missing key is `nil`).
public struct KVError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; a struct so new codes don't break exhaustive switches.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        /// The key is empty or longer than 512 bytes.
        public static let invalidKey = Code(description: "invalidKey")
        /// The TTL, limit or cursor is out of range.
        public static let invalidArgument = Code(description: "invalidArgument")
        /// The backend failed (disk, network, server error).
        public static let backend = Code(description: "backend")
        /// The backend did not answer in time.
        public static let timeout = Code(description: "timeout")
        /// The backend is failing fast after repeated failures (its circuit breaker is open).
        public static let unavailable = Code(description: "unavailable")
    }

    public let code: Code
    public let message: String
    public let underlying: (any Error)?

    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        "KVError(\(code)): \(message)" + (underlying.map { " (\($0))" } ?? "")
    }
}
