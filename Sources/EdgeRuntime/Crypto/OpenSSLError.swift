internal import COpenSSL

/// Why a libcrypto operation failed: a code, a message naming the C function, and OpenSSL's error queue.
public struct OpenSSLError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; a struct so new codes don't break exhaustive switches.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, e.g. `authenticationFailure`.
        public let description: String
        /// A libcrypto call returned failure (see ``OpenSSLError/queue``).
        public static let library = Code(description: "library")
        /// AES-GCM tag check failed: wrong key, nonce or AAD, or the data was altered.
        public static let authenticationFailure = Code(description: "authenticationFailure")
        /// The key is not the length the algorithm needs.
        public static let invalidKeySize = Code(description: "invalidKeySize")
        /// The nonce is not the length the algorithm needs.
        public static let invalidNonceSize = Code(description: "invalidNonceSize")
        /// Another argument is out of range (output length, truncated sealed box).
        public static let invalidArgument = Code(description: "invalidArgument")
    }

    /// What kind of failure this is; switch on it with `==`.
    public let code: Code
    /// What failed, naming the C function for `.library` errors. Never contains key material.
    public let message: String
    /// OpenSSL's error queue at the time of failure, oldest first (`ERR_error_string_n` lines).
    public let queue: [String]

    /// An error with `code` and `message` (and the OpenSSL error queue, for `.library`).
    public init(code: Code, message: String, queue: [String] = []) {
        self.code = code
        self.message = message
        self.queue = queue
    }

    /// `OpenSSLError(code): message [queue]`.
    public var description: String {
        "OpenSSLError(\(code)): \(message)" + (queue.isEmpty ? "" : " [\(queue.joined(separator: "; "))]")
    }

    /// A `.library` error for `function`, draining this thread's OpenSSL error queue into it.
    static func library(_ function: String) -> OpenSSLError {
        OpenSSLError(code: .library, message: "\(function) failed", queue: drainErrorQueue())
    }

    /// Empties this thread's OpenSSL error queue, so a stale entry never blames a later call.
    static func drainErrorQueue() -> [String] {
        var lines: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { return lines }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            lines.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }
}

/// Checks a libcrypto return code (1 or more is success), naming `function` on failure.
///
/// The one checker every OpenSSL call goes through, like NIO's `syscall(where:)`.
@inline(__always)
func openSSLCall(_ result: Int32, where function: String) throws(OpenSSLError) {
    guard result > 0 else { throw OpenSSLError.library(function) }
}

/// Checks a libcrypto constructor's result (`NULL` is failure), naming `function` on failure.
@inline(__always)
func openSSLCall<Pointer>(_ result: Pointer?, where function: String) throws(OpenSSLError) -> Pointer {
    guard let result else { throw OpenSSLError.library(function) }
    return result
}
