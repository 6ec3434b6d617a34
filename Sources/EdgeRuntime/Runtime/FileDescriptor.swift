import Glibc

/// Plain file-descriptor writes, for the few places that write files without Foundation's
/// `FileHandle` (the runtime links FoundationEssentials only, DESIGN §3).
enum FileDescriptor {
    /// Writes all of `bytes` to `fd`, retrying short writes and `EINTR`.
    /// - Returns: `nil`, or why it failed (`strerror`).
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> String? {
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            written += n
        }
        return nil
    }
}
