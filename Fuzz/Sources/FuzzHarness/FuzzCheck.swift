/// Stops the run when a harness's property fails: libFuzzer records the input as a crash.
///
/// `precondition` would do in a debug build, but a `-O` build drops its message; the fuzz
/// targets build `-O`, and a crash report should say which property broke.
public func fuzzCheck(
    _ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line
) {
    if !condition { fuzzFailure(message(), file: file, line: line) }
}

/// Stops the run with `message` (a property a harness checks does not hold).
public func fuzzFailure(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("fuzz property failed: \(message)", file: file, line: line)
}

extension Array where Element == UInt8 {
    /// The bytes as text for a failure message (invalid UTF-8 shown as U+FFFD), cut at 2 KiB.
    public var debugText: String {
        let text = String(decoding: prefix(2048), as: UTF8.self)
        return count > 2048 ? text + "…" : text
    }
}
