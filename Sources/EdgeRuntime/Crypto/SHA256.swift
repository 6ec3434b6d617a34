internal import COpenSSL

/// SHA-256 (FIPS 180-4), for cache keys and stored key hashes.
public enum SHA256 {
    /// Length of a digest in bytes.
    public static let byteCount = 32

    /// The 32-byte SHA-256 digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        do {
            let md = try OpenSSLAlgorithms.sha256.get().pointer
            var digest = [UInt8](repeating: 0, count: byteCount)
            var length: UInt32 = 0
            try bytes.withUnsafeBufferPointer { input throws(OpenSSLError) in
                try openSSLCall(
                    EVP_Digest(input.baseAddress, input.count, &digest, &length, md, nil), where: "EVP_Digest")
            }
            return digest
        } catch {
            // Hashing in-memory bytes cannot fail unless libcrypto itself is broken (no default provider, OOM).
            preconditionFailure("invariant: SHA-256 from libcrypto's default provider works: \(error)")
        }
    }
}
