import FoundationEssentials
import Glibc

/// Line-oriented logging to standard error: `time level [label] message`, or one JSON object a
/// line (`{"time","level","logger","message"}`) for log collectors.
///
/// - Important: never pass a key, token or secret value in a message.
public struct Logger: Sendable {
    /// How much to log.
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warning, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    /// How a line is written.
    public enum Format: String, Sendable {
        case text, json
    }

    public var level: Level
    public var label: String
    public var format = Format.text

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
        let line: String
        switch format {
        case .text: line = "\(Date().ISO8601Format()) \(messageLevel) [\(label)] \(message())\n"
        case .json:
            line =
                "{\"time\":\"\(Date().ISO8601Format())\",\"level\":\"\(messageLevel)\",\"logger\":"
                + "\(JSONString.quoted(label)),\"message\":\(JSONString.quoted(message()))}\n"
        }
        var bytes = line
        _ = bytes.withUTF8 { FileDescriptor.writeAll(2, UnsafeRawBufferPointer($0)) }
    }
}
