import Foundation

/// Line-oriented logging to standard error: `time level message`.
///
/// - Important: never pass a key, token or secret value in a message.
public struct Logger: Sendable {
    /// How much to log.
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warning, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public var level: Level
    public var label: String

    public init(label: String, level: Level = .info) {
        self.label = label
        self.level = level
    }

    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }

    private func log(_ messageLevel: Level, _ message: @autoclosure () -> String) {
        guard messageLevel >= level else { return }
        let line = "\(Date().ISO8601Format()) \(messageLevel) [\(label)] \(message())\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
