import Dispatch
import FoundationEssentials
import Glibc

/// Appends lines (JSON lines, say) to a file or to standard output, on a serial queue of its own:
/// a caller on an event loop or the cooperative pool never waits for the disk.
///
/// Lines are written whole, so lines of several processes appending to one file don't
/// interleave (an O_APPEND `write` is atomic on Linux). A line waits at most ``delay`` for the
/// lines after it, so under load one wake-up and one `write` carry many lines (a wake-up per
/// line cost the proxy ~5% of its throughput; one per 5 ms still meant hundreds a second).
public final class LineWriter: Sendable {
    private let queue = DispatchQueue(label: "line-writer")
    /// Lines waiting for the queue, and whether a drain is already scheduled.
    private let pending = LockedValue<(bytes: [UInt8], scheduled: Bool)>(([], false))
    /// Standard output's, or the file's (closed with the writer).
    private let fd: Int32
    public let destination: String
    /// How long a line may wait for company before it is written.
    static let delay = DispatchTimeInterval.milliseconds(50)

    /// `"stdout"`, or a file path (created, then appended to).
    /// - Throws: ``ConfigError`` when the file can't be opened.
    public init(destination: String) throws {
        self.destination = destination
        if destination == "stdout" {
            fd = STDOUT_FILENO
            return
        }
        if let slash = destination.lastIndex(of: "/") {
            let directory = String(destination[..<slash])
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let fd = open(destination, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw ConfigError(
                code: .unreadableFile, message: "cannot open for appending: \(String(cString: strerror(errno)))",
                file: destination)
        }
        self.fd = fd
    }

    deinit {
        if fd != STDOUT_FILENO { close(fd) }
    }

    /// Queues `line` (a newline is added).
    public func write(_ line: [UInt8]) {
        let schedule = pending.withLock { state in
            state.bytes.append(contentsOf: line)
            state.bytes.append(0x0A)
            defer { state.scheduled = true }
            return !state.scheduled
        }
        guard schedule else { return }
        queue.asyncAfter(deadline: .now() + Self.delay) { [self] in drain() }
    }

    /// Returns once everything queued so far is written.
    public func flush() async {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                drain()
                continuation.resume()
            }
        }
    }

    /// Writes what is pending (on the queue).
    private func drain() {
        let bytes = pending.withLock { state in
            state.scheduled = false
            let batch = state.bytes
            // The next batch starts with room for one like this (no regrowing it line by line).
            state.bytes = []
            state.bytes.reserveCapacity(batch.count)
            return batch
        }
        if !bytes.isEmpty { _ = bytes.withUnsafeBytes { FileDescriptor.writeAll(fd, $0) } }
    }
}
