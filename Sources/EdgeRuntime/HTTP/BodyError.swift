/// Why reading or writing a ``Body`` failed.
public struct BodyError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; a struct so new codes don't break exhaustive switches.
    public struct Code: Hashable, Sendable {
        let name: String
        /// The body is longer than the limit given to ``Body/collect(upTo:)``.
        public static let tooLarge = Code(name: "tooLarge")
        /// A chunk was written after the writer finished.
        public static let writeAfterFinish = Code(name: "writeAfterFinish")
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "BodyError(\(code.name)): \(message)" }
}
