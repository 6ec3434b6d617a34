/// Why the server could not start or run.
public struct ServerError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; a struct so new codes don't break exhaustive switches.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        /// The address could not be bound (in use, not an address, no permission).
        public static let bindFailed = Code(description: "bindFailed")
        /// The server was already started or stopped.
        public static let invalidState = Code(description: "invalidState")
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "ServerError(\(code)): \(message)" }
}
