internal import CLibFuzzer
internal import Foundation

/// Runs libFuzzer with the process's arguments, calling `body` with each input.
///
/// A fuzz target's `main.swift` is one call: `FuzzDriver.run { bytes in … }`. A `body` that
/// returns normally accepts the input; a crash, a sanitizer report or a ``fuzzCheck(_:_:file:line:)``
/// failure makes libFuzzer keep the input as an artifact.
public enum FuzzDriver {
    /// libFuzzer calls back through a C function pointer, which can't capture; the body waits here.
    /// Set once before the driver starts, then only read, from libFuzzer's single thread.
    nonisolated(unsafe) private static var body: ([UInt8]) -> Void = { _ in }

    /// Starts libFuzzer (it parses the command line: corpus folders, `-runs=`, `-max_len=` …) and exits with its status.
    public static func run(_ body: @escaping ([UInt8]) -> Void) -> Never {
        Self.body = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            FuzzDriver.body(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        }
        exit(status)
    }
}
