/// A configuration problem, naming the file, line and key when it came from a file.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The kind of problem; a struct so new codes don't break exhaustive switches.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        public static let syntax = Code(description: "syntax")
        public static let invalidValue = Code(description: "invalidValue")
        public static let missingValue = Code(description: "missingValue")
        public static let unknownKey = Code(description: "unknownKey")
        public static let duplicateKey = Code(description: "duplicateKey")
        public static let missingBinding = Code(description: "missingBinding")
        public static let wrongBindingType = Code(description: "wrongBindingType")
        public static let unreadableFile = Code(description: "unreadableFile")
        public static let usage = Code(description: "usage")
    }

    public let code: Code
    public let message: String
    public let file: String?
    public let line: Int?
    public let key: String?

    public init(code: Code, message: String, file: String? = nil, line: Int? = nil, key: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.key = key
    }

    /// `file:line: key: message`, leaving out the parts that are unknown.
    public var description: String {
        var prefix = ""
        if let file { prefix += file + ":" }
        if let line { prefix += "\(line):" }
        if !prefix.isEmpty { prefix += " " }
        if let key { prefix += "\(key): " }
        return prefix + message
    }
}
