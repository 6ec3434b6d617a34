import Foundation
import Testing

/// A blocking TCP client for tests that must send exact (often malformed) bytes.
///
/// Every blocking call runs on the client's own dispatch queue, never on Swift's
/// cooperative pool, so tests running in parallel cannot starve the server's tasks.
final class RawClient: @unchecked Sendable {
    // @unchecked: `fd` is touched only on `queue`.
    private let fd: Int32
    private let queue = DispatchQueue(label: "raw-client")
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    private func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) async throws {
        try await run { [self] in
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw POSIXError(.EPIPE) }
                sent += n
            }
        }
    }

    /// Reads one whole response (head plus a Content-Length, chunked or close-delimited body).
    func readResponse() async throws -> RawResponse {
        try await run { [self] in try readResponseBlocking() }
    }

    /// Reads until at least `count` more body-level bytes are buffered or the peer closes.
    func readRaw(atLeast count: Int) async throws -> [UInt8] {
        try await run { [self] in
            while buffer.count < count, fill() > 0 {}
            defer { buffer.removeAll() }
            return buffer
        }
    }

    /// Reads until the string appears in what has been received (and returns all of it).
    func read(until marker: String) async throws -> String {
        try await run { [self] in
            let needle = Array(marker.utf8)
            while firstRange(of: needle) == nil {
                if fill() <= 0 { throw POSIXError(.ECONNRESET) }
            }
            let end = firstRange(of: needle)!.upperBound
            defer { buffer.removeFirst(end) }
            return String(decoding: buffer[..<end], as: UTF8.self)
        }
    }

    /// Whether the server closed the connection (reads return 0 within the timeout).
    func isClosedByPeer() async throws -> Bool {
        try await run { [self] in
            while true {
                let n = fill()
                if n == 0 { return true }
                if n < 0 { return errno == ECONNRESET }
            }
        }
    }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    private func fill() -> Int {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 { buffer.append(contentsOf: chunk[..<n]) }
        return n
    }

    private func firstRange(of needle: [UInt8]) -> Range<Int>? {
        guard buffer.count >= needle.count else { return nil }
        for start in 0...(buffer.count - needle.count) where buffer[start..<(start + needle.count)].elementsEqual(needle) {
            return start..<(start + needle.count)
        }
        return nil
    }

    private func readResponseBlocking() throws -> RawResponse {
        let separator = Array("\r\n\r\n".utf8)
        while firstRange(of: separator) == nil {
            if fill() <= 0 { throw POSIXError(.ECONNRESET) }
        }
        let headEnd = firstRange(of: separator)!
        let head = String(decoding: buffer[..<headEnd.lowerBound], as: UTF8.self)
        buffer.removeFirst(headEnd.upperBound)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let status = Int(statusLine.split(separator: " ")[1]) ?? 0
        var headers: [(String, String)] = []
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers.append((parts[0].lowercased(), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""))
        }
        let response = RawResponse(status: status, headers: headers, body: [])
        var body: [UInt8] = []
        if let length = response.header("content-length").flatMap({ Int($0) }) {
            while buffer.count < length { if fill() <= 0 { throw POSIXError(.ECONNRESET) } }
            body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else if response.header("transfer-encoding") == "chunked" {
            while true {
                let crlf = Array("\r\n".utf8)
                while firstRange(of: crlf) == nil { if fill() <= 0 { throw POSIXError(.ECONNRESET) } }
                let lineEnd = firstRange(of: crlf)!
                let size = Int(String(decoding: buffer[..<lineEnd.lowerBound], as: UTF8.self), radix: 16) ?? 0
                buffer.removeFirst(lineEnd.upperBound)
                while buffer.count < size + 2 { if fill() <= 0 { throw POSIXError(.ECONNRESET) } }
                body.append(contentsOf: buffer[..<size])
                buffer.removeFirst(size + 2)
                if size == 0 { break }
            }
        } else if status != 204 && status != 304 && !(100..<200).contains(status) {
            while fill() > 0 {}
            body = buffer
            buffer.removeAll()
        }
        return RawResponse(status: status, headers: headers, body: body)
    }
}

struct RawResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
    var text: String { String(decoding: body, as: UTF8.self) }
}
