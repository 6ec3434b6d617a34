internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's CSPRNG (`RAND_bytes`).
public enum SecureRandom {
    /// `count` random bytes (0 or more), e.g. for nonces, keys and tokens.
    public static func bytes(count: Int) -> [UInt8] {
        precondition(count >= 0, "invariant: SecureRandom.bytes(count:) takes a non-negative count")
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                // RAND_bytes takes an Int32 length: fill large buffers in chunks.
                let chunk = min(buffer.count - offset, Int(Int32.max))
                guard RAND_bytes(buffer.baseAddress! + offset, Int32(chunk)) == 1 else {
                    // A seeded CSPRNG does not fail; if it does, continuing with predictable bytes would be worse.
                    preconditionFailure("invariant: RAND_bytes succeeds: \(OpenSSLError.library("RAND_bytes"))")
                }
                offset += chunk
            }
        }
        return bytes
    }
}
